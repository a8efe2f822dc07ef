package io.hilal.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every campaign worker is down (killed) across a campaign's send time, and one starts again after
 * it. Campaign sends are not Quartz triggers of their own: a launch writes each recipient's send
 * time into the ledger, and one cluster-wide job looks for due sends every few seconds. So on
 * restart Quartz fires that job once, skipping the firings it missed (its misfire policy), and the
 * ledger decides: a send still inside its validity goes out now, once; one whose validity ended
 * meanwhile is EXPIRED, never sent late.
 */
class SchedulerDownAcrossFireTimeIT {
    static GreenMail relay;

    @BeforeAll
    static void startRelay() {
        relay = ServeApps.relay();
    }

    @AfterAll
    static void stopRelay() {
        relay.stop();
    }

    private static final int RECIPIENTS = 12;

    /**
     * A worker looking for due sends every second, whose misfire threshold (1 s) the outage
     * exceeds, so that its restart is a real misfire rather than late firings.
     */
    private static final Map<String, String> WORKER =
            Map.of(
                    "sending.pollSeconds", "1",
                    "scheduler.misfireThresholdMillis", "1000",
                    "scheduler.checkinIntervalMillis", "1000",
                    "sending.heartbeatMillis", "500",
                    "sending.heartbeatTimeoutMillis", "3000");

    @Test
    void aCampaignDueWhileNoWorkerRanGoesOutOnceAtRestartAndOneWhoseValidityEndedExpires() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.icegreen"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        Clock clock = Clock.systemUTC();

        // The cluster's jobs are registered, then its only worker dies.
        String deadWorker;
        try (WorkerProcess first =
                WorkerProcess.start(
                        "scheduler-down-first", url, relay.getSmtp().getPort(), WORKER)) {
            deadWorker = first.workerId();
            first.kill();
        }

        String tenantId =
                new TenantService(jdbi, clock).createTenant("Souq", "UTC").tenant().tenantId();
        customers(jdbi, tenantId, clock.instant());
        CampaignService campaigns = campaigns(jdbi, clock, tenantId);
        Instant fireAt = clock.instant().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        Campaign valid = campaigns.create(tenantId, campaign("Valid a day", fireAt, null));
        Campaign expiring =
                campaigns.create(
                        tenantId, campaign("Valid two seconds", fireAt, fireAt.plusSeconds(2)));
        campaigns.launch(tenantId, valid.id());
        campaigns.launch(tenantId, expiring.id());
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.example");
        SendLedger.Run validRun = new SendLedger.Run(tenantId, valid.id(), "run_1");
        SendLedger.Run expiringRun = new SendLedger.Run(tenantId, expiring.id(), "run_1");
        assertThat(ledger.counts(validRun)).containsOnly(Map.entry("PLANNED", (long) RECIPIENTS));

        await("both campaigns' send time and the short one's validity pass with no worker")
                .atMost(Duration.ofSeconds(20))
                .until(() -> Instant.now().isAfter(fireAt.plusSeconds(3)));
        assertThat(relay.getReceivedMessages()).isEmpty();

