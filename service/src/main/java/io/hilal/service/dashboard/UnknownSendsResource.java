package io.hilal.service.dashboard;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.error.HilalException;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.tenant.Scope;
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
import java.text.NumberFormat;
import java.util.Locale;

/**
 * A marketer's decision on a campaign's sends of unknown fate after a worker stopped while sending:
 * resend them or close them, each after a confirmation page that says what it will do. The
 * campaign's page shows them and links here; the decision needs the campaigns scope, as the API's.
 */
@Path("/dashboard/campaigns/{campaignId}/unknown-sends")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class UnknownSendsResource {
    /** The confirmation page of a decision. */
    public record ConfirmView(
            String campaignId,
            String name,
            String decision,
            String label,
            String consequence,
            boolean nothingToDecide) {}

    private final CampaignService campaigns;
    private final Pages pages = new Pages();

    public UnknownSendsResource(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    @GET
    @Path("confirm/{action: resend|close}")
    public Response confirm(
            @PathParam("campaignId") String campaignId,
            @PathParam("action") String decision,
            @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        Campaign campaign;
        CampaignService.UnknownFate unknown;
        try {
            campaign = campaigns.get(session.tenantId(), campaignId);
            unknown = campaigns.unknownFate(session.tenantId(), campaignId);
        } catch (NotFoundException e) {
            return notFound(session, campaignId);
        }
        String label = "resend".equals(decision) ? "Resend" : "Close";
        return pages.view(
                200,
                session,
                "unknown-sends-confirm",
                "campaigns",
                label + " the sends of unknown fate of " + campaign.name(),
                new ConfirmView(
                        campaignId,
                        campaign.name(),
                        decision,
                        label,
                        consequence(decision, unknown.sends()),
                        unknown.sends() == 0));
    }

    @POST
    @Path("{action: resend|close}")
    @DashboardScope(Scope.CAMPAIGNS)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(
            @PathParam("campaignId") String campaignId,
            @PathParam("action") String decision,
            @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        try {
            if ("resend".equals(decision)) {
                campaigns.resendUnknown(session.tenantId(), campaignId);
            } else {
                campaigns.closeUnknown(session.tenantId(), campaignId);
            }
        } catch (NotFoundException e) {
            return notFound(session, campaignId);
        } catch (HilalException e) {
            return pages.view(
                    e.status(),
                    session,
                    "not-found",
                    "campaigns",
                    "That did not work",
                    new Pages.Message(e.detail()));
        }
        return Pages.withHeaders(
                        Response.seeOther(
                                UriBuilder.fromPath("/dashboard/campaigns/{id}").build(campaignId)))
                .build();
    }

    /** What a decision will do, in a sentence with this campaign's count. */
    static String consequence(String decision, long sends) {
        if (sends == 0) {
            return "This campaign has no sends of unknown fate waiting for a decision.";
        }
        String count = NumberFormat.getIntegerInstance(Locale.ENGLISH).format(sends);
        String noun = sends == 1 ? "send" : "sends";
        return "resend".equals(decision)
                ? "Will email the "
                        + count
                        + " customers of the "
                        + noun
                        + " of unknown fate again, as soon as their quiet hours, caps and the"
                        + " offer's validity allow. Those whose first copy did reach the relay"
                        + " before the worker stopped get a second one (with the same Message-ID)."
                : "Will close the "
                        + count
                        + " "
                        + noun
                        + " of unknown fate: they are not sent again and stay counted as possibly"
                        + " sent. Those whose first copy never reached the relay get nothing from"
                        + " this campaign.";
    }

    private Response notFound(DashboardSession session, String campaignId) {
        return pages.notFound(session, "campaigns", "There is no campaign " + campaignId + ".");
    }
}
