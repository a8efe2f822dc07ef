package io.hilal.service.dashboard;

import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.dashboard.DashboardQueries;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outbox: the campaign mail the built-in capture of {@code ./hilal serve} received, when no
 * SMTP relay is configured, or a plain statement that mail goes to the workers' relay; and the
 * campaign workers' health, from the heartbeats they write and the sends they hold. Only the
 * session's tenant's campaigns and sends are shown.
 */
@Path("/dashboard/outbox")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class OutboxResource {
    static final int SHOWN = 20;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm:ss 'UTC'", Locale.ENGLISH)
                    .withZone(ZoneOffset.UTC);

    /**
     * A worker whose heartbeat is older than this may have stopped: the workers' default heartbeat
     * timeout ({@code sending.heartbeatTimeoutMillis}), after which the other workers recover its
     * sends and take over its share, so the page never calls running a worker they count as dead.
     */
    static final Duration STALE_AFTER = Duration.ofSeconds(10);

    /** Workers shown at most. */
    static final int WORKERS_SHOWN = 20;

    /** The page. */
    public record OutboxView(
            boolean capturing,
            int received,
            int shown,
            boolean hasEmails,
            List<Email> emails,
            boolean hasWorkers,
            List<Worker> workers,
            DemoCampaign demo) {

        /** After how many seconds of silence a worker counts as stopped, as the page says. */
        public long staleSeconds() {
            return STALE_AFTER.toSeconds();
        }
    }

    /**
     * The demo's campaign when this tenant is the demo's: its emails went to the demo's own
     * capture, not to a relay, and are shown on the campaign's page.
     */
    public record DemoCampaign(String campaignId, String campaignName, int received) {}

    /**
     * One campaign worker: its last heartbeat, whether that is recent, and how many of this
     * tenant's sends it has in flight.
     */
    public record Worker(
            String workerId,
            String startedAt,
            String heartbeatAt,
            String heartbeatAge,
            boolean alive,
            long inFlight) {}

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
    private final DemoOutbox demoOutbox;
    private final CampaignService campaigns;
    private final DashboardQueries queries;
    private final Clock clock;
    private final Pages pages = new Pages();

    public OutboxResource(
            MailCapture capture,
            DemoOutbox demoOutbox,
            CampaignService campaigns,
            DashboardQueries queries,
            Clock clock) {
        this.capture = capture;
        this.demoOutbox = demoOutbox;
        this.campaigns = campaigns;
        this.queries = queries;
        this.clock = clock;
    }

    @GET
    public Response outbox(@Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        return pages.view(200, session, "outbox", "outbox", "Outbox", view(session.tenantId()));
    }

    OutboxView view(String tenantId) {
        List<Worker> workers = workers(tenantId);
        DemoOutbox.Snapshot snapshot = demoOutbox.snapshot();
        DemoCampaign demo =
                snapshot != null && snapshot.tenantId().equals(tenantId)
                        ? new DemoCampaign(
                                snapshot.campaignId(), snapshot.campaignName(), snapshot.received())
                        : null;
        if (!capture.running()) {
            return new OutboxView(false, 0, 0, false, List.of(), !workers.isEmpty(), workers, demo);
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
        return new OutboxView(
                true,
                contents.count(),
                emails.size(),
                !emails.isEmpty(),
                emails,
                !workers.isEmpty(),
                workers,
                demo);
    }

    /** The workers' heartbeats, with this tenant's sends each has in flight. */
    List<Worker> workers(String tenantId) {
        Map<String, Long> inFlight = new HashMap<>();
        for (DashboardQueries.InFlight sends : queries.inFlight(tenantId)) {
            if (sends.worker() != null) {
                inFlight.put(sends.worker(), sends.sends());
            }
        }
        Instant now = clock.instant();
        List<Worker> workers = new ArrayList<>();
        for (DashboardQueries.Worker worker : queries.workers(WORKERS_SHOWN)) {
            Duration age = Duration.between(worker.heartbeatAt(), now);
            workers.add(
                    new Worker(
                            worker.workerId(),
                            TIME.format(worker.startedAt()),
                            TIME.format(worker.heartbeatAt()),
                            age(age),
                            age.compareTo(STALE_AFTER) <= 0,
                            inFlight.getOrDefault(worker.workerId(), 0L)));
        }
        return workers;
    }

    /** "4 s ago", "3 min ago", "2 h ago", "5 days ago". */
    static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 2 * 86_400) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86_400 + " days ago";
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
