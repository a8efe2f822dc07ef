package io.hilal.core.tenant;

import java.time.Instant;
import java.util.Set;

/** A stored API key without its secret: what listing keys shows. */
public record ApiKey(
        String tenantId,
        String keyId,
        Set<Scope> scopes,
        String name,
        Instant createdAt,
        Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
