package io.hilal.worker.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.CampaignStatus;
import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.campaigns.sending.SendPace;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.core.testing.TestSmtp;
import io.hilal.worker.testing.WorkerFixture;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A separate worker process killed with SIGKILL at random points of a 5,000-recipient send, 20
 * times, each kill followed by recovery: nobody gets two emails, every recorded send was received
 * exactly once, every recipient ends in a final state, and each kill leaves at most the send
 * concurrency of sends with an unknown fate. And a paced campaign killed as an operator would kill
 * it: it leaves at most a few seconds of its pace unknown, and resending them reaches everyone.
 */
class KillRecoveryIT {
    /** A free port, so parallel builds on one machine do not collide. */
    static final ServerSetup SMTP = TestSmtp.onFreePort();

    @RegisterExtension static final GreenMailExtension RELAY = new GreenMailExtension(SMTP);

    private static final int RECIPIENTS = 5_000;
    private static final int TRIALS = 20;
    private static final int CONCURRENCY = 4;

    @Test
    void killedWorkersNeverSendTwiceAndLeaveAtMostTheirConcurrencyUnknown() throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.icegreen"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(SendWorkerProcess.pool(url)));
        Clock clock = Clock.systemUTC();
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.example");
        SendLedger.Run run = launch(jdbi, clock, RECIPIENTS, null).run();

