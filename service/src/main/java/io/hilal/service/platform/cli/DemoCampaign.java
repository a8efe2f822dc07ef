package io.hilal.service.platform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.mail.SmtpFactory;
import io.hilal.core.campaigns.mail.SmtpPool;
import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.campaigns.sending.WorkerDao;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.tenant.TenantService;
import io.hilal.service.dashboard.DemoOutbox;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The demo's campaign: a post-Eid repeat-purchase offer on the Online Retail data, sent by the
 * campaign worker's Quartz send job ({@link DemoSending}) on a replayed clock against an embedded
 * SMTP capture (GreenMail). Eid al-Fitr 1432 AH fell on 2011-08-30; the campaign goes out 7 days
 * later at 10:00 in each customer's time zone to customers whose restock (from the repeat-purchase
 * model, trained on the data up to then) is due within 30 days, with a 20% holdout: of the about
 * 800 customers due, 10% would hold out fewer than the 100 a lift report needs in each arm. The
 * clock steps through 6 September 2011 hour by hour, so each time zone's 10:00 comes in turn.
 */
final class DemoCampaign {
    static final String NAME = "Eid al-Fitr restock (demo)";
    private static final Instant PLAN_AT = Instant.parse("2011-09-05T12:00:00Z");

    private DemoCampaign() {}

    /** A clock the demo moves by hand. */
    private static final class ReplayClock extends Clock {
        private volatile Instant now = PLAN_AT;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * How recently a campaign worker must have beaten to count as running: a few of the workers'
     * heartbeat timeouts, so one between beats is not missed.
     */
    static final Duration WORKER_RUNNING_WITHIN = Duration.ofMinutes(1);

    /**
     * The campaign workers running on this database now, by the wall clock ({@code now}). A running
     * {@code ./hilal worker} sends due campaigns of every tenant: it would find the replay's 2011
     * sends long past their send time and expire them as late, so the demo replays only without
     * one. The replay's own heartbeat (a 2011 time) never counts.
     */
    static List<String> runningWorkers(Jdbi jdbi, Instant now) {
        return jdbi.withExtension(
                WorkerDao.class, dao -> dao.liveWorkers(now.minus(WORKER_RUNNING_WITHIN)));
    }

