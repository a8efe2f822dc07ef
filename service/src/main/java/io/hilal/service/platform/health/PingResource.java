package io.hilal.service.platform.health;

import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;

/**
 * {@code GET /v1/ping}: checks a key works (it goes through authentication, scope and rate limiting
 * like any call) and does nothing else. Also the serving benchmark's baseline.
 */
@Path("/v1/ping")
@Produces(MediaType.APPLICATION_JSON)
public class PingResource {
    @GET
    @RequiresScope(Scope.READ)
    public Map<String, String> ping(@Context SecurityContext security) {
        return Map.of("tenantId", AuthFeature.principal(security).tenantId());
    }
}
