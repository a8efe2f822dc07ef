package io.hilal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.testing.TestDatabase;
import io.hilal.sdk.Callback;
import io.hilal.sdk.Event;
import io.hilal.sdk.HilalClient;
import io.hilal.sdk.HilalException;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Reliability harness for the SDK's exactly-once promise (issue 7): the service runs as a separate
 * process on the embedded database of this one; while the SDK replays 100,000 events, the service
 * is killed with SIGKILL mid-stream and started again on the same port and database. When the SDK's
 * retries are done, exactly 100,000 events must be stored, each once, and every event must have
 * been answered {@code accepted} or {@code duplicate}. A batch the service committed just before it
 * died is resent with the same message ids and batch id, so it comes back as duplicates instead of
 * being stored twice. Exits 0 when all of that holds, 1 otherwise.
 *
 * <p>It is a harness, not a test: two service starts and 100,000 events take about a minute on a
 * quiet 2-core machine and more on a busy one. Run from the repository root: {@code bench/run
 * KillReplayHarness [EVENTS [PORT]]} (defaults 100,000 and 18210; the admin port is PORT + 1).
 */
public final class KillReplayHarness {
    private static final String OPERATOR_KEY = "kill-replay-operator-key";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final String databaseUrl;
    private final Path logs;
    private int starts;
    private Process current;

