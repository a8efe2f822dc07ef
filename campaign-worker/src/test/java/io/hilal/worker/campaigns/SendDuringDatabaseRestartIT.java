package io.hilal.worker.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.testing.KillableDatabase;
import io.hilal.core.testing.TestSmtp;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database's process is killed (SIGKILL) in the middle of a campaign's send and started again
 * on the same data: the sender's passes fail meanwhile, it goes on by itself once the database is
 * back, and no one gets the email twice (checked against what the SMTP capture received).
 */
class SendDuringDatabaseRestartIT {
    static final ServerSetup SMTP = TestSmtp.onFreePort();

    @RegisterExtension static final GreenMailExtension RELAY = new GreenMailExtension(SMTP);

    static final KillableDatabase DATABASE = KillableDatabase.start("send-restart");

    @AfterAll
    static void stopDatabase() {
        DATABASE.close();
    }

    @Test
    void aSendInterruptedByADatabaseKillGoesOnAfterItsRestartAndSendsNoEmailTwice()
            throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.icegreen"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Jdbi jdbi =
                HilalJdbi.configure(
                        Jdbi.create(
                                SendWorkerProcess.pool(
                                        DATABASE.url(), DATABASE.user(), DATABASE.password())));
        Clock clock = Clock.systemUTC();
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.example");
        // 270 treated at 30 a second: about nine seconds of sending.
        SendLedger.Run run = KillRecoveryIT.launch(jdbi, clock, 300, 30.0).run();
        CampaignSender sender =
                SendWorkerProcess.sender(jdbi, clock, SMTP.getPort(), "restart-worker", 4);
        AtomicInteger failedPasses = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        // What the worker's send job does at each firing, fired back to back.
        Future<?> passes =
                worker.submit(
                        () -> {
                            while (running.get()) {
                                try {
                                    sender.heartbeat();
                                    sender.recover();
                                    sender.sendDue();
                                } catch (RuntimeException databaseGone) {
                                    failedPasses.incrementAndGet();
                                }
                            }
                            return null;
                        });
        Map<String, Long> counts;
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> RELAY.getReceivedMessages().length >= 30);
            DATABASE.kill();
            int receivedAtKill = RELAY.getReceivedMessages().length;
            await().atMost(Duration.ofSeconds(60)).until(() -> failedPasses.get() >= 1);
            DATABASE.restart();

            await().atMost(Duration.ofSeconds(120))
                    .until(
                            () -> {
                                Map<String, Long> now = ledger.counts(run);
                                return !now.containsKey("PLANNED")
                                        && !now.containsKey("DEFERRED")
                                        && !now.containsKey("SENDING");
                            });
            assertThat(RELAY.getReceivedMessages().length)
                    .as("sending went on after the restart")
                    .isGreaterThan(receivedAtKill + 100);
        } finally {
            running.set(false);
            passes.get(60, TimeUnit.SECONDS);
            worker.shutdown();
        }

        counts = ledger.counts(run);
        Map<String, Integer> copies = new HashMap<>();
        for (MimeMessage message : RELAY.getReceivedMessages()) {
            copies.merge(message.getMessageID(), 1, Integer::sum);
        }
        assertThat(copies.values()).as("no email received twice").allMatch(n -> n == 1);
        long unknown = counts.getOrDefault("UNKNOWN_INFLIGHT", 0L);
        assertThat(counts.keySet()).isSubsetOf(List.of("SENT", "HELD_OUT", "UNKNOWN_INFLIGHT"));
        assertThat((long) copies.size())
                .as("every recorded send was received; beyond them, only sends of unknown fate")
                .isBetween(counts.get("SENT"), counts.get("SENT") + unknown);
        assertThat(unknown).as("at most the sends in flight at the kill").isLessThanOrEqualTo(4);
    }
}
