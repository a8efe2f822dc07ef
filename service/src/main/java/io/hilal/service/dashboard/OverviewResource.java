package io.hilal.service.dashboard;

import io.hilal.core.events.OverviewService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** The calling tenant's counts: customers, products, orders, events, and events per month. */
@Path("/v1/overview")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {
    private final OverviewService overview;

    public OverviewResource(OverviewService overview) {
        this.overview = overview;
    }

    @GET
    @RequiresScope(Scope.READ)
    public OverviewService.Overview get(@Context SecurityContext security) {
        return overview.overview(AuthFeature.principal(security).tenantId());
    }
}
