package io.hilal.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hilal.sdk.internal.DiskSpool;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk spool: outages, restarts, bounds and damaged files. */
class SpoolTest {
    private static final String KEY = "hk_live_0123456789abcdef_" + "b".repeat(64);

    @TempDir Path spoolDir;

    private MockWebServer server;
    private final AtomicBoolean up = new AtomicBoolean();
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();

    private final Callback recorder =
            new Callback() {
                @Override
                public void accepted(Event event) {
                    outcomes.put(event.messageId(), "accepted");
                }

                @Override
                public void duplicate(Event event) {
                    outcomes.put(event.messageId(), "duplicate");
                }

                @Override
                public void rejected(Event event, String reason) {
                    outcomes.put(event.messageId(), "rejected: " + reason);
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

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        // While "down", Hilal answers 503; once up, every event of a batch is accepted.
        server.setDispatcher(
                new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        if (!up.get()) {
                            return new MockResponse()
                                    .setResponseCode(503)
                                    .setHeader("Content-Type", "application/problem+json")
                                    .setBody(
                                            "{\"status\":503,\"code\":\"database_unavailable\",\"retryable\":true}");
                        }
                        int events =
                                request.getBody().clone().readUtf8().split("\"messageId\"").length
                                        - 1;
                        StringBuilder results = new StringBuilder();
                        for (int i = 0; i < events; i++) {
                            results.append(i == 0 ? "" : ",").append("{\"status\":\"accepted\"}");
                        }
                        return new MockResponse()
                                .setHeader("Content-Type", "application/json")
                                .setBody("{\"results\":[" + results + "]}");
                    }
                });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private HilalClient.Builder client() {
        return HilalClient.builder(KEY)
                .endpoint(server.url("/").uri())
                .flushAt(100)
                .flushInterval(Duration.ofSeconds(30))
                .maxAttempts(2)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(10))
                .spool(spoolDir)
                .spoolRetryInterval(Duration.ofMillis(50))
                .callback(recorder);
    }

    private static Event order(String id) {
        return Event.orderCompleted("c-42", "o-" + id)
                .messageId(id)
                .line("p1", 1, new BigDecimal("9.50"), "USD")
                .build();
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(spoolDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void sendsSpooledEventsOnceAfterARestart() throws Exception {
        try (HilalClient client = client().build()) {
            for (int i = 0; i < 5; i++) {
                client.track(order("r-" + i));
            }
            client.flush();
            assertThat(outcomes).hasSize(5);
            assertThat(outcomes.values()).containsOnly("spooled");
        }
        assertThat(files(".batch")).hasSize(1);
        int triedBeforeRestart = server.getRequestCount();
        RecordedRequest firstTry = server.takeRequest(1, TimeUnit.SECONDS);

        up.set(true);
        outcomes.clear();
        // The restarted client delivers the spool from its flusher thread while it is open.
        HilalClient restarted = client().build();
        try (restarted) {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(outcomes).hasSize(5));
        }
        assertThat(outcomes.values()).containsOnly("accepted");
        assertThat(server.getRequestCount()).isEqualTo(triedBeforeRestart + 1);
        for (int i = 1; i < triedBeforeRestart; i++) {
            server.takeRequest(1, TimeUnit.SECONDS);
        }
        RecordedRequest afterRestart = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(afterRestart.getBody().readUtf8()).isEqualTo(firstTry.getBody().readUtf8());
        assertThat(afterRestart.getHeader("Idempotency-Key"))
                .isEqualTo(firstTry.getHeader("Idempotency-Key"));
        assertThat(files(".batch")).isEmpty();
    }

    @Test
    void keepsTrackingThroughAnOutageAndDeliversWhenHilalIsBack() throws Exception {
        try (HilalClient client = client().flushAt(2).build()) {
            for (int i = 0; i < 10; i++) {
                client.track(order("o-" + i));
            }
            client.flush();
            assertThat(outcomes).hasSize(10);
            assertThat(outcomes.values()).containsOnly("spooled");
            // Once the first batch ran out of retries, the others went straight to disk.
            assertThat(server.getRequestCount()).isLessThan(10);

            up.set(true);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(outcomes.values()).containsOnly("accepted"));
            client.track(order("o-live"));
            client.flush();
        }
        assertThat(outcomes).hasSize(11).containsEntry("o-live", "accepted");
        assertThat(files(".batch")).isEmpty();
    }

    @Test
    void refusesBatchesPastItsBounds() throws Exception {
        try (HilalClient client = client().flushAt(1).spoolLimits(1_000_000, 2).build()) {
            for (int i = 0; i < 4; i++) {
                client.track(order("b-" + i));
            }
            client.flush();
        }
        assertThat(outcomes)
                .containsEntry("b-0", "spooled")
                .containsEntry("b-1", "spooled")
                .containsEntry("b-2", "failed: spool_full")
                .containsEntry("b-3", "failed: spool_full");
        assertThat(files(".batch")).hasSize(2);
    }

    @Test
    void boundsTheSpoolInBytes() throws Exception {
        long oneBatch;
        try (DiskSpool probe = DiskSpool.open(spoolDir.resolve("probe"), Long.MAX_VALUE, 10)) {
            probe.write("batch_x", "{\"events\":[]}".getBytes(StandardCharsets.UTF_8));
            oneBatch = probe.bytes();
        }
        try (DiskSpool spool = DiskSpool.open(spoolDir.resolve("bytes"), 2 * oneBatch + 1, 100)) {
            byte[] body = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);
            assertThat(spool.write("batch_1", body)).isTrue();
            assertThat(spool.write("batch_2", body)).isTrue();
            assertThat(spool.write("batch_3", body)).isFalse();
            assertThat(spool.bytes()).isEqualTo(2 * oneBatch);
            assertThat(spool.files()).isEqualTo(2);
        }
    }

    @Test
    void setsDamagedFilesAsideAndSendsTheIntactOnes() throws Exception {
        byte[] body =
                ("{\"events\":[{\"messageId\":\"ok-1\",\"type\":\"order_completed\","
                                + "\"customerId\":\"c-1\",\"orderId\":\"o-1\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
        try (DiskSpool spool = DiskSpool.open(spoolDir, Long.MAX_VALUE, 100)) {
            assertThat(spool.write("batch_good", body)).isTrue();
            assertThat(spool.write("batch_notjson", "not json".getBytes(StandardCharsets.UTF_8)))
                    .isTrue();
        }
        Path good =
                files(".batch").stream().filter(f -> f.toString().contains("good")).findAny().get();
        byte[] content = Files.readAllBytes(good);
        // A copy cut short (say, a disk that filled up) and one with a flipped byte.
        Files.write(
                spoolDir.resolve("0000000000000-000001-batch_cut.batch"),
                java.util.Arrays.copyOf(content, content.length - 5));
        byte[] flipped = content.clone();
        flipped[flipped.length - 3] ^= 1;
        Files.write(spoolDir.resolve("0000000000000-000002-batch_flipped.batch"), flipped);
        Files.write(spoolDir.resolve("0000000000000-000003-batch_half.batch.tmp"), content);
        Files.write(
                spoolDir.resolve("0000000000000-000004-batch_garbage.batch"), new byte[] {1, 2});

        up.set(true);
        try (HilalClient client = client().build()) {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(outcomes).containsEntry("ok-1", "accepted"));
            client.flush();
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(files(".batch")).isEmpty();
        assertThat(files(".tmp")).isEmpty();
        assertThat(files(".corrupt")).hasSize(4);
    }

    @Test
    void spoolsWhatIsLeftWhenTheClientClosesDuringAnOutage() throws Exception {
        try (HilalClient client =
                client().maxAttempts(1000).closeTimeout(Duration.ofMillis(300)).build()) {
            client.track(order("left-1"));
            client.track(order("left-2"));
            // No flush: close() runs out of time while the batch is being retried.
        }
        assertThat(outcomes).containsEntry("left-1", "spooled").containsEntry("left-2", "spooled");

        up.set(true);
        outcomes.clear();
        try (HilalClient restarted = client().build()) {
            restarted.flush();
        }
        assertThat(outcomes)
                .containsEntry("left-1", "accepted")
                .containsEntry("left-2", "accepted");
    }

    @Test
    void refusesASecondClientOnTheSameFolder() {
        // The first client holds the folder while it is open.
        HilalClient first = client().build();
        try (first) {
            assertThatThrownBy(() -> client().build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another Hilal client");
        }
    }
}
