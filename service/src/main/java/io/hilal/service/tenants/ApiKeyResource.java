package io.hilal.service.tenants;

import io.hilal.core.error.ValidationException;
import io.hilal.core.tenant.Scope;
import io.hilal.core.tenant.TenantService;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A tenant's own keys, managed with an {@code admin} key. */
@Path("/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequiresScope(Scope.ADMIN)
public class ApiKeyResource {
    private static final String SCOPE_NAMES =
            String.join(
                    ", ", java.util.Arrays.stream(Scope.values()).map(Scope::wireName).toList());

    private final TenantService tenants;

    public ApiKeyResource(TenantService tenants) {
        this.tenants = tenants;
    }

    public record CreateKeyRequest(String name, List<String> scopes) {}

    @POST
    public Response create(@Context SecurityContext security, CreateKeyRequest request) {
        CreateKeyRequest body = request == null ? new CreateKeyRequest(null, null) : request;
        TenantService.CreatedKey created =
                tenants.createKey(
                        AuthFeature.principal(security).tenantId(),
                        scopes(body.scopes()),
                        body.name());
        return Response.status(201)
                .entity(ApiKeyResponse.of(created.key(), created.apiKey()))
                .build();
    }

    @GET
    public Map<String, List<ApiKeyResponse>> list(@Context SecurityContext security) {
        return Map.of(
                "items",
                tenants.listKeys(AuthFeature.principal(security).tenantId()).stream()
                        .map(key -> ApiKeyResponse.of(key, null))
                        .toList());
    }

    @DELETE
    @Path("/{keyId}")
    public ApiKeyResponse revoke(
            @Context SecurityContext security, @PathParam("keyId") String keyId) {
        return ApiKeyResponse.of(
                tenants.revokeKey(AuthFeature.principal(security).tenantId(), keyId), null);
    }

    /**
     * Scope names from a request. They are required: a key made without naming its powers would
     * otherwise get all of them, the opposite of what a forgotten field should mean.
     */
    static Set<Scope> scopes(List<String> names) {
        if (names == null) {
            throw new ValidationException(
                    "scopes", "is required: list the scopes the key needs (" + SCOPE_NAMES + ")");
        }
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : names) {
            scopes.add(
                    Scope.fromWireName(name)
                            .orElseThrow(
                                    () ->
                                            new ValidationException(
                                                    "scopes",
                                                    "unknown scope '"
                                                            + name
                                                            + "' (use "
                                                            + SCOPE_NAMES
                                                            + ")")));
        }
        return scopes;
    }
}
