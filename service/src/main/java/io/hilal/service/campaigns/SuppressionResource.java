package io.hilal.service.campaigns;

import io.hilal.core.api.Cursors;
import io.hilal.core.api.Page;
import io.hilal.core.campaigns.SuppressionDao;
import io.hilal.core.campaigns.SuppressionService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code /v1/suppressions}: the addresses no campaign may email and why (unsubscribes, bounces,
 * complaints); one comes off only with the customer's new consent, which is recorded.
 */
@Path("/v1/suppressions")
@Produces(MediaType.APPLICATION_JSON)
public class SuppressionResource {
    private final SuppressionService suppressions;

    public SuppressionResource(SuppressionService suppressions) {
        this.suppressions = suppressions;
    }

    @GET
    @RequiresScope(Scope.READ)
    public Page<SuppressionDao.Suppression> list(
            @Context SecurityContext security,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return suppressions.page(tenant(security), cursor, Cursors.limit(limit, 50, 500));
    }

    @GET
    @Path("/{email}")
    @RequiresScope(Scope.READ)
    public SuppressionDao.Suppression get(
            @Context SecurityContext security, @PathParam("email") String email) {
        return suppressions.get(tenant(security), email);
    }

    /** Takes an address off the list, recording the new consent given in the body. */
    @POST
    @Path("/{email}/removal")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scope.CAMPAIGNS)
    public SuppressionService.Removed remove(
            @Context SecurityContext security,
            @PathParam("email") String email,
            SuppressionService.Removal removal) {
        return suppressions.remove(tenant(security), email, removal);
    }

    private static String tenant(SecurityContext security) {
        return AuthFeature.principal(security).tenantId();
    }
}
