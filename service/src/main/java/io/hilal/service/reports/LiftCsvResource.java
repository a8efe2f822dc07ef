package io.hilal.service.reports;

import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.lift.LiftReportService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code GET /v1/campaigns/{id}/lift.csv}: the same report as {@link LiftResource}, as a CSV file,
 * for a link in a browser or a spreadsheet's "import from URL" where no Accept header can be set.
 */
@Path("/v1/campaigns/{id}/lift.csv")
public class LiftCsvResource {
    private final LiftReportService reports;
    private final CampaignService campaigns;

    public LiftCsvResource(LiftReportService reports, CampaignService campaigns) {
        this.reports = reports;
        this.campaigns = campaigns;
    }

    @GET
    @Produces(LiftResource.TEXT_CSV)
    @RequiresScope(Scope.READ)
    public Response get(
            @Context SecurityContext security,
            @PathParam("id") String campaignId,
            @QueryParam("window") String window) {
        String tenantId = AuthFeature.principal(security).tenantId();
        campaigns.requireNotJourney(tenantId, campaignId);
        return LiftResource.csv(
                reports.latestOrComputeReport(tenantId, campaignId, reports.windowDays(window)));
    }
}
