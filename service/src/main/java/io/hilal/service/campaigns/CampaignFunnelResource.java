package io.hilal.service.campaigns;

import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.funnel.CampaignFunnel;
import io.hilal.core.campaigns.funnel.CampaignFunnelService;
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
 * {@code GET /v1/campaigns/{id}/funnel?window=N}: planned, sent, failed or bounced, clicked,
 * unsubscribed, "Not for me", and orders and revenue within N days (the lift report's window,
 * validated the same way), treated against held out.
 */
@Path("/v1/campaigns/{id}/funnel")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignFunnelResource {
    private final CampaignFunnelService funnels;
    private final LiftReportService lift;
    private final CampaignService campaigns;

    public CampaignFunnelResource(
            CampaignFunnelService funnels, LiftReportService lift, CampaignService campaigns) {
        this.funnels = funnels;
        this.lift = lift;
        this.campaigns = campaigns;
    }

    @GET
    @RequiresScope(Scope.READ)
    public CampaignFunnel get(
            @Context SecurityContext security,
            @PathParam("id") String campaignId,
            @QueryParam("window") String window) {
        String tenantId = AuthFeature.principal(security).tenantId();
        campaigns.requireNotJourney(tenantId, campaignId);
        return funnels.funnel(tenantId, campaignId, lift.windowDays(window));
    }
}
