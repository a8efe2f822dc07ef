package io.hilal.service.dashboard;

import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.error.ValidationException;
import io.hilal.core.tenant.Scope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * The sender page: the shop's sender identity (from, reply-to, postal address, website) as {@code
 * GET/PUT /v1/sender-identity} reads and sets it, so that a marketer can launch a first campaign
 * without curl (a launch is refused until the shop has one). Setting it needs the {@code campaigns}
 * scope, as the PUT does; a viewer sees it read-only.
 */
@Path("/dashboard/sender")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class SenderPageResource {
    /** A campaign id to go back to after saving; anything else goes back to the campaigns. */
    private static final Pattern CAMPAIGN_ID = Pattern.compile("cmp_[A-Za-z0-9]{1,64}");

    private final CampaignService campaigns;
    private final Pages pages = new Pages();

    public SenderPageResource(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    @GET
    public Response sender(
            @QueryParam("campaign") String campaign, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        return page(
                200,
                session,
                SenderForm.of(
                        campaigns.senderIdentity(session.tenantId()),
                        session.has(Scope.CAMPAIGNS),
                        campaignOrNull(campaign)));
    }

    /**
     * Sets the sender as {@code PUT /v1/sender-identity} does (the same checks), then back to the
     * campaign the marketer came from, or to the campaigns. A refusal shows the form again with
     * what was typed and why, and changes nothing.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @DashboardScope(Scope.CAMPAIGNS)
    public Response save(
            @FormParam("fromAddress") String fromAddress,
            @FormParam("fromName") String fromName,
            @FormParam("replyTo") String replyTo,
            @FormParam("postalAddress") String postalAddress,
            @FormParam("websiteUrl") String websiteUrl,
            @FormParam("campaign") String campaign,
            @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        String back = campaignOrNull(campaign);
        SenderIdentity typed =
                new SenderIdentity(
                        SenderForm.given(fromAddress),
                        SenderForm.given(fromName),
                        SenderForm.given(replyTo),
                        SenderForm.given(postalAddress),
                        SenderForm.given(websiteUrl),
                        null);
        try {
            campaigns.putSenderIdentity(session.tenantId(), typed);
        } catch (ValidationException e) {
            return page(
                    e.status(),
                    session,
                    SenderForm.refused(
                            campaigns.senderIdentity(session.tenantId()), typed, back, e.errors()));
        }
        URI next =
                back == null
                        ? UriBuilder.fromPath("/dashboard/campaigns").build()
                        : UriBuilder.fromPath("/dashboard/studio/{id}").build(back);
        return Pages.withHeaders(Response.seeOther(next)).build();
    }

    private Response page(int status, DashboardSession session, SenderForm form) {
        return pages.view(status, session, "sender", "campaigns", "Sender", form);
    }

    private static String campaignOrNull(String campaign) {
        return campaign != null && CAMPAIGN_ID.matcher(campaign).matches() ? campaign : null;
    }
}
