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
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three campaign workers, each a JVM of its own as an operator runs it, send one campaign side by
 * side: each sends a part and together every recipient exactly once. Then one of them is killed
 * (SIGKILL) in the middle of a second campaign: within seconds of its heartbeat timing out the
 * survivors have marked its sends in flight UNKNOWN_INFLIGHT (at most its concurrency) and taken
 * over its share, with no Quartz firing involved, and they finish the campaign; nobody gets two
 * emails.
 */
class SendingAcrossWorkersIT {
    static GreenMail relay;

    @BeforeAll
    static void startRelay() {
        relay = ServeApps.relay();
    }

    @AfterAll
    static void stopRelay() {
        relay.stop();
    }

    /** Sends in flight per worker: the most a kill may leave of unknown fate. */
    private static final int CONCURRENCY = 8;

    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

    /**
     * Workers that look for due sends every second and count a peer dead after 3 s, whose Quartz
     * cluster checks in only once a minute: what they take over from a dead peer within seconds is
     * their own doing, not Quartz's recovery of the dead member.
     */
    private static final Map<String, String> WORKER =
            Map.of(
                    "sending.pollSeconds", "1",
                    "sending.concurrency", Integer.toString(CONCURRENCY),
                    "sending.claimBatch", "4",
                    "sending.heartbeatMillis", "500",
                    "sending.heartbeatTimeoutMillis", Long.toString(HEARTBEAT_TIMEOUT.toMillis()),
                    "scheduler.checkinIntervalMillis", "60000");

    @Test
    void workersSendACampaignSideBySideAndSurvivorsTakeOverAKilledOnesShareInSeconds() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.icegreen"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        Clock clock = Clock.systemUTC();
        String tenantId =
                new TenantService(jdbi, clock).createTenant("Souq", "UTC").tenant().tenantId();
        customers(jdbi, tenantId, 2_000, clock.instant());
        CampaignService campaigns = campaigns(jdbi, clock, tenantId);
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.example");
        int port = relay.getSmtp().getPort();

        try (WorkerProcess first = WorkerProcess.start("spread-1", url, port, WORKER);
                WorkerProcess second = WorkerProcess.start("spread-2", url, port, WORKER);
                WorkerProcess third = WorkerProcess.start("spread-3", url, port, WORKER)) {
            List<String> workers = List.of(first.workerId(), second.workerId(), third.workerId());
            await("each worker sees the three alive")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> live(jdbi).containsAll(workers));

