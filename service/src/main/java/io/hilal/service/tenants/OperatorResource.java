package io.hilal.service.tenants;

import io.hilal.core.error.BadRequestException;
import io.hilal.core.error.FieldError;
import io.hilal.core.reco.PriorSharing;
import io.hilal.core.reco.SharedPriors;
import io.hilal.core.tenant.ApiKey;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantQuotaService;
import io.hilal.core.tenant.TenantQuotas;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.tenant.TenantUsage;
import io.hilal.core.tenant.TenantUsageService;
import io.hilal.service.platform.auth.OperatorOnly;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The operator's API: tenants, their keys, usage, quotas and prior sharing, behind the operator
 * key.
 */
@Path("/v1/operator/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@OperatorOnly
public class OperatorResource {
    private final TenantService tenants;
    private final TenantUsageService usage;
    private final TenantQuotaService quotas;
    private final SharedPriors sharedPriors;

    public OperatorResource(
            TenantService tenants,
            TenantUsageService usage,
            TenantQuotaService quotas,
            SharedPriors sharedPriors) {
        this.tenants = tenants;
        this.usage = usage;
        this.quotas = quotas;
        this.sharedPriors = sharedPriors;
    }

    public record CreateTenantRequest(String name, String timeZone) {}

    /** The new tenant and its first key (all scopes); the key is shown this once. */
    public record CreateTenantResponse(
            String tenantId, String name, String timeZone, String apiKey, ApiKeyResponse key) {}

    @POST
    public Response create(CreateTenantRequest request) {
        CreateTenantRequest body = request == null ? new CreateTenantRequest(null, null) : request;
        TenantService.CreatedTenant created = tenants.createTenant(body.name(), body.timeZone());
        Tenant tenant = created.tenant();
        return Response.status(201)
                .entity(
                        new CreateTenantResponse(
                                tenant.tenantId(),
                                tenant.name(),
                                tenant.timeZone(),
                                created.key().apiKey(),
                                ApiKeyResponse.of(created.key().key(), null)))
                .build();
    }

    @GET
    public Map<String, List<Tenant>> list() {
        return Map.of("items", tenants.listTenants());
    }

    /**
     * What the tenant stores now and, per UTC day of the last {@code days} (30 unless given, at
     * most a year), the emails it sent and its training runs and time: for metering and billing.
     */
    @GET
    @Path("/{tenantId}/usage")
    public TenantUsage usage(
            @PathParam("tenantId") String tenantId, @QueryParam("days") String days) {
        int period = days(days);
        return inTenant(tenantId, () -> usage.usage(tenantId, period));
    }

    /** The tenant's quotas; a null one is not set (no quota of that kind). */
    @GET
    @Path("/{tenantId}/quotas")
    public TenantQuotas quotas(@PathParam("tenantId") String tenantId) {
        return quotas.get(tenantId);
    }

    /**
     * Replaces the tenant's quotas (a field left out or null: no quota of that kind); every
     * instance applies them within {@link TenantQuotaService#REFRESH}.
     */
    @PUT
    @Path("/{tenantId}/quotas")
    public TenantQuotas setQuotas(@PathParam("tenantId") String tenantId, TenantQuotas request) {
        return quotas.set(tenantId, request == null ? TenantQuotas.NONE : request);
    }

    /**
     * Whether the tenant's model priors join the pool shared across tenants and whether its
     * training borrows from it; both false until set.
     */
    @GET
    @Path("/{tenantId}/prior-sharing")
    public PriorSharing priorSharing(@PathParam("tenantId") String tenantId) {
        return inTenant(tenantId, () -> sharedPriors.sharing(tenantId));
    }

    /**
     * Sets both choices (each must be given); turning contributing off takes the tenant's priors
     * out of the pool at once, turning receiving on takes effect at its next training.
     */
    @PUT
    @Path("/{tenantId}/prior-sharing")
    public PriorSharing setPriorSharing(
            @PathParam("tenantId") String tenantId, PriorSharing request) {
        PriorSharing body = request == null ? new PriorSharing(null, null) : request;
        return inTenant(tenantId, () -> sharedPriors.setSharing(tenantId, body));
    }

    /**
     * Runs {@code work} on the tenant's pod, where its usage and prior-sharing rows are; an unknown
     * tenant is 404 here, before any pod is looked for.
     */
    private <T> T inTenant(String tenantId, java.util.function.Supplier<T> work) {
        if (tenants.findTenant(tenantId).isEmpty()) {
            throw new io.hilal.core.error.NotFoundException("tenant", tenantId);
        }
        return io.hilal.core.pods.DbScope.tenant(tenantId, work);
    }

    private static int days(String days) {
        if (days == null) {
            return 30;
        }
        try {
            int value = Integer.parseInt(days);
            if (value >= 1 && value <= TenantUsageService.MAX_DAYS) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new BadRequestException(
                "invalid_parameter",
                "days must be a whole number from 1 to " + TenantUsageService.MAX_DAYS,
                List.of(
                        new FieldError(
                                "days", "must be from 1 to " + TenantUsageService.MAX_DAYS)));
    }

    @POST
    @Path("/{tenantId}/api-keys")
    public Response createKey(
            @PathParam("tenantId") String tenantId, ApiKeyResource.CreateKeyRequest request) {
        ApiKeyResource.CreateKeyRequest body =
                request == null ? new ApiKeyResource.CreateKeyRequest(null, null) : request;
        TenantService.CreatedKey created =
                tenants.createKey(tenantId, ApiKeyResource.scopes(body.scopes()), body.name());
        return Response.status(201)
                .entity(ApiKeyResponse.of(created.key(), created.apiKey()))
                .build();
    }

    @GET
    @Path("/{tenantId}/api-keys")
    public Map<String, List<ApiKeyResponse>> listKeys(@PathParam("tenantId") String tenantId) {
        return Map.of(
                "items",
                tenants.listKeys(tenantId).stream()
                        .map(key -> ApiKeyResponse.of(key, null))
                        .toList());
    }

    @DELETE
    @Path("/{tenantId}/api-keys/{keyId}")
    public ApiKeyResponse revokeKey(
            @PathParam("tenantId") String tenantId, @PathParam("keyId") String keyId) {
        ApiKey revoked = tenants.revokeKey(tenantId, keyId);
        return ApiKeyResponse.of(revoked, null);
    }
}