        // Recovery as another worker does it once the dead one's heartbeat is stale.
        CampaignSender recovery =
                SendWorkerProcess.sender(jdbi, clock, port(), "recovery", CONCURRENCY);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        File log = Path.of("target", "kill-recovery-workers.log").toFile();
        long unknownBefore = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            long sentBefore = ledger.counts(run).getOrDefault("SENT", 0L);
            long killAt = sentBefore + 1 + random.nextInt(120);
            Process worker = start(url, "killed-" + trial, log, CONCURRENCY, null);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(5))
                    .until(
                            () ->
                                    ledger.counts(run).getOrDefault("SENT", 0L) >= killAt
                                            || !worker.isAlive());
            worker.destroyForcibly(); // SIGKILL
            worker.waitFor();
            recovery.recover();
            long unknown = ledger.counts(run).getOrDefault("UNKNOWN_INFLIGHT", 0L);
            assertThat(unknown - unknownBefore)
                    .as("unknown sends left by kill %d (seed %d)", trial, seed)
                    .isLessThanOrEqualTo(CONCURRENCY);
            unknownBefore = unknown;
        }
        // A healthy worker finishes the run (with more threads: the kills are over).
        CampaignSender finisher = SendWorkerProcess.sender(jdbi, clock, port(), "finisher", 16);
        finisher.heartbeat();
        while (finisher.sendDue().sent() > 0) {
            finisher.heartbeat();
        }

        Map<String, Long> counts = ledger.counts(run);
        assertThat(counts.keySet())
                .as("every recipient in a final state")
                .containsOnly("SENT", "HELD_OUT", "UNKNOWN_INFLIGHT");
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(RECIPIENTS);
        assertThat(counts.get("UNKNOWN_INFLIGHT")).isLessThanOrEqualTo((long) TRIALS * CONCURRENCY);

        Map<String, Integer> received = new HashMap<>();
        for (MimeMessage message : RELAY.getReceivedMessages()) {
            received.merge(message.getMessageID(), 1, Integer::sum);
        }
        assertThat(received.values()).as("no duplicates").allMatch(count -> count == 1);
        List<String> sent =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT message_id FROM campaign_sends WHERE"
                                                        + " state = 'SENT'")
                                        .mapTo(String.class)
                                        .list());
        assertThat(sent).hasSize(counts.get("SENT").intValue());
        assertThat(received.keySet()).as("every recorded send was received").containsAll(sent);
        assertThat(received.size())
                .isBetween(sent.size(), sent.size() + counts.get("UNKNOWN_INFLIGHT").intValue());
    }

    @Test
    void aPacedCampaignKilledLeavesAtMostAFewSecondsOfItsPaceUnknownAndAResendReachesEveryone()
            throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.icegreen"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(SendWorkerProcess.pool(url)));
        Clock clock = Clock.systemUTC();
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.example");
        // As the operator ran it: a campaign at 5 a second on a worker with the default 64 in
        // flight, claimed 32 per commit. It used to claim all 64 at once.
        // 100 recipients: the finisher sends the rest at the campaign's pace (20 s, not a minute).
        Launched launched = launch(jdbi, clock, 100, 5.0);
        SendLedger.Run run = launched.run();
        int bound = SendPace.of(64, 32, 0, 5.0).inFlight();
        assertThat(bound).isLessThanOrEqualTo(10);

        File log = Path.of("target", "kill-recovery-workers.log").toFile();
        Process worker = start(url, "paced", log, 64, 32);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> ledger.counts(run).getOrDefault("SENT", 0L) >= 3 || !worker.isAlive());
        worker.destroyForcibly(); // SIGKILL
        worker.waitFor();
        CampaignSender recovery = SendWorkerProcess.sender(jdbi, clock, port(), "recovery", 4);
        recovery.recover();

        Map<String, Long> counts = ledger.counts(run);
        long unknown = counts.getOrDefault("UNKNOWN_INFLIGHT", 0L);
        assertThat(counts.getOrDefault("PLANNED", 0L))
                .as("killed while most of the run was still to send")
                .isGreaterThan(60);
        assertThat(unknown)
                .as("unknown after the kill, at most 2 s of 5 a second")
                .isBetween(1L, (long) bound);
        long received = RELAY.getReceivedMessages().length;
        assertThat(received - counts.get("SENT"))
                .as("what the relay got beyond the recorded sends is among the unknown")
                .isBetween(0L, unknown);
        CampaignService.UnknownFate fate =
                launched.campaigns().unknownFate(run.tenantId(), run.campaignId());
        assertThat(fate.sends()).isEqualTo(unknown);
        assertThat(fate.groups()).extracting(SendLedger.UnknownSends::worker).containsOnly("paced");

        // The marketer resends them; a healthy worker finishes the run.
        assertThat(launched.campaigns().resendUnknown(run.tenantId(), run.campaignId()).sends())
                .isEqualTo((int) unknown);
        CampaignSender finisher = SendWorkerProcess.sender(jdbi, clock, port(), "finisher", 16);
        finisher.heartbeat();
        while (finisher.sendDue().sent() > 0) {
            finisher.heartbeat();
        }
        counts = ledger.counts(run);
        assertThat(counts.keySet()).containsOnly("SENT", "HELD_OUT");
        Map<String, Integer> copies = new HashMap<>();
        for (MimeMessage message : RELAY.getReceivedMessages()) {
            copies.merge(message.getMessageID(), 1, Integer::sum);
        }
        assertThat(copies)
                .as("every treated customer got the email")
                .hasSize(counts.get("SENT").intValue());
        assertThat(copies.values().stream().filter(n -> n > 1).count())
                .as("second copies only where the relay may have had the first")
                .isLessThanOrEqualTo(unknown);
        assertThat(copies.values()).allMatch(n -> n <= 2);
        assertThat(launched.campaigns().get(run.tenantId(), run.campaignId()).status())
                .isEqualTo(CampaignStatus.COMPLETED);
    }

    private static int port() {
        return SMTP.getPort();
    }

    /** A launched campaign's first run and the service that launched it. */
    record Launched(SendLedger.Run run, CampaignService campaigns) {}

    /**
     * A tenant with {@code recipients} consenting customers and a campaign to all of them (10% held
     * out), due an hour ago, sent at {@code perSecond} (null: unpaced), launched.
     */
    static Launched launch(Jdbi jdbi, Clock clock, int recipients, Double perSecond) {
        TenantService tenants = new TenantService(jdbi, clock);
        String tenantId = tenants.createTenant("Souq", "UTC").tenant().tenantId();
        Instant now = clock.instant();
        WorkerFixture.consentingCustomers(jdbi, tenantId, recipients, now);
        CampaignService campaigns =
                WorkerFixture.campaigns(
                        jdbi, clock, new SendLedger(jdbi, clock, "mail.hilal.example"), tenantId);
        Campaign campaign =
                campaigns.create(
                        tenantId,
                        new CampaignRequest(
                                "Kill test",
                                null,
                                0.1,
                                new CampaignRequest.Offer("Hi", "<p>Hi</p>", "Hi", null, null),
                                WorkerFixture.dueAnHourAgo(now),
                                new CampaignRequest.Limits(
                                        null,
                                        WorkerFixture.quietHoursLater(now),
                                        null,
                                        perSecond)));
        campaigns.launch(tenantId, campaign.id());
        return new Launched(new SendLedger.Run(tenantId, campaign.id(), "run_1"), campaigns);
    }

    /**
     * A hundred mailboxes shared by the 5,000 recipients: GreenMail slows down with every new
     * mailbox, and duplicates are told by the deterministic Message-ID anyway.
     */
    private static String mailbox(int customer) {
        return "box" + (customer % 100) + "@example.invalid";
    }

    private static Process start(
            String url, String workerId, File log, int concurrency, Integer claimBatch)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder =
                new ProcessBuilder(
                                java,
                                "-Xmx256m",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                SendWorkerProcess.class.getName(),
                                url,
                                Integer.toString(port()),
                                workerId,
                                Integer.toString(CONCURRENCY))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        builder.environment().put("HILAL_TEST_DB_USER", TestDatabase.user());
        builder.environment().put("HILAL_TEST_DB_PASSWORD", TestDatabase.password());
        return builder.start();
    }
}
