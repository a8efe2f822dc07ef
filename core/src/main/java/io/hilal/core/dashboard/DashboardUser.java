package io.hilal.core.dashboard;

import java.time.Instant;

/**
 * A person who may sign in to one tenant's dashboard with an email and a password, with a role that
 * says what they may do there.
 */
public record DashboardUser(
        String tenantId,
        String userId,
        String email,
        DashboardRole role,
        Instant createdAt,
        Instant disabledAt) {
    public boolean disabled() {
        return disabledAt != null;
    }
}
