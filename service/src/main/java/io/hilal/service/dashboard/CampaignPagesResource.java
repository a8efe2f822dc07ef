package io.hilal.service.dashboard;

import io.hilal.core.api.Page;
import io.hilal.core.campaigns.SendTimeComparison;
import io.hilal.core.campaigns.funnel.CampaignFunnelService;
import io.hilal.core.campaigns.sending.SendState;
import io.hilal.core.dashboard.DashboardQueries;
import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.error.HilalException;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.journeys.Journey;
import io.hilal.core.journeys.JourneyService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.dashboard.data.DashboardCampaigns;
import io.hilal.service.dashboard.data.LiftReports;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The campaign pages: the list of campaigns and journeys with their sends, and one campaign's page
 * with its launch and pause buttons. Campaigns are read and controlled through the campaigns
 * service ({@link DashboardCampaigns}), the session's tenant's only.
 */
@Path("/dashboard/campaigns")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class CampaignPagesResource {
    private static final int OUTBOX_PREVIEW = 20;
    private static final int JOURNEY_PAGE = 100;

    private final DashboardQueries queries;
    private final DashboardCampaigns campaigns;
    private final LiftReports lift;
    private final JourneyService journeys;
    private final DemoOutbox demoOutbox;
    private final CampaignFunnelService funnels;
    private final SendTimeComparison sendTimes;
    private final Pages pages = new Pages();

    public CampaignPagesResource(
            DashboardQueries queries,
            DashboardCampaigns campaigns,
            LiftReports lift,
            JourneyService journeys,
            DemoOutbox demoOutbox,
            CampaignFunnelService funnels,
            SendTimeComparison sendTimes) {
        this.queries = queries;
        this.campaigns = campaigns;
        this.lift = lift;
        this.journeys = journeys;
        this.demoOutbox = demoOutbox;
        this.funnels = funnels;
        this.sendTimes = sendTimes;
    }

    @GET
    public Response campaigns(@Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        String tenantId = session.tenantId();
        Map<String, Map<SendState, Long>> counts =
                LedgerStates.byCampaign(queries.ledgerCounts(tenantId));
        Map<String, Long> unknown = new HashMap<>();
        for (DashboardQueries.UnknownSends group : queries.undecidedUnknown(tenantId)) {
            unknown.merge(group.campaignId(), group.sends(), Long::sum);
        }
        List<CampaignsPage.CampaignRow> rows = new ArrayList<>();
        for (DashboardCampaigns.Campaign campaign : campaigns.campaigns(tenantId)) {
            String id = campaign.campaignId();
            // Whatever the status says, sends of unknown fate show until someone decides.
            rows.add(
                    CampaignsPage.CampaignRow.of(
                            campaign,
                            LedgerStates.cells(counts.get(id)),
                            unknown.get(id),
                            demoOutbox.of(tenantId, id).isPresent()));
        }
        return pages.view(
                200,
                session,
                "campaigns",
                "campaigns",
                "Campaigns",
                SenderLine.of(campaigns.sender(tenantId)),
                CampaignsPage.of(rows, journeyRows(tenantId, counts), lift.windowDays()));
    }

    /**
     * The tenant's journeys with their sends by state and their rolling lift: every customer who
     * entered, measured from their first entry, against the journey's holdout.
     */
    private List<CampaignsPage.JourneyRow> journeyRows(
            String tenantId, Map<String, Map<SendState, Long>> counts) {
        List<CampaignsPage.JourneyRow> rows = new ArrayList<>();
        String cursor = null;
        do {
            Page<Journey> page = journeys.page(tenantId, cursor, JOURNEY_PAGE);
            for (Journey journey : page.items()) {
                rows.add(
                        CampaignsPage.JourneyRow.of(
                                journey,
                                LedgerStates.cells(counts.get(journey.id())),
                                lift.report(tenantId, journey.id())
                                        .map(LiftHeadline::of)
                                        .orElse(null)));
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return rows;
    }

    @GET
    @Path("{campaignId}")
    public Response campaign(
            @PathParam("campaignId") String campaignId, @Context ContainerRequestContext request) {
        return campaignPage(DashboardFeature.session(request), campaignId, 200, null);
    }

    @POST
    @Path("{campaignId}/launch")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @DashboardScope(Scope.CAMPAIGNS)
    public Response launch(
            @PathParam("campaignId") String campaignId, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        return control(session, campaignId, () -> campaigns.launch(session.tenantId(), campaignId));
    }

    @POST
    @Path("{campaignId}/pause")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @DashboardScope(Scope.CAMPAIGNS)
    public Response pause(
            @PathParam("campaignId") String campaignId, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        return control(session, campaignId, () -> campaigns.pause(session.tenantId(), campaignId));
    }

    /**
     * Runs a launch or pause; afterwards back to the campaign's page. A refusal (no sender
     * identity, a status that does not allow it) shows the campaign page again with the reason, and
     * another tenant's or an unknown campaign is a 404, as the page itself would be.
     */
    private Response control(DashboardSession session, String campaignId, Runnable action) {
        if (campaigns.campaign(session.tenantId(), campaignId).isEmpty()) {
            return notFound(session, campaignId);
        }
        try {
            action.run();
        } catch (NotFoundException e) {
            return notFound(session, campaignId);
        } catch (HilalException e) {
            return campaignPage(session, campaignId, e.status(), e.detail());
        }
        return Pages.withHeaders(
                        Response.seeOther(
                                UriBuilder.fromPath("/dashboard/campaigns/{id}").build(campaignId)))
                .build();
    }

    private Response campaignPage(
            DashboardSession session, String campaignId, int status, String error) {
        String tenantId = session.tenantId();
        Optional<DashboardCampaigns.Campaign> campaign = campaigns.campaign(tenantId, campaignId);
        if (campaign.isEmpty()) {
            return notFound(session, campaignId);
        }
        CampaignPage.Builder page =
                CampaignPage.of(campaign.get(), session.has(Scope.CAMPAIGNS))
                        .counts(
                                LedgerStates.byCampaign(queries.ledgerCounts(tenantId))
                                        .get(campaignId))
                        .unknown(queries.undecidedUnknown(tenantId))
                        .error(error)
                        .funnel(
                                FunnelView.of(
                                        funnels.funnel(tenantId, campaignId, lift.windowDays())))
                        .outbox(
                                queries.outbox(tenantId, campaignId, OUTBOX_PREVIEW),
                                OUTBOX_PREVIEW);
        demoOutbox.of(tenantId, campaignId).ifPresent(page::demo);
        lift.report(tenantId, campaignId).map(LiftHeadline::of).ifPresent(page::lift);
        sendTimes
                .ifBestTime(tenantId, campaignId, lift.windowDays())
                .map(SendTimeView::of)
                .ifPresent(page::sendTime);
        return pages.view(
                status,
                session,
                "campaign",
                "campaigns",
                "Campaign " + campaign.get().name(),
                page.build());
    }

    private Response notFound(DashboardSession session, String campaignId) {
        return pages.notFound(session, "campaigns", "There is no campaign " + campaignId + ".");
    }
}