    /**
     * Replays the campaign and says what it sent, or says why it did not and returns empty: a
     * campaign worker runs on the same database.
     */
    static Optional<DemoOutbox.Snapshot> run(
            Jdbi jdbi,
            DataSource dataSource,
            DemoSending sending,
            ObjectMapper mapper,
            MailLinks links,
            String messageIdDomain,
            String tenantId,
            Consumer<String> progress)
            throws Exception {
        List<String> workers = runningWorkers(jdbi, Instant.now());
        if (!workers.isEmpty()) {
            progress.accept(
                    "Not replaying the demo's campaign: campaign worker "
                            + String.join(", ", workers)
                            + " runs on this database, and it would expire the replay's 2011 sends"
                            + " as late. Stop ./hilal worker, then run ./hilal demo again to see"
                            + " the campaign.");
            return Optional.empty();
        }
        ReplayClock clock = new ReplayClock();
        TenantService tenants = new TenantService(jdbi, clock);
        progress.accept("Training the recommender on the data up to " + PLAN_AT + "...");
        RecommendationModel model = new RecommendationTrainer(jdbi).train(tenantId, PLAN_AT);
        SendLedger ledger = new SendLedger(jdbi, clock, messageIdDomain);
        EmailComposer composer = new EmailComposer(jdbi, links);
        CampaignService campaigns =
                new CampaignService(jdbi, mapper, clock, tenants, composer, ledger, t -> model);
        campaigns.putSenderIdentity(
                tenantId,
                new SenderIdentity(
                        "offers@shop.example.invalid",
                        "Online Retail (demo)",
                        null,
                        "Demo Shop Ltd, 1 Example Street, London",
                        "https://shop.example.invalid",
                        null));
        Campaign campaign = campaigns.create(tenantId, definition());
        campaigns.launch(tenantId, campaign.id());

        GreenMail capture = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        ExecutorService executor = Executors.newFixedThreadPool(4);
        capture.start();
        try {
            SmtpFactory smtp = new SmtpFactory();
            smtp.setPort(capture.getSmtp().getPort());
            smtp.setConnections(2);
            try (SmtpPool pool = smtp.build()) {
                CampaignSender sender =
                        new CampaignSender(
                                jdbi,
                                clock,
                                ledger,
                                campaigns,
                                composer,
                                tenants,
                                pool,
                                t -> model,
                                executor,
                                new CampaignSender.Settings(
                                        "demo",
                                        4,
                                        500,
                                        Duration.ofMinutes(1),
                                        Duration.ofMinutes(1),
                                        false,
                                        0,
                                        0));
                sender.heartbeat();
                List<Instant> hours = new ArrayList<>();
                for (Instant at = Instant.parse("2011-09-05T20:00:00Z");
                        !at.isAfter(Instant.parse("2011-09-07T04:00:00Z"));
                        at = at.plus(Duration.ofHours(1))) {
                    hours.add(at);
                }
                sending.replay(
                        dataSource,
                        sender,
                        hours,
                        at -> {
                            clock.now = at;
                            sender.heartbeat();
                        });
                var counts = campaigns.ledger(tenantId, campaign.id()).counts();
                progress.accept(
                        "Sent "
                                + counts.getOrDefault("SENT", 0L)
                                + " campaign emails through the worker's Quartz send job to the"
                                + " embedded SMTP capture");
                long expired = counts.getOrDefault("EXPIRED", 0L);
                if (expired > 0) {
                    progress.accept(
                            "Warning: "
                                    + expired
                                    + " of the campaign's sends expired as late: a campaign worker"
                                    + " started on this database during the replay. Stop ./hilal"
                                    + " worker, then run ./hilal demo again.");
                }
            }
            MimeMessage[] received = capture.getReceivedMessages();
            List<DemoOutbox.Email> emails = new ArrayList<>();
            for (int i = 0; i < Math.min(12, received.length); i++) {
                emails.add(email(received[i]));
            }
            return Optional.of(
                    new DemoOutbox.Snapshot(
                            tenantId,
                            NAME,
                            campaign.id(),
                            received.length,
                            emails,
                            campaigns.ledger(tenantId, campaign.id()).counts()));
        } finally {
            executor.shutdownNow();
            capture.stop();
        }
    }

    private static CampaignRequest definition() {
        return new CampaignRequest(
                NAME,
                new CampaignRequest.Audience(null, null, 30, null, null, null),
                0.20,
                new CampaignRequest.Offer(
                        "Eid Mubarak! Time to restock?",
                        "<html><body><h2>Eid Mubarak!</h2><p>It has been a while since your last"
                                + " order. Here is what you usually buy again around now, and a"
                                + " few things we think you will like.</p>{{{productBlock}}}"
                                + "<p>Use code <strong>{{couponCode}}</strong> for 10% off this"
                                + " week.</p></body></html>",
                        "Eid Mubarak!\n\nIt has been a while since your last order. Here is what"
                                + " you usually buy again around now:\n\n{{productBlock}}\nUse"
                                + " code {{couponCode}} for 10% off this week.",
                        "EID10",
                        new CampaignRequest.ProductBlock("email", 2, 3)),
                new CampaignRequest.Schedule(
                        CampaignRequest.ANCHOR,
                        null,
                        LocalTime.of(10, 0),
                        null,
                        new CampaignRequest.Anchor("eid_al_fitr", 1432, null, null),
                        7,
                        null,
                        "P2D",
                        null),
                null);
    }

    private static DemoOutbox.Email email(MimeMessage message) throws Exception {
        String text = "";
        String html = "";
        if (message.getContent() instanceof Multipart parts) {
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart part = parts.getBodyPart(i);
                if (part.isMimeType("text/plain")) {
                    text = part.getContent().toString();
                } else if (part.isMimeType("text/html")) {
                    html = part.getContent().toString();
                }
            }
        }
        return new DemoOutbox.Email(
                message.getRecipients(Message.RecipientType.TO)[0].toString(),
                message.getSubject(),
                text,
                html);
    }
}