            // One campaign, three workers: each sends a part, together everyone once.
            SendLedger.Run together = launch(campaigns, tenantId, "Together", clock);
            await("the three workers send the whole campaign")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> runStatus(jdbi, together).equals("completed"));
            assertThat(ledger.counts(together)).containsOnly(Map.entry("SENT", 2_000L));
            Map<String, Long> byWorker = sentByWorker(jdbi, together);
            assertThat(byWorker.keySet()).as("each worker sent a part").isEqualTo(set(workers));
            assertThat(byWorker.values()).allMatch(sent -> sent >= 100);
            assertThat(copies("Together").values()).hasSize(2_000).containsOnly(1);

            // A second campaign, to twice as many; the third worker is killed in the middle of it.
            customers(jdbi, tenantId, 4_000, clock.instant());
            SendLedger.Run killedMidway = launch(campaigns, tenantId, "Killed", clock);
            await("the third worker is sending its share")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> claimedBy(jdbi, killedMidway, third.workerId()) >= 300);
            third.kill();
            Instant killedAt = Instant.now();
            long unfinishedAtKill = unfinished(jdbi, killedMidway);
            assertThat(unfinishedAtKill).as("killed mid-campaign").isGreaterThan(500);

            await("the survivors mark the dead worker's sends in flight and take its share")
                    .atMost(HEARTBEAT_TIMEOUT.plusSeconds(7))
                    .pollInterval(Duration.ofMillis(50))
                    .until(
                            () ->
                                    inFlight(jdbi, killedMidway, third.workerId()) == 0
                                            && claimedInShareAfter(
                                                    jdbi,
                                                    killedMidway,
                                                    workers.stream().sorted().toList(),
                                                    third.workerId(),
                                                    killedAt));
            await("the survivors finish the campaign")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> runStatus(jdbi, killedMidway).equals("completed"));

            Map<String, Long> counts = ledger.counts(killedMidway);
            assertThat(counts.keySet()).isSubsetOf("SENT", "UNKNOWN_INFLIGHT");
            long unknown = counts.getOrDefault("UNKNOWN_INFLIGHT", 0L);
            assertThat(unknown)
                    .as("at most the killed worker's concurrency")
                    .isLessThan(CONCURRENCY + 1L);
            assertThat(counts.get("SENT") + unknown).isEqualTo(4_000L);
            assertThat(unknownWorkers(jdbi, killedMidway))
                    .as("only the killed worker's sends are of unknown fate")
                    .isSubsetOf(third.workerId());
            assertThat(sentByWorker(jdbi, killedMidway).keySet())
                    .contains(first.workerId(), second.workerId());
            Map<String, Integer> received = copies("Killed");
            assertThat(received.values()).as("nobody twice").containsOnly(1);
            assertThat((long) received.size())
                    .as("every send recorded SENT was received, the unknown ones may have been")
                    .isBetween(counts.get("SENT"), counts.get("SENT") + unknown);
            assertThat(sentIds(jdbi, killedMidway)).allMatch(received::containsKey);
        }
    }

    private static java.util.Set<String> set(List<String> values) {
        return new java.util.HashSet<>(values);
    }

    /** The workers whose heartbeat is fresh. */
    private static List<String> live(Jdbi jdbi) {
        Instant cutoff = Instant.now().minus(HEARTBEAT_TIMEOUT);
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT worker_id FROM campaign_workers"
                                                + " WHERE heartbeat_at >= :cutoff")
                                .bind("cutoff", cutoff)
                                .mapTo(String.class)
                                .list());
    }

    /**
     * Consenting customers c-0 … in UTC, sharing a hundred mailboxes: GreenMail slows down with
     * every new mailbox, and copies are told apart by their deterministic Message-ID anyway.
     */
    private static void customers(Jdbi jdbi, String tenantId, int count, Instant now) {
        List<CustomerDao.CustomerRow> customers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            customers.add(
                    new CustomerDao.CustomerRow(
                            "c-" + i,
                            "box" + (i % 100) + "@example.invalid",
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
     * Launches a campaign named {@code name} to every customer, due an hour ago, unthrottled, no
     * holdout.
     */
    private static SendLedger.Run launch(
            CampaignService campaigns, String tenantId, String name, Clock clock) {
        Instant hourAgo = clock.instant().minus(Duration.ofHours(1));
        LocalTime quietFrom = LocalTime.ofInstant(clock.instant(), ZoneOffset.UTC).plusHours(6);
        Campaign campaign =
                campaigns.create(
                        tenantId,
                        new CampaignRequest(
                                name,
                                null,
                                0.0,
                                new CampaignRequest.Offer(
                                        name, "<p>" + name + "</p>", name, null, null),
                                new CampaignRequest.Schedule(
                                        "at",
                                        LocalDate.ofInstant(hourAgo, ZoneOffset.UTC),
                                        LocalTime.ofInstant(hourAgo, ZoneOffset.UTC)
                                                .withSecond(0)
                                                .withNano(0),
                                        null,
                                        null,
                                        null,
                                        null,
                                        "P1D",
                                        null,
                                        CampaignRequest.LATE_SEND_NOW),
                                new CampaignRequest.Limits(
                                        null,
                                        new CampaignRequest.QuietHours(
                                                quietFrom, quietFrom.plusHours(1)),
                                        null,
                                        null)));
        campaigns.launch(tenantId, campaign.id());
        return new SendLedger.Run(tenantId, campaign.id(), "run_1");
    }

    private static String runStatus(Jdbi jdbi, SendLedger.Run run) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT status FROM campaign_runs WHERE tenant_id = ?"
                                                + " AND campaign_id = ? AND run_id = ?")
                                .bind(0, run.tenantId())
                                .bind(1, run.campaignId())
                                .bind(2, run.runId())
                                .mapTo(String.class)
                                .one());
    }

    private static Map<String, Long> sentByWorker(Jdbi jdbi, SendLedger.Run run) {
        Map<String, Long> sent = new HashMap<>();
        jdbi.useHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT worker, COUNT(*) AS sends FROM campaign_sends"
                                                + " WHERE tenant_id = ? AND campaign_id = ?"
                                                + " AND run_id = ? AND state = 'SENT'"
                                                + " GROUP BY worker")
                                .bind(0, run.tenantId())
                                .bind(1, run.campaignId())
                                .bind(2, run.runId())
                                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                                .forEach(entry -> sent.put(entry.getKey(), entry.getValue())));
        return sent;
    }

    private static long count(Jdbi jdbi, String where, SendLedger.Run run, Object... more) {
        return jdbi.withHandle(
                handle -> {
                    var query =
                            handle.createQuery(
                                            "SELECT COUNT(*) FROM campaign_sends WHERE tenant_id = ?"
                                                    + " AND campaign_id = ? AND run_id = ? AND "
                                                    + where)
                                    .bind(0, run.tenantId())
                                    .bind(1, run.campaignId())
                                    .bind(2, run.runId());
                    for (int i = 0; i < more.length; i++) {
                        query.bind(3 + i, more[i]);
                    }
                    return query.mapTo(Long.class).one();
                });
    }

    /** Sends {@code worker} claimed (in flight or sent). */
    private static long claimedBy(Jdbi jdbi, SendLedger.Run run, String worker) {
        return count(jdbi, "worker = ? AND state IN ('SENDING', 'SENT')", run, worker);
    }

    private static long inFlight(Jdbi jdbi, SendLedger.Run run, String worker) {
        return count(jdbi, "worker = ? AND state = 'SENDING'", run, worker);
    }

    private static long unfinished(Jdbi jdbi, SendLedger.Run run) {
        return count(jdbi, "state IN ('PLANNED', 'DEFERRED')", run);
    }

    /**
     * Whether a survivor claimed a send of the dead worker's share (its index among the three
     * sorted ids) after the kill.
     */
    private static boolean claimedInShareAfter(
            Jdbi jdbi, SendLedger.Run run, List<String> sorted, String dead, Instant after) {
        return count(
                        jdbi,
                        "MOD(CRC32(customer_id), 3) = ? AND worker <> ?"
                                + " AND state IN ('SENDING', 'SENT') AND updated_at > ?",
                        run,
                        sorted.indexOf(dead),
                        dead,
                        after)
                > 0;
    }

    private static List<String> unknownWorkers(Jdbi jdbi, SendLedger.Run run) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT DISTINCT worker FROM campaign_sends"
                                                + " WHERE tenant_id = ? AND campaign_id = ?"
                                                + " AND run_id = ? AND state = 'UNKNOWN_INFLIGHT'")
                                .bind(0, run.tenantId())
                                .bind(1, run.campaignId())
                                .bind(2, run.runId())
                                .mapTo(String.class)
                                .list());
    }

    private static List<String> sentIds(Jdbi jdbi, SendLedger.Run run) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT message_id FROM campaign_sends"
                                                + " WHERE tenant_id = ? AND campaign_id = ?"
                                                + " AND run_id = ? AND state = 'SENT'")
                                .bind(0, run.tenantId())
                                .bind(1, run.campaignId())
                                .bind(2, run.runId())
                                .mapTo(String.class)
                                .list());
    }

    /** Copies the relay received of the campaign with subject {@code subject}, by Message-ID. */
    private static Map<String, Integer> copies(String subject) {
        Map<String, Integer> copies = new HashMap<>();
        for (MimeMessage message : relay.getReceivedMessages()) {
            try {
                if (subject.equals(message.getSubject())) {
                    copies.merge(message.getMessageID(), 1, Integer::sum);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return copies;
    }
}
