package io.hilal.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never silently lost: the spool drains under steady traffic and keeps order, a refused key is
 * spooled and replayed, failures without a callback are logged and counted, the shutdown hook
 * flushes at exit, and calls have a total deadline.
 */
class DeliveryGuaranteesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = "hk_live_0123456789abcdef_" + "c".repeat(64);
    private static final String WRONG_KEY = "hk_live_0123456789abcdef_" + "d".repeat(64);

    @TempDir Path spoolDir;

    private MockWebServer server;

    /** "up", "down" (503) or "slow" — what the fake Hilal answers. */
    private final AtomicReference<String> mode = new AtomicReference<>("up");

    /** Message ids Hilal stored, in the order it stored them. */
    private final List<String> stored = new CopyOnWriteArrayList<>();

    private final Set<String> storedSet = ConcurrentHashMap.newKeySet();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.setDispatcher(
                new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        if (!("Bearer " + KEY).equals(request.getHeader("Authorization"))) {
                            return problem(401, "unauthorized");
                        }
                        if (mode.get().equals("down")) {
                            return problem(503, "database_unavailable");
                        }
                        if (!request.getPath().startsWith("/v1/events")) {
                            return new MockResponse().setResponseCode(404);
                        }
                        return store(request.getBody().readUtf8());
                    }
                });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private static MockResponse problem(int status, String code) {
        return new MockResponse()
                .setResponseCode(status)
                .setHeader("Content-Type", "application/problem+json")
                .setBody(
                        "{\"status\":"
                                + status
                                + ",\"code\":\""
                                + code
                                + "\",\"retryable\":"
                                + (status >= 500)
                                + "}");
    }

    private MockResponse store(String body) {
        bodies.add(body);
        StringBuilder results = new StringBuilder();
        try {
            for (JsonNode event : MAPPER.readTree(body).path("events")) {
                String id = event.path("messageId").asText();
                boolean fresh = storedSet.add(id);
                if (fresh) {
                    stored.add(id);
                } else {
                    duplicates.incrementAndGet();
                }
                results.append(results.length() == 0 ? "" : ",")
                        .append("{\"messageId\":\"")
                        .append(id)
                        .append("\",\"status\":\"")
                        .append(fresh ? "accepted" : "duplicate")
                        .append("\"}");
            }
        } catch (Exception e) {
            return new MockResponse().setResponseCode(400);
        }
        return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody("{\"results\":[" + results + "]}");
    }

    private static Event order(String id) {
        return Event.orderCompleted("c-42", "o-" + id)
                .messageId(id)
                .line("p1", 1, new BigDecimal("9.50"), "USD")
                .build();
    }

    private HilalClient.Builder spooling(String key) {
        return HilalClient.builder(key)
                .endpoint(server.url("/").uri())
                .flushAt(20)
                .flushInterval(Duration.ofMillis(100))
                .maxAttempts(2)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(10))
                .spool(spoolDir)
                .spoolRetryInterval(Duration.ofMillis(200));
    }

    @Test
    void theSpoolDrainsWhileTrafficContinuesAndEventsArriveInOrder() throws Exception {
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger tracked = new AtomicInteger();
        try (HilalClient hilal = spooling(KEY).build()) {
            // About 200 events a second, a batch every 100 ms: faster than the spool retry
            // interval, which used to push the probe back for ever.
            producer.scheduleAtFixedRate(
                    () -> {
                        try {
                            hilal.track(order(String.format("e-%06d", tracked.get())));
                            tracked.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    0,
                    5,
                    TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> stored.size() >= 200);

            mode.set("down");
            await().atMost(Duration.ofSeconds(20)).until(() -> hilal.stats().spoolBatches() >= 10);
            mode.set("up");
            int trackedAtRecovery = tracked.get();

            // Drained on its own clock while events keep coming.
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    hilal.stats().spoolBatches() == 0
                                            && storedSet.contains(
                                                    String.format(
                                                            "e-%06d", trackedAtRecovery - 1)));
            assertThat(producer.isShutdown()).isFalse();
            producer.shutdown();
            assertThat(producer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            hilal.flush();
            assertThat(hilal.stats().failed()).isZero();
        }
        assertThat(stored).hasSize(tracked.get());
        assertThat(duplicates.get()).isZero();
        List<String> sorted = new ArrayList<>(stored);
        Collections.sort(sorted);
        assertThat(stored).as("stored in the order tracked").isEqualTo(sorted);
    }

    @Test
    void batchesRefusedForTheKeyAreSpooledAndTheRightKeyReplaysThem() throws Exception {
        Map<String, String> outcomes = new ConcurrentHashMap<>();
        Callback recorder =
                new Callback() {
                    @Override
                    public void accepted(Event event) {
                        outcomes.put(event.messageId(), "accepted");
                    }

                    @Override
                    public void failed(Event event, HilalException error) {
                        outcomes.put(event.messageId(), "failed: " + error.code());
                    }

                    @Override
                    public void spooled(Event event) {
                        outcomes.put(event.messageId(), "spooled");
                    }
                };
        try (HilalClient wrong = spooling(WRONG_KEY).callback(recorder).build()) {
            for (int i = 0; i < 5; i++) {
                wrong.track(order("k-" + i));
            }
            wrong.flush();
            assertThat(wrong.stats().spooled()).isEqualTo(5);
            assertThat(wrong.droppedEvents()).isZero();
        }
        assertThat(outcomes).hasSize(5).containsValue("spooled").doesNotContainValue("accepted");
        assertThat(stored).isEmpty();

        try (HilalClient fixed = spooling(KEY).callback(recorder).build()) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> fixed.stats().spoolBatches() == 0 && stored.size() == 5);
        }
        assertThat(outcomes)
                .hasSize(5)
                .allSatisfy((id, outcome) -> assertThat(outcome).isEqualTo("accepted"));
    }

    @Test
    void withoutACallbackFailuresAreLoggedAndCounted() throws Exception {
        CapturingLogger log = new CapturingLogger();
        HilalClient hilal =
                HilalClient.builder(WRONG_KEY)
                        .endpoint(server.url("/").uri())
                        .flushAt(10)
                        .logger(log)
                        .build();
        for (int i = 0; i < 3; i++) {
            hilal.track(order("lost-" + i));
        }
        hilal.flush();
        assertThat(hilal.droppedEvents()).isEqualTo(3);
        assertThat(log.messages)
                .anySatisfy(m -> assertThat(m).contains("3 events not delivered (unauthorized"));
        DeliveryStats closing = hilal.close(Duration.ofSeconds(5));
        assertThat(closing.failed()).isEqualTo(3);
        assertThat(closing.accepted()).isZero();
        assertThat(log.messages)
                .anySatisfy(m -> assertThat(m).contains("3 events were not delivered"));
    }

    @Test
    void aProgramReturningFromMainWithoutCloseLosesNothingWithTheShutdownHook() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                ExitWithoutClose.class.getName(),
                                server.url("/").toString(),
                                KEY)
                        .redirectErrorStream(true)
                        .redirectOutput(new File(spoolDir.toFile(), "child.log"))
                        .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(stored).hasSize(100);
    }

    @Test
    void everyCallHasATotalDeadlineAcrossRetries() throws Exception {
        mode.set("down");
        try (HilalClient hilal =
                HilalClient.builder(KEY)
                        .endpoint(server.url("/").uri())
                        .maxAttempts(100)
                        .backoff(Duration.ofMillis(100), Duration.ofMillis(100))
                        .build()) {
            long start = System.nanoTime();
            assertThatThrownBy(
                            () ->
                                    hilal.customers()
                                            .retrieve(
                                                    "c-1",
                                                    RequestOptions.builder()
                                                            .callTimeout(Duration.ofMillis(500))
                                                            .build()))
                    .isInstanceOfSatisfying(
                            HilalException.HilalTimeoutException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo("timeout");
                                assertThat(e.getMessage()).contains("database_unavailable");
                            });
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(3));
        }
        assertThat(server.getRequestCount()).isBetween(1, 40);
    }

    @Test
    void requestOptionsNeverPrintTheApiKey() {
        RequestOptions options =
                RequestOptions.builder().apiKey(KEY).idempotencyKey("import-1").build();
        assertThat(options.toString()).doesNotContain(KEY).doesNotContain("cccc").contains("****");
        assertThat(options.toString()).contains("import-1");
    }

    @Test
    void aBatchUpsertRefusesAnIdempotencyKeyItCannotHonour() {
        try (HilalClient hilal = HilalClient.builder(KEY).endpoint(server.url("/").uri()).build()) {
            RequestOptions keyed = RequestOptions.builder().idempotencyKey("import-1").build();
            assertThatThrownBy(
                            () ->
                                    hilal.upsertCustomers(
                                            List.of(CustomerParams.builder("c-1").build()), keyed))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Idempotency-Key");
            assertThatThrownBy(
                            () ->
                                    hilal.products()
                                            .upsertBatch(
                                                    List.of(ProductParams.builder("p-1").build()),
                                                    keyed))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void anInterceptorAddsContextToEveryEvent() throws Exception {
        try (HilalClient hilal =
                HilalClient.builder(KEY)
                        .endpoint(server.url("/").uri())
                        .interceptor(event -> event.withContext("channel", "kiosk"))
                        .build()) {
            hilal.track(order("i-1"));
            hilal.track(
                    Event.productViewed("c-1", "p-2")
                            .messageId("i-2")
                            .context("device", "tv")
                            .build());
            hilal.flush();
        }
        JsonNode events = MAPPER.readTree(bodies.get(0)).path("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).path("context").path("channel").asText()).isEqualTo("kiosk");
        assertThat(events.get(1).path("context").path("channel").asText()).isEqualTo("kiosk");
        assertThat(events.get(1).path("context").path("device").asText()).isEqualTo("tv");
        assertThat(events.get(1).path("messageId").asText()).isEqualTo("i-2");
    }

    /** A {@code System.Logger} keeping what it was given. */
    static class CapturingLogger implements System.Logger {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            messages.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            messages.add(params == null ? format : MessageFormat.format(format, params));
        }
    }
}
