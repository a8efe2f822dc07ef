package io.hilal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.core.testing.TestDatabase;
import io.hilal.sdk.Callback;
import io.hilal.sdk.Event;
import io.hilal.sdk.HilalClient;
import io.hilal.sdk.HilalException;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java SDK's event pipeline against its ceiling, per MEASURE.md: a bare {@code
 * java.net.http.HttpClient} posting the same events, pre-built into the same 250-event batch
 * bodies, one request at a time (the SDK has one flusher thread, so one request in flight), to the
 * same in-process service on the same embedded database, interleaved A B A B. The SDK side is timed
 * from the first {@code track} to the end of {@code flush()}, so it pays for serializing each
 * event, batching, reading each answer and one callback per event; the baseline only sends bytes
 * and checks the status. Each run writes into a fresh tenant.
 *
 * <p>Run from the repository root: {@code bench/run SdkBenchmark [EVENTS REPS]}.
 */
public final class SdkBenchmark {
    private static final int BATCH = 250;
    private static final String OPERATOR_KEY = "bench-operator-key";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Files.createDirectories(Path.of("target"));
        String url = TestDatabase.newSchema();
        DropwizardTestSupport<HilalConfiguration> app =
                new DropwizardTestSupport<>(
                        HilalApplication.class,
                        Path.of("config", "service.yml").toAbsolutePath().toString(),
                        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                        ConfigOverride.config("server.adminConnectors[0].port", "0"),
                        ConfigOverride.config("database.url", url),
                        // Campaign links need a secret with an external database; any value will do
                        // here.
                        ConfigOverride.config(
                                "mailLinks.secret", "bench-link-secret-0123456789abcdef0123"),
                        ConfigOverride.config("database.user", TestDatabase.user()),
                        ConfigOverride.config("database.password", TestDatabase.password()),
                        ConfigOverride.config("operatorKey", OPERATOR_KEY),
                        ConfigOverride.config("rateLimit.enabled", "false"),
                        ConfigOverride.config("logging.level", "WARN"));
        app.before();
        int status = 0;
        try {
            run(app.getLocalPort(), events, reps);
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        } finally {
            app.after();
            System.exit(status);
        }
    }

    private static void run(int port, int eventCount, int reps) throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Event> events = events(eventCount);
        List<byte[]> bodies = bodies(events);
        System.out.printf(
                "SDK benchmark: %,d events (orders with 3 lines) in %,d batches of %d, %d repetitions after a warm-up%n",
                eventCount, bodies.size(), BATCH, reps);
        System.out.printf(
                "JVM %s, %d cores, max heap %d MiB%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        int warmUp = Math.min(5_000, eventCount) / BATCH;
        bare(http, endpoint, newKey(http, endpoint), bodies.subList(0, warmUp));
        sdk(endpoint, newKey(http, endpoint), events.subList(0, warmUp * BATCH));

        double[] bareRates = new double[reps];
        double[] sdkRates = new double[reps];
        double[] ratios = new double[reps];
        for (int rep = 0; rep < reps; rep++) {
            String bareKey = newKey(http, endpoint);
            long started = System.nanoTime();
            bare(http, endpoint, bareKey, bodies);
            bareRates[rep] = eventCount / Stats.seconds(started);

            String sdkKey = newKey(http, endpoint);
            started = System.nanoTime();
            sdk(endpoint, sdkKey, events);
            sdkRates[rep] = eventCount / Stats.seconds(started);
            ratios[rep] = sdkRates[rep] / bareRates[rep];
            System.out.printf(
                    "  rep %d: bare HttpClient %,.0f events/s, SDK %,.0f events/s, ratio %.2f%n",
                    rep + 1, bareRates[rep], sdkRates[rep], ratios[rep]);
        }
        System.out.println();
        System.out.println("| path | median events/s | min–max events/s |");
        System.out.println("|---|---|---|");
        System.out.printf(
                "| bare `HttpClient`, pre-built batches (baseline) | %,.0f | %,.0f – %,.0f |%n",
                Stats.median(bareRates), Stats.min(bareRates), Stats.max(bareRates));
        System.out.printf(
                "| SDK `track` … `flush()` | %,.0f | %,.0f – %,.0f |%n",
                Stats.median(sdkRates), Stats.min(sdkRates), Stats.max(sdkRates));
        System.out.printf(
                "| **ratio SDK / bare HttpClient** | **%.2f** | %.2f – %.2f |%n",
                Stats.median(ratios), Stats.min(ratios), Stats.max(ratios));
        System.out.printf(
                "Peak heap of this process (service + both clients): %d MiB%n",
                Stats.peakHeapMiB());
    }

    private static List<Event> events(int count) {
        List<Event> events = new ArrayList<>(count);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            Event.Builder order =
                    Event.orderCompleted("c-" + (i % 4000), "o-" + i)
                            .messageId("sdk-bench-" + i)
                            .timestamp(base.plusSeconds(i * 60L));
            for (int line = 0; line < 3; line++) {
                order.line(
                        "p-" + ((i * 7 + line * 13) % 4000),
                        1 + line,
                        new BigDecimal("4.95"),
                        "GBP");
            }
            events.add(order.build());
        }
        return events;
    }

    /** The baseline's request bodies: the same events, the same batches, built before timing. */
    private static List<byte[]> bodies(List<Event> events) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < events.size(); from += BATCH) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"events\":[".getBytes(StandardCharsets.UTF_8));
            for (int i = from; i < Math.min(events.size(), from + BATCH); i++) {
                if (i > from) {
                    body.write(',');
                }
                body.writeBytes(MAPPER.writeValueAsBytes(events.get(i).fields()));
            }
            body.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
            bodies.add(body.toByteArray());
        }
        return bodies;
    }

    /** One request at a time, like the SDK's single flusher thread. */
    private static void bare(HttpClient http, URI endpoint, String key, List<byte[]> bodies)
            throws Exception {
        for (byte[] body : bodies) {
            HttpRequest request =
                    HttpRequest.newBuilder(endpoint.resolve("v1/events"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build();
            HttpResponse<byte[]> reply =
                    http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (reply.statusCode() != 200) {
                throw new IllegalStateException("ingest failed: " + reply.statusCode());
            }
        }
    }

    private static void sdk(URI endpoint, String key, List<Event> events) throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        try (HilalClient hilal =
                HilalClient.builder(key)
                        .endpoint(endpoint)
                        .flushAt(BATCH)
                        .callback(
                                new Callback() {
                                    @Override
                                    public void accepted(Event event) {
                                        accepted.incrementAndGet();
                                    }

                                    @Override
                                    public void duplicate(Event event) {
                                        other.incrementAndGet();
                                    }

                                    @Override
                                    public void rejected(Event event, String reason) {
                                        other.incrementAndGet();
                                    }

                                    @Override
                                    public void failed(Event event, HilalException error) {
                                        other.incrementAndGet();
                                    }
                                })
                        .build()) {
            for (Event event : events) {
                hilal.track(event);
            }
            hilal.flush();
        }
        if (accepted.get() != events.size() || other.get() != 0) {
            throw new IllegalStateException(
                    "SDK: " + accepted.get() + " accepted, " + other.get() + " not");
        }
    }

    private static String newKey(HttpClient http, URI endpoint) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(endpoint.resolve("v1/operator/tenants"))
                        .header("Authorization", "Bearer " + OPERATOR_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"sdk-bench\"}"))
                        .build();
        return MAPPER.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
                .get("apiKey")
                .asText();
    }
}