        try (WorkerProcess restarted =
                WorkerProcess.start(
                        "scheduler-down-restarted", url, relay.getSmtp().getPort(), WORKER)) {
            await("the restarted worker sends what is still valid and finishes both runs")
                    .atMost(Duration.ofSeconds(40))
                    .until(
                            () ->
                                    runStatus(jdbi, validRun).equals("completed")
                                            && runStatus(jdbi, expiringRun).equals("completed"));
            Instant finished = Instant.now();
            // A few more firings of the send job change nothing.
            await("the send job fires again, two seconds later")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> sendJobFiredAfter(jdbi, finished.plusSeconds(2)));
            await("Quartz takes the dead worker out of the cluster")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> !clusterMembers(jdbi).contains(deadWorker));
            assertThat(clusterMembers(jdbi)).containsExactly(restarted.workerId());
        }

        assertThat(ledger.counts(validRun)).containsOnly(Map.entry("SENT", (long) RECIPIENTS));
        assertThat(ledger.counts(expiringRun))
                .as("past its validity: expired, not sent late")
                .containsOnly(Map.entry("EXPIRED", (long) RECIPIENTS));
        assertThat(runs(jdbi, tenantId)).as("one run per campaign").isEqualTo(2);
        Map<String, Integer> received = new HashMap<>();
        for (MimeMessage message : relay.getReceivedMessages()) {
            assertThat(subject(message)).isEqualTo("Valid a day");
            received.merge(recipient(message), 1, Integer::sum);
        }
        assertThat(received).as("each recipient once").hasSize(RECIPIENTS);
        assertThat(received.values()).containsOnly(1);
    }

    /** Consenting customers c-0 … in UTC. */
    private static void customers(Jdbi jdbi, String tenantId, Instant now) {
        List<CustomerDao.CustomerRow> customers = new ArrayList<>();
        for (int i = 0; i < RECIPIENTS; i++) {
            customers.add(
                    new CustomerDao.CustomerRow(
                            "c-" + i,
                            "c" + i + "@example.invalid",
                            "UTC",
                            null,
                            "granted",
                            "test",
                            now,
                            null,
                            now,
                            now));
        }
        jdbi.useExtension(CustomerDao.class, dao -> dao.upsert(tenantId, customers));
    }

    private static CampaignService campaigns(Jdbi jdbi, Clock clock, String tenantId) {
        MailLinks links =
                new MailLinks(
                        WorkerProcess.LINK_SECRET.getBytes(StandardCharsets.UTF_8),
                        "https://hilal.example",
                        "u@hilal.example");
        CampaignService campaigns =
                new CampaignService(
                        jdbi,
                        HilalJson.newMapper(),
                        clock,
                        new TenantService(jdbi, clock),
                        new EmailComposer(jdbi, links),
                        new SendLedger(jdbi, clock, "mail.hilal.example"),
                        t -> null);
        campaigns.putSenderIdentity(
                tenantId,
                new SenderIdentity("offers@souq.example", "Souq", null, "1 Souq St", null, null));
        return campaigns;
    }

    /**
     * A campaign to everyone, no holdout, no quiet hours, sent at {@code fireAt} to the second: at
     * a whole minute in a zone offset from UTC by the seconds between, since schedules name a local
     * hour and minute. Valid until {@code validUntil}, or a day.
     */
    private static CampaignRequest campaign(String name, Instant fireAt, Instant validUntil) {
        LocalDateTime minute =
                LocalDateTime.ofInstant(fireAt, ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.MINUTES)
                        .plusMinutes(1);
        ZoneOffset zone =
                ZoneOffset.ofTotalSeconds(
                        (int)
                                Duration.between(fireAt, minute.toInstant(ZoneOffset.UTC))
                                        .toSeconds());
        assertThat(minute.atOffset(zone).toInstant()).isEqualTo(fireAt);
        return new CampaignRequest(
                name,
                null,
                0.0,
                new CampaignRequest.Offer(name, "<p>" + name + "</p>", name, null, null),
                new CampaignRequest.Schedule(
                        "at",
                        minute.toLocalDate(),
                        minute.toLocalTime(),
                        zone.getId(),
                        null,
                        null,
                        null,
                        validUntil == null ? "P1D" : null,
                        validUntil,
                        null),
                new CampaignRequest.Limits(null, CampaignRequest.QuietHours.OFF, null, null));
    }

    private static String runStatus(Jdbi jdbi, SendLedger.Run run) {
        return jdbi.withHandle(
                handle ->
                        handle.select(
                                        "SELECT status FROM campaign_runs WHERE tenant_id = ?"
                                                + " AND campaign_id = ? AND run_id = ?",
                                        run.tenantId(),
                                        run.campaignId(),
                                        run.runId())
                                .mapTo(String.class)
                                .one());
    }

    private static int runs(Jdbi jdbi, String tenantId) {
        return jdbi.withHandle(
                handle ->
                        handle.select(
                                        "SELECT COUNT(*) FROM campaign_runs WHERE tenant_id = ?",
                                        tenantId)
                                .mapTo(Integer.class)
                                .one());
    }

    /** Whether the cluster's send job last fired after {@code after}. */
    private static boolean sendJobFiredAfter(Jdbi jdbi, Instant after) {
        long previous =
                jdbi.withHandle(
                        handle ->
                                handle.select(
                                                "SELECT PREV_FIRE_TIME FROM QRTZ_TRIGGERS"
                                                        + " WHERE TRIGGER_NAME = 'campaign-sends'")
                                        .mapTo(Long.class)
                                        .one());
        return previous > after.toEpochMilli();
    }

    private static List<String> clusterMembers(Jdbi jdbi) {
        return jdbi.withHandle(
                handle ->
                        handle.select("SELECT INSTANCE_NAME FROM QRTZ_SCHEDULER_STATE")
                                .mapTo(String.class)
                                .list());
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getRecipients(Message.RecipientType.TO)[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