    private KillReplayHarness(int port, String databaseUrl, Path logs) {
        this.port = port;
        this.databaseUrl = databaseUrl;
        this.logs = logs;
    }

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 18210;
        Path logs = Files.createDirectories(Path.of("target", "kill-replay"));
        String url = TestDatabase.newSchema();
        KillReplayHarness harness = new KillReplayHarness(port, url, logs);
        Process service = null;
        int status = 1;
        try {
            service = harness.startService();
            status = harness.run(service, events, TestDatabase.dataSource(url)) ? 0 : 1;
        } catch (Exception | Error e) {
            e.printStackTrace();
        } finally {
            harness.stop();
            System.exit(status);
        }
    }

    private boolean run(Process first, int eventCount, DataSource dataSource) throws Exception {
        long began = System.nanoTime();
        String[] tenant = newTenant();
        System.out.printf(
                "Kill-replay: %,d events through the SDK into a service process on port %d (pid %d)%n",
                eventCount, port, first.pid());

        AtomicLong accepted = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        HilalClient hilal =
                HilalClient.builder(tenant[1])
                        .endpoint(URI.create("http://127.0.0.1:" + port))
                        .flushAt(250)
                        .maxAttempts(10_000)
                        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                        .timeout(Duration.ofSeconds(10))
                        .callback(
                                new Callback() {
                                    @Override
                                    public void accepted(Event event) {
                                        accepted.incrementAndGet();
                                    }

                                    @Override
                                    public void duplicate(Event event) {
                                        duplicates.incrementAndGet();
                                    }

                                    @Override
                                    public void rejected(Event event, String reason) {
                                        rejected.incrementAndGet();
                                    }

                                    @Override
                                    public void failed(Event event, HilalException error) {
                                        failed.incrementAndGet();
                                    }
                                })
                        .build();

        Thread producer =
                new Thread(
                        () -> {
                            Instant base = Instant.parse("2026-01-01T00:00:00Z");
                            try {
                                for (int i = 0; i < eventCount; i++) {
                                    hilal.track(
                                            Event.orderCompleted("c-" + (i % 5000), "o-" + i)
                                                    .messageId("kill-" + i)
                                                    .timestamp(base.plusSeconds(i * 30L))
                                                    .line(
                                                            "p-" + (i % 2000),
                                                            1,
                                                            new BigDecimal("4.95"),
                                                            "GBP")
                                                    .build());
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "replay-producer");
        producer.start();

        long killAt = eventCount * 3L / 10;
        long stored;
        while ((stored = count(dataSource, tenant[0])) < killAt) {
            if (!producer.isAlive() && stored == 0) {
                throw new IllegalStateException("the replay ended before any event was stored");
            }
            Thread.sleep(20);
        }
        ProcessHandle victim = first.toHandle();
        long killedAt = System.nanoTime();
        boolean signalled = victim.destroyForcibly(); // SIGKILL on Linux and macOS
        first.waitFor();
        System.out.printf(
                "SIGKILL sent to the service (pid %d, %s) with %,d events stored; exit status %d%n",
                victim.pid(), signalled ? "signalled" : "not signalled", stored, first.exitValue());
        long afterKill = count(dataSource, tenant[0]);

        Process second = startService();
        System.out.printf(
                "Service restarted on port %d (pid %d) after %.1f s down; %,d events were stored"
                        + " when it came back%n",
                port, second.pid(), Stats.seconds(killedAt), afterKill);

        producer.join();
        hilal.flush();
        hilal.close();

        long total = count(dataSource, tenant[0]);
        long distinct =
                Jdbi.create(dataSource)
                        .withHandle(
                                h ->
                                        h.createQuery(
                                                        "SELECT COUNT(DISTINCT message_id) FROM events WHERE tenant_id = :t")
                                                .bind("t", tenant[0])
                                                .mapTo(Long.class)
                                                .one());
        System.out.printf(
                "SDK callbacks: %,d accepted, %,d duplicate, %,d rejected, %,d failed%n",
                accepted.get(), duplicates.get(), rejected.get(), failed.get());
        System.out.printf(
                "Stored events: %,d (distinct message ids: %,d), expected %,d; run took %.1f s%n",
                total, distinct, eventCount, Stats.seconds(began));
        boolean ok =
                total == eventCount
                        && distinct == eventCount
                        && accepted.get() + duplicates.get() == eventCount
                        && rejected.get() == 0
                        && failed.get() == 0;
        System.out.println(
                ok
                        ? "PASS: exactly " + String.format("%,d", eventCount) + " events stored"
                        : "FAIL");
        return ok;
    }

    /** Starts the service as a child process with this JVM's classpath; waits until it answers. */
    private Process startService() throws IOException, InterruptedException {
        starts++;
        Path log = logs.resolve("service-" + starts + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx768m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.hilal.service.HilalApplication",
                                "server",
                                Path.of("config", "service.yml").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        builder.environment().put("HILAL_PORT", Integer.toString(port));
        builder.environment().put("HILAL_ADMIN_PORT", Integer.toString(port + 1));
        builder.environment().put("HILAL_DATABASE_URL", databaseUrl);
        builder.environment().put("HILAL_DATABASE_USER", TestDatabase.user());
        builder.environment().put("HILAL_DATABASE_PASSWORD", TestDatabase.password());
        builder.environment().put("HILAL_OPERATOR_KEY", OPERATOR_KEY);
        builder.environment().put("HILAL_RATE_LIMIT_ENABLED", "false");
        builder.environment().put("HILAL_LINK_SECRET", "bench-link-secret-0123456789abcdef0123");
        Process process = builder.start();
        current = process;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited at start; see " + log);
            }
            if (answers()) {
                return process;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not start in 3 minutes; see " + log);
    }

    private boolean answers() throws InterruptedException {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + (port + 1) + "/healthcheck"))
                            .timeout(Duration.ofSeconds(2))
                            .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private String[] newTenant() throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/v1/operator/tenants"))
                        .header("Authorization", "Bearer " + OPERATOR_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"kill-replay\"}"))
                        .build();
        var json = MAPPER.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
        return new String[] {json.get("tenantId").asText(), json.get("apiKey").asText()};
    }

    private static long count(DataSource dataSource, String tenantId) {
        return Jdbi.create(dataSource)
                .withHandle(
                        h ->
                                h.createQuery("SELECT COUNT(*) FROM events WHERE tenant_id = :t")
                                        .bind("t", tenantId)
                                        .mapTo(Long.class)
                                        .one());
    }

    private void stop() {
        if (current != null && current.isAlive()) {
            current.destroy();
            try {
                current.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
