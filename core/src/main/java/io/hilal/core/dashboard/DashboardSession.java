package io.hilal.core.dashboard;

import java.time.Instant;

/**
 * A signed-in browser: the tenant it sees (the only one), what it signed in with ({@code user} or
 * {@code api_key}, and that one's id), a name to show, and the synchronizer token every form it
 * posts must carry.
 */
public record DashboardSession(
        String tenantId,
        String tenantName,
        String sessionId,
        String csrfToken,
        String kind,
        String subjectId,
        String displayName,
        Instant expiresAt) {
    public static final String USER = "user";
    public static final String API_KEY = "api_key";
}
