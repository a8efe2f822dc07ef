package io.hilal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.core.testing.LoopbackProxy;
import io.hilal.core.testing.TestDatabase;
import io.hilal.sdk.DeliveryStats;
import io.hilal.sdk.Event;
import io.hilal.sdk.HilalClient;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The SDK's delivery through an outage at steady traffic: events are tracked at a constant rate
 * (open loop) while a loopback proxy in front of the in-process service refuses connections for the
 * outage, and go on after it. Reported per repetition: events tracked, stored (counted in the
 * database) and lost, the time from recovery until the spool is empty, and the spool's drain rate
 * (events spooled over that time) against the baseline, a bare {@code HttpClient} posting the same
 * number of events in the same batches, one request at a time, to the same service right after.
 *
 * <p>Run from the repository root: {@code bench/run SdkOutageHarness [RATE OUTAGE_S REPS]}
 * (defaults 100 events/s, 30 s, 3).
 */
public final class SdkOutageHarness {
    private static final String OPERATOR_KEY = "bench-operator-key";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int BATCH = 100;

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int outageSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Files.createDirectories(Path.of("target"));
        String url = TestDatabase.newSchema();
        DropwizardTestSupport<HilalConfiguration> app =
                new DropwizardTestSupport<>(
                        HilalApplication.class,
                        Path.of("config", "service.yml").toAbsolutePath().toString(),
                        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                        ConfigOverride.config("server.adminConnectors[0].port", "0"),
                        ConfigOverride.config("database.url", url),
                        ConfigOverride.config(
                                "mailLinks.secret", "bench-link-secret-0123456789abcdef0123"),
                        ConfigOverride.config("database.user", TestDatabase.user()),
                        ConfigOverride.config("database.password", TestDatabase.password()),
                        ConfigOverride.config("operatorKey", OPERATOR_KEY),
                        ConfigOverride.config("logging.level", "WARN"));
        app.before();
        int status = 0;
        try {
            run(app.getLocalPort(), TestDatabase.dataSource(url), rate, outageSeconds, reps);
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        } finally {
            app.after();
            System.exit(status);
        }
    }

    private static void run(int port, DataSource db, int rate, int outageSeconds, int reps)
            throws Exception {
        URI direct = URI.create("http://127.0.0.1:" + port + "/");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        System.out.printf(
                "SDK outage harness: %d events/s, a %d s outage (connections refused) after 5 s,"
                        + " 15 s of traffic after it, %d repetitions%n",
                rate, outageSeconds, reps);
        System.out.printf(
                "JVM %s, %d cores%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.println();
        System.out.println(
                "| rep | tracked | stored | lost | spooled | drain after recovery (s) | drain"
                        + " events/s | bare HttpClient events/s | ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        double[] drains = new double[reps];
        double[] ratios = new double[reps];
        long lostInAll = 0;
        for (int rep = 0; rep < reps; rep++) {
            String[] tenant = newTenant(http, direct);
            Result result = outage(port, db, tenant, rate, outageSeconds, rep);
            double bare = bare(http, direct, newTenant(http, direct)[1], (int) result.spooled);
            drains[rep] = result.drainSeconds;
            double drainRate = result.spooled / result.drainSeconds;
            ratios[rep] = drainRate / bare;
            lostInAll += result.tracked - result.stored;
            System.out.printf(
                    "| %d | %,d | %,d | %d | %,d | %.2f | %,.0f | %,.0f | %.2f |%n",
                    rep + 1,
                    result.tracked,
                    result.stored,
                    result.tracked - result.stored,
                    result.spooled,
                    result.drainSeconds,
                    drainRate,
                    bare,
                    ratios[rep]);
        }
        System.out.println();
        System.out.printf(
                "Events lost in all: %d. Drain time after recovery: median %.2f s (%.2f – %.2f)."
                        + " Drain rate / bare HttpClient: median %.2f (%.2f – %.2f).%n",
                lostInAll,
                Stats.median(drains),
                Stats.min(drains),
                Stats.max(drains),
                Stats.median(ratios),
                Stats.min(ratios),
                Stats.max(ratios));
        if (lostInAll != 0) {
            throw new IllegalStateException(lostInAll + " events lost");
        }
    }

    private record Result(long tracked, long stored, long spooled, double drainSeconds) {}

    private static Result outage(
            int port, DataSource db, String[] tenant, int rate, int outageSeconds, int rep)
            throws Exception {
        Path spool = Files.createTempDirectory("hilal-outage-spool");
        AtomicInteger tracked = new AtomicInteger();
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        String prefix = "outage-" + rep + "-";
        try (LoopbackProxy proxy = new LoopbackProxy(port);
                HilalClient hilal =
                        HilalClient.builder(tenant[1])
                                .endpoint(URI.create("http://127.0.0.1:" + proxy.port()))
                                .flushAt(BATCH)
                                .flushInterval(Duration.ofMillis(500))
                                .maxAttempts(3)
                                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                                .timeout(Duration.ofSeconds(5))
                                .spool(spool)
                                .spoolRetryInterval(Duration.ofSeconds(1))
                                .build()) {
            long periodMicros = 1_000_000L / rate;
            producer.scheduleAtFixedRate(
                    () -> {
                        int i = tracked.get();
                        try {
                            hilal.track(
                                    Event.productViewed("c-" + (i % 400), "p-" + (i % 250))
                                            .messageId(prefix + i)
                                            .build());
                            tracked.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    0,
                    periodMicros,
                    TimeUnit.MICROSECONDS);
            waitFor(() -> tracked.get() >= 5 * rate, 60);
            proxy.cut();
            int atCut = tracked.get();
            waitFor(() -> tracked.get() - atCut >= outageSeconds * rate, outageSeconds * 3L);
            long spooledAtRecovery = hilal.stats().spooled();
            proxy.restore();
            long recovered = System.nanoTime();
            waitFor(() -> hilal.stats().spoolBatches() == 0, 300);
            double drainSeconds = (System.nanoTime() - recovered) / 1e9;
            waitFor(() -> tracked.get() - atCut >= (outageSeconds + 15) * rate, 120);
            producer.shutdown();
            producer.awaitTermination(10, TimeUnit.SECONDS);
            hilal.flush();
            DeliveryStats stats = hilal.close(Duration.ofSeconds(30));
            if (stats.dropped() != 0) {
                throw new IllegalStateException("the SDK dropped events: " + stats);
            }
            return new Result(
                    tracked.get(), stored(db, tenant[0], prefix), spooledAtRecovery, drainSeconds);
        } finally {
            producer.shutdownNow();
        }
    }

    /** The baseline: the same number of events in the same batches, posted one at a time. */
    private static double bare(HttpClient http, URI endpoint, String key, int events)
            throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < events; from += BATCH) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"events\":[".getBytes(StandardCharsets.UTF_8));
            for (int i = from; i < Math.min(events, from + BATCH); i++) {
                if (i > from) {
                    body.write(',');
                }
                body.writeBytes(
                        MAPPER.writeValueAsBytes(
                                Event.productViewed("c-" + (i % 400), "p-" + (i % 250))
                                        .messageId("bare-" + i)
                                        .build()
                                        .fields()));
            }
            body.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
            bodies.add(body.toByteArray());
        }
        long started = System.nanoTime();
        for (byte[] body : bodies) {
            HttpResponse<byte[]> reply =
                    http.send(
                            HttpRequest.newBuilder(endpoint.resolve("v1/events"))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + key)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            if (reply.statusCode() != 200) {
                throw new IllegalStateException("ingest failed: " + reply.statusCode());
            }
        }
        return events / Stats.seconds(started);
    }

    private static long stored(DataSource db, String tenantId, String prefix) throws Exception {
        try (Connection connection = db.getConnection();
                PreparedStatement query =
                        connection.prepareStatement(
                                "SELECT COUNT(*) FROM events WHERE tenant_id = ? AND message_id"
                                        + " LIKE ?")) {
            query.setString(1, tenantId);
            query.setString(2, prefix + "%");
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls every 50 ms; a benchmark, so a bounded wait rather than a test's Awaitility. */
    private static void waitFor(Condition condition, long maxSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + maxSeconds + " s");
            }
            Thread.sleep(50);
        }
    }

    private static String[] newTenant(HttpClient http, URI endpoint) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(endpoint.resolve("v1/operator/tenants"))
                        .header("Authorization", "Bearer " + OPERATOR_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"sdk-outage\"}"))
                        .build();
        var answer =
                MAPPER.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        return new String[] {answer.get("tenantId").asText(), answer.get("apiKey").asText()};
    }
}
