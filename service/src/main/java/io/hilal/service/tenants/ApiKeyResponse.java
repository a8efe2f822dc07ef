package io.hilal.service.tenants;

import io.hilal.core.tenant.ApiKey;
import io.hilal.core.tenant.Scope;
import java.time.Instant;
import java.util.List;

/** An API key as the API shows it; {@code apiKey}, the secret, only in the creation response. */
public record ApiKeyResponse(
        String keyId,
        String name,
        List<String> scopes,
        Instant createdAt,
        Instant revokedAt,
        String apiKey) {

    static ApiKeyResponse of(ApiKey key, String secretText) {
        return new ApiKeyResponse(
                key.keyId(),
                key.name(),
                key.scopes().stream().sorted().map(Scope::wireName).toList(),
                key.createdAt(),
                key.revokedAt(),
                secretText);
    }
}
