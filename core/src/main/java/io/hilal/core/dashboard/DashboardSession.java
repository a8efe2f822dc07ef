package io.hilal.core.dashboard;

import io.hilal.core.tenant.Scope;
import java.time.Instant;
import java.util.Set;

/**
 * A signed-in browser: the tenant it sees (the only one), what it signed in with ({@code user} or
 * {@code api_key}, and that one's id), a name to show, the synchronizer token every form it posts
 * must carry, and what it may do: the scopes of its key, or of its user's role, as they are now.
 */
public record DashboardSession(
        String tenantId,
        String tenantName,
        String sessionId,
        String csrfToken,
        String kind,
        String subjectId,
        String displayName,
        Instant expiresAt,
        Set<Scope> scopes) {
    public static final String USER = "user";
    public static final String API_KEY = "api_key";

    public DashboardSession {
        scopes = Set.copyOf(scopes);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }
}
