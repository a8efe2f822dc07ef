package io.hilal.service.reports;

import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.SendTimeComparison;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Whether a best-time campaign's best hours helped: {@code GET
 * /v1/campaigns/{id}/lift/send-time?window=30} compares its treated customers sent at their best
 * hour with the random share kept at the schedule's local time (clicks and orders, with the lift
 * report's always-valid statistics). A campaign at its local time is a 409 {@code not_best_time};
 * another tenant's is a 404.
 */
@Path("/v1/campaigns/{id}/lift/send-time")
public class SendTimeResource {
    private final SendTimeComparison comparison;
    private final LiftReportService reports;
    private final CampaignService campaigns;

    public SendTimeResource(
            SendTimeComparison comparison, LiftReportService reports, CampaignService campaigns) {
        this.comparison = comparison;
        this.reports = reports;
        this.campaigns = campaigns;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope(Scope.READ)
    public SendTimeComparison.Report get(
            @Context SecurityContext security,
            @PathParam("id") String campaignId,
            @QueryParam("window") String window) {
        String tenantId = AuthFeature.principal(security).tenantId();
        campaigns.requireNotJourney(tenantId, campaignId);
        return comparison.compare(tenantId, campaignId, reports.windowDays(window));
    }
}
