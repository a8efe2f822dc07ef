package io.hilal.service.dashboard;

import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.error.NotFoundException;
import io.hilal.service.campaigns.MailCapture;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outbox: the campaign mail the built-in capture of {@code ./hilal serve} received, when no
 * SMTP relay is configured, or a plain statement that mail goes to the workers' relay. Only the
 * session's tenant's campaigns are shown.
 */
@Path("/dashboard/outbox")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class OutboxResource {
    static final int SHOWN = 20;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm:ss 'UTC'", Locale.ENGLISH)
                    .withZone(ZoneOffset.UTC);

    /** The page. */
    public record OutboxView(
            boolean capturing, int received, int shown, boolean hasEmails, List<Email> emails) {}

    /** One captured email as the page shows it; the first one opens. */
    public record Email(
            boolean first,
            String campaignId,
            String campaignName,
            String to,
            String subject,
            String receivedAt,
            String text,
            String html,
            boolean hasHtml) {}

    private final MailCapture capture;
    private final CampaignService campaigns;
    private final Pages pages = new Pages();

    public OutboxResource(MailCapture capture, CampaignService campaigns) {
        this.capture = capture;
        this.campaigns = campaigns;
    }

    @GET
    public Response outbox(@Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        return pages.view(200, session, "outbox", "outbox", "Outbox", view(session.tenantId()));
    }

    OutboxView view(String tenantId) {
        if (!capture.running()) {
            return new OutboxView(false, 0, 0, false, List.of());
        }
        Map<String, String> names = new HashMap<>();
        MailCapture.Contents contents =
                capture.contents(campaignId -> ownName(tenantId, campaignId, names), SHOWN);
        List<Email> emails = new ArrayList<>();
        for (MailCapture.Email email : contents.latest()) {
            emails.add(
                    new Email(
                            emails.isEmpty(),
                            email.campaignId(),
                            names.get(email.campaignId()),
                            email.to(),
                            email.subject(),
                            email.receivedAt() == null ? "" : TIME.format(email.receivedAt()),
                            email.text(),
                            email.html(),
                            !email.html().isBlank()));
        }
        return new OutboxView(true, contents.count(), emails.size(), !emails.isEmpty(), emails);
    }

    /** Whether the campaign is this tenant's, noting its name if so. */
    private boolean ownName(String tenantId, String campaignId, Map<String, String> names) {
        if (campaignId.isEmpty()) {
            return false;
        }
        try {
            names.put(campaignId, campaigns.get(tenantId, campaignId).name());
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
