package io.hilal.core.tenant;

import java.security.Principal;
import java.util.Set;

/** Who is calling: the tenant and the scopes of the key the request was made with. */
public record ApiKeyPrincipal(String tenantId, String keyId, Set<Scope> scopes)
        implements Principal {

    @Override
    public String getName() {
        return keyId;
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }
}
