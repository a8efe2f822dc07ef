package io.hilal.service.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.LoopbackProxy;
import io.hilal.core.testing.TestDatabase;
import io.hilal.sdk.DeliveryStats;
import io.hilal.sdk.Event;
import io.hilal.sdk.HilalClient;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.net.URI;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ResourceBundle;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's promise through a real outage: about 100 events a second keep coming while the service
 * is unreachable for 30 seconds (a loopback proxy in front of it refuses connections), and after it
 * is back. Every event must be stored exactly once in the real database, and the spool must be
 * empty within {@link #DRAIN_LIMIT} of the recovery while traffic goes on.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SdkOutageIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app(DATABASE);

    /** How soon after the service answers again the spool must be empty. */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

    static final int EVENTS_PER_SECOND = 100;
    static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir Path spool;

    static long stored(String tenantId, String prefix) {
        return Jdbi.create(TestDatabase.dataSource(DATABASE))
                .withHandle(
                        h ->
                                h.createQuery(
                                                "SELECT COUNT(DISTINCT message_id) FROM events"
                                                        + " WHERE tenant_id = :t AND message_id LIKE :p")
                                        .bind("t", tenantId)
                                        .bind("p", prefix + "%")
                                        .mapTo(Long.class)
                                        .one());
    }

    static long rows(String tenantId) {
        return Jdbi.create(TestDatabase.dataSource(DATABASE))
                .withHandle(
                        h ->
                                h.createQuery("SELECT COUNT(*) FROM events WHERE tenant_id = :t")
                                        .bind("t", tenantId)
                                        .mapTo(Long.class)
                                        .one());
    }

    /** The SDK's log on standard output, every level, so a failed run shows what happened. */
    static final class PrintingLogger implements System.Logger {
        @Override
        public String getName() {
            return "io.hilal.sdk";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            System.out.println(Instant.now() + " SDK " + level + " " + msg + " " + thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            System.out.println(
                    Instant.now() + " SDK " + level + " " + MessageFormat.format(format, params));
        }
    }

    @Test
    void steadyTrafficThroughAThirtySecondOutageIsStoredExactlyOnce() throws Exception {
        String[] shop = Api.newTenant(APP.getLocalPort(), "sdk-outage");
        AtomicInteger tracked = new AtomicInteger();
        AtomicLong recoveredAt = new AtomicLong();
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        try (LoopbackProxy proxy = new LoopbackProxy(APP.getLocalPort());
                HilalClient hilal =
                        HilalClient.builder(shop[1])
                                .endpoint(URI.create("http://127.0.0.1:" + proxy.port()))
                                .flushAt(100)
                                .flushInterval(Duration.ofSeconds(1))
                                .maxAttempts(3)
                                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                                .timeout(Duration.ofSeconds(5))
                                .spool(spool)
                                .spoolRetryInterval(Duration.ofSeconds(1))
                                .logger(new PrintingLogger())
                                .build()) {
            producer.scheduleAtFixedRate(
                    () -> {
                        int i = tracked.get();
                        try {
                            hilal.track(
                                    Event.productViewed("c-" + (i % 40), "p-" + (i % 25))
                                            .messageId(String.format("outage-%06d", i))
                                            .build());
                            tracked.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    0,
                    1000 / EVENTS_PER_SECOND,
                    TimeUnit.MILLISECONDS);

            // Five seconds of normal traffic, all stored.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> stored(shop[0], "outage-") >= 5L * EVENTS_PER_SECOND);

            proxy.cut();
            int atOutage = tracked.get();
            // The outage lasts as long as 30 seconds of traffic takes to arrive.
            await().atMost(OUTAGE.multipliedBy(2))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () ->
                                    tracked.get() - atOutage
                                            >= OUTAGE.toSeconds() * EVENTS_PER_SECOND);
            assertThat(hilal.stats().spoolBatches()).as("spooled during the outage").isPositive();
            long storedDuringOutage = stored(shop[0], "outage-");

            proxy.restore();
            long recovery = System.nanoTime();
            int atRecovery = tracked.get();
            await().atMost(DRAIN_LIMIT)
                    .pollInterval(Duration.ofMillis(100))
                    .conditionEvaluationListener(
                            condition ->
                                    System.out.printf(
                                            "SdkOutageIT: %.1f s after recovery: %s, %d stored%n",
                                            (System.nanoTime() - recovery) / 1e9,
                                            hilal.stats(),
                                            stored(shop[0], "outage-")))
                    .until(
                            () -> {
                                if (hilal.stats().spoolBatches() == 0
                                        && stored(shop[0], "outage-") >= atRecovery) {
                                    recoveredAt.compareAndSet(0, System.nanoTime());
                                    return true;
                                }
                                return false;
                            });
            // Traffic never paused: the spool drained on its own clock.
            assertThat(producer.isShutdown()).isFalse();
            producer.shutdown();
            assertThat(producer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            hilal.flush();
            DeliveryStats stats = hilal.stats();
            assertThat(stats.dropped()).isZero();
            assertThat(stats.spoolBatches()).isZero();
            System.out.printf(
                    "SdkOutageIT: %d events, %d during a %d s outage (%d stored then),"
                            + " spool empty %.1f s after recovery; %s%n",
                    tracked.get(),
                    atRecovery - atOutage,
                    OUTAGE.toSeconds(),
                    storedDuringOutage,
                    (recoveredAt.get() - recovery) / 1e9,
                    stats);
        }
        assertThat(stored(shop[0], "outage-")).isEqualTo(tracked.get());
        assertThat(rows(shop[0])).as("each event once").isEqualTo(tracked.get());
    }
}
