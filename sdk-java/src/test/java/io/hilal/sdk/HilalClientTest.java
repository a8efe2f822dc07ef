package io.hilal.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.sdk.model.Campaign;
import io.hilal.sdk.model.LiftReport;
import io.hilal.sdk.model.Page;
import io.hilal.sdk.model.Rows;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HilalClientTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = "hk_live_0123456789abcdef_" + "a".repeat(64);

    private MockWebServer server;
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
            };

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private HilalClient client(int flushAt) {
        return HilalClient.builder(KEY)
                .endpoint(server.url("/").uri())
                .flushAt(flushAt)
                .flushInterval(Duration.ofSeconds(30))
                .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .timeout(Duration.ofSeconds(2))
                .callback(recorder)
                .build();
    }

    private static MockResponse accepted(int count) {
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < count; i++) {
            results.append(i == 0 ? "" : ",")
                    .append("{\"messageId\":\"x\",\"status\":\"accepted\"}");
        }
        return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody(
                        "{\"accepted\":"
                                + count
                                + ",\"duplicates\":0,\"rejected\":0,\"results\":["
                                + results
                                + "]}");
    }

    private static Event order(String id) {
        return Event.orderCompleted("c-42", "o-" + id)
                .messageId(id)
                .line("p1", 2, new BigDecimal("9.50"), "USD")
                .context("channel", "web")
                .build();
    }

    @Test
    void batchesByCountWithTheKeyAndTheWireShape() throws Exception {
        server.enqueue(accepted(3));
        try (HilalClient client = client(3)) {
            client.track(order("m-1"));
            client.track(order("m-2"));
            client.track(order("m-3"));
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            assertThat(request.getPath()).isEqualTo("/v1/events");
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(request.getHeader("Idempotency-Key")).startsWith("batch_");
            JsonNode body = MAPPER.readTree(request.getBody().readUtf8());
            assertThat(body.get("events")).hasSize(3);
            JsonNode first = body.at("/events/0");
            assertThat(first.get("type").asText()).isEqualTo("order_completed");
            assertThat(first.at("/lines/0/unitPrice").decimalValue()).isEqualByComparingTo("9.50");
            assertThat(first.at("/context/channel").asText()).isEqualTo("web");
            assertThat(first.get("timestamp").asText()).isNotBlank();
            client.flush();
        }
        assertThat(outcomes).containsEntry("m-1", "accepted").hasSize(3);
    }

    @Test
    void retriesA503WithTheSameMessageIdsAndBatchId() throws Exception {
        server.enqueue(
                new MockResponse()
                        .setResponseCode(503)
                        .setHeader("Content-Type", "application/problem+json")
                        .setBody(
                                "{\"status\":503,\"code\":\"database_unavailable\",\"retryable\":true}"));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(accepted(2));
        try (HilalClient client = client(100)) {
            client.track(order("r-1"));
            client.track(order("r-2"));
            client.flush();
        }
        List<String> bodies = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < server.getRequestCount(); i++) {
            RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
            bodies.add(request.getBody().readUtf8());
            keys.add(request.getHeader("Idempotency-Key"));
        }
        // The dropped connection is never recorded: the 503 and the success are.
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(bodies).containsOnly(bodies.get(0));
        assertThat(keys).containsOnly(keys.get(0));
        assertThat(outcomes).containsEntry("r-1", "accepted").containsEntry("r-2", "accepted");
    }

    @Test
    void honoursRetryAfterOn429() throws Exception {
        server.enqueue(
                new MockResponse()
                        .setResponseCode(429)
                        .setHeader("Retry-After", "1")
                        .setBody("{\"status\":429,\"code\":\"rate_limited\",\"retryable\":true}"));
        server.enqueue(accepted(1));
        long started = System.nanoTime();
        try (HilalClient client = client(100)) {
            client.track(order("slow-1"));
            client.flush();
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(outcomes).containsEntry("slow-1", "accepted");
    }

    @Test
    void reportsEachEventOfAPartlyRejectedBatch() throws Exception {
        server.enqueue(
                new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody(
                                "{\"accepted\":1,\"duplicates\":1,\"rejected\":1,\"results\":["
                                        + "{\"messageId\":\"p-1\",\"status\":\"accepted\"},"
                                        + "{\"messageId\":\"p-2\",\"status\":\"duplicate\"},"
                                        + "{\"messageId\":\"p-3\",\"status\":\"rejected\",\"reason\":\"lines: must have at least one line\"}]}"));
        try (HilalClient client = client(100)) {
            client.track(order("p-1"));
            client.track(order("p-2"));
            client.track(Event.orderCompleted("c-42", "o-3").messageId("p-3").build());
            client.flush();
        }
        assertThat(outcomes)
                .containsEntry("p-1", "accepted")
                .containsEntry("p-2", "duplicate")
                .containsEntry("p-3", "rejected: lines: must have at least one line");
    }

    @Test
    void failsTheBatchWithoutRetryingOnAClientError() throws Exception {
        server.enqueue(
                new MockResponse()
                        .setResponseCode(401)
                        .setHeader("X-Request-Id", "req_1")
                        .setBody(
                                "{\"status\":401,\"code\":\"unauthorized\",\"detail\":\"The API key is unknown or revoked\"}"));
        try (HilalClient client = client(100)) {
            client.track(order("u-1"));
            client.flush();
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(outcomes).containsEntry("u-1", "failed: unauthorized");
    }

    @Test
    void refusesAnOversizeEventAtOnce() {
        try (HilalClient client = client(100)) {
            Event big = Event.custom("note", "c-1").property("text", "x".repeat(33_000)).build();
            assertThatThrownBy(() -> client.track(big))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit is 32768");
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void splitsBatchesBeforeTheyPassFiveHundredKilobytes() throws Exception {
        server.setDispatcher(
                new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        try {
                            int events =
                                    MAPPER.readTree(request.getBody().readUtf8())
                                            .get("events")
                                            .size();
                            return accepted(events);
                        } catch (Exception e) {
                            return new MockResponse().setResponseCode(500);
                        }
                    }
                });
        try (HilalClient client = client(1000)) {
            for (int i = 0; i < 40; i++) {
                client.track(
                        Event.custom("note", "c-1")
                                .messageId("big-" + i)
                                .property("text", "y".repeat(30_000))
                                .build());
            }
            client.flush();
        }
        assertThat(server.getRequestCount()).isGreaterThanOrEqualTo(3);
        for (int i = 0; i < server.getRequestCount(); i++) {
            assertThat(server.takeRequest().getBodySize())
                    .isLessThanOrEqualTo(HilalClient.MAX_BATCH_BYTES);
        }
        assertThat(outcomes)
                .hasSize(40)
                .containsOnlyKeys(outcomes.keySet())
                .doesNotContainValue("failed: http_500");
    }

    @Test
    void offerReturnsFalseWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.setDispatcher(
                new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request)
                            throws InterruptedException {
                        release.await(10, TimeUnit.SECONDS);
                        return accepted(1);
                    }
                });
        try (HilalClient client =
                HilalClient.builder(KEY)
                        .endpoint(server.url("/").uri())
                        .flushAt(1)
                        .queueCapacity(2)
                        .callback(recorder)
                        .build()) {
            client.track(order("q-0"));
            server.takeRequest(5, TimeUnit.SECONDS); // the flusher is now stuck on q-0
            assertThat(client.offer(order("q-1"))).isTrue();
            assertThat(client.offer(order("q-2"))).isTrue();
            assertThat(client.offer(order("q-3"))).isFalse();
            release.countDown();
            client.flush();
        }
        assertThat(outcomes).containsOnlyKeys("q-0", "q-1", "q-2");
    }

    @Test
    void turnsProblemJsonIntoTypedExceptions() {
        server.enqueue(
                new MockResponse()
                        .setResponseCode(422)
                        .setHeader("Content-Type", "application/problem+json")
                        .setBody(
                                "{\"status\":422,\"code\":\"validation_failed\",\"detail\":\"email: is not an email address\","
                                        + "\"requestId\":\"req_9\",\"retryable\":false,\"errors\":[{\"field\":\"email\",\"message\":\"is not an email address\"}]}"));
        server.enqueue(
                new MockResponse()
                        .setResponseCode(404)
                        .setBody(
                                "{\"status\":404,\"code\":\"not_found\",\"requestId\":\"req_10\"}"));
        try (HilalClient client = client(100)) {
            assertThatThrownBy(
                            () ->
                                    client.upsertCustomer(
                                            CustomerParams.builder("c-1").email("nope").build()))
                    .isInstanceOfSatisfying(
                            HilalException.InvalidRequestException.class,
                            e -> {
                                assertThat(e.status()).isEqualTo(422);
                                assertThat(e.code()).isEqualTo("validation_failed");
                                assertThat(e.requestId()).isEqualTo("req_9");
                                assertThat(e.errors())
                                        .containsExactly(
                                                new HilalException.FieldError(
                                                        "email", "is not an email address"));
                            });
            assertThatThrownBy(() -> client.customer("ghost"))
                    .isInstanceOfSatisfying(
                            HilalException.NotFoundException.class,
                            e -> assertThat(e.requestId()).isEqualTo("req_10"));
        }
    }

    @Test
    void readsRowsIntoTypedRecords() throws Exception {
        server.enqueue(
                new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody(
                                "{\"customerId\":\"c 42\",\"personalized\":true,\"rows\":[{\"id\":\"time-to-restock\","
                                        + "\"title\":\"Time to restock\",\"evidence\":\"e\",\"newField\":1,\"items\":[{\"productId\":\"dates\","
                                        + "\"score\":0.9,\"reason\":\"You buy this about every 30 days\"}]}]}"));
        try (HilalClient client = client(100)) {
            Rows rows =
                    client.rows(
                            "c 42", RowsParams.builder().context("home").rows(3).perRow(4).build());
            assertThat(rows.rows().get(0).items().get(0).reason()).startsWith("You buy this");
        }
        assertThat(server.takeRequest().getPath())
                .isEqualTo("/v1/customers/c%2042/rows?context=home&rows=3&perRow=4");
    }

    @Test
    void retriesATimedOutBatchWithTheSameBodyAndBatchId() throws Exception {
        server.enqueue(accepted(1).setHeadersDelay(3, TimeUnit.SECONDS));
        server.enqueue(accepted(1));
        try (HilalClient client =
                HilalClient.builder(KEY)
                        .endpoint(server.url("/").uri())
                        .flushAt(100)
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                        .timeout(Duration.ofMillis(300))
                        .callback(recorder)
                        .build()) {
            client.track(order("t-1"));
            client.flush();
        }
        RecordedRequest first = server.takeRequest(1, TimeUnit.SECONDS);
        RecordedRequest second = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(second.getBody().readUtf8()).isEqualTo(first.getBody().readUtf8());
        assertThat(second.getHeader("Idempotency-Key"))
                .isEqualTo(first.getHeader("Idempotency-Key"));
        assertThat(outcomes).containsEntry("t-1", "accepted");
    }

    @Test
    void failsTheBatchWhenEveryAttemptTimesOut() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(accepted(1).setHeadersDelay(2, TimeUnit.SECONDS));
        }
        try (HilalClient client =
                HilalClient.builder(KEY)
                        .endpoint(server.url("/").uri())
                        .flushAt(100)
                        .maxAttempts(3)
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                        .timeout(Duration.ofMillis(200))
                        .callback(recorder)
                        .build()) {
            client.track(order("late-1"));
            client.flush();
        }
        assertThat(outcomes).containsEntry("late-1", "failed: timeout");
        // The client gave up on the third attempt; the server may read it a moment later.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(server.getRequestCount()).isEqualTo(3));
    }

    @Test
    void honoursRetryAfterOn503AndSucceeds() throws Exception {
        server.enqueue(
                new MockResponse()
                        .setResponseCode(503)
                        .setHeader("Retry-After", "1")
                        .setHeader("Content-Type", "application/problem+json")
                        .setBody(
                                "{\"status\":503,\"code\":\"database_unavailable\",\"retryable\":true}"));
        server.enqueue(accepted(1));
        try (HilalClient client =
                HilalClient.builder(KEY)
                        .endpoint(server.url("/").uri())
                        .flushAt(100)
                        // A backoff this long would make the test wait minutes: Retry-After wins.
                        .backoff(Duration.ofMinutes(5), Duration.ofMinutes(5))
                        .callback(recorder)
                        .build()) {
            client.track(order("ra-1"));
            client.flush();
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(outcomes).containsEntry("ra-1", "accepted");
    }

    @Test
    void callsBackOnceForEveryEventEvenWhenTheClientClosesMidRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.setDispatcher(
                new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request)
                            throws InterruptedException {
                        release.await(10, TimeUnit.SECONDS);
                        return accepted(1);
                    }
                });
        try (HilalClient client =
                HilalClient.builder(KEY)
                        .endpoint(server.url("/").uri())
                        .flushAt(1)
                        .closeTimeout(Duration.ofMillis(200))
                        .callback(recorder)
                        .build()) {
            client.track(order("c-0"));
            server.takeRequest(5, TimeUnit.SECONDS); // the flusher is now stuck on c-0
            client.track(order("c-1"));
            client.track(order("c-2"));
        } finally {
            release.countDown();
        }
        assertThat(outcomes)
                .containsOnlyKeys("c-0", "c-1", "c-2")
                .containsEntry("c-1", "failed: client_closed")
                .containsEntry("c-2", "failed: client_closed");
        assertThat(outcomes.get("c-0")).startsWith("failed: ");
    }

    @Test
    void aThrowingCallbackDoesNotStopTheFlusher() throws Exception {
        server.enqueue(accepted(1));
        server.enqueue(accepted(1));
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (HilalClient client =
                HilalClient.builder(KEY)
                        .endpoint(server.url("/").uri())
                        .flushAt(1)
                        .callback(
                                new Callback() {
                                    @Override
                                    public void accepted(Event event) {
                                        seen.add(event.messageId());
                                        throw new IllegalStateException("a bug in the callback");
                                    }
                                })
                        .build()) {
            client.track(order("b-1"));
            client.track(order("b-2"));
            client.flush();
        }
        assertThat(seen).containsExactly("b-1", "b-2");
    }

    @Test
    void requestOptionsOverrideTheKeyAndKeepOneIdempotencyKeyAcrossRetries() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503).setBody("{\"status\":503}"));
        server.enqueue(
                new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody(
                                "{\"results\":[{\"id\":\"c-1\",\"status\":\"upserted\"},"
                                        + "{\"id\":\"c-2\",\"status\":\"rejected\",\"reason\":\"email: is not an email address\"}]}"));
        server.enqueue(
                new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody("{\"id\":\"c-3\",\"email\":\"c3@example.com\"}"));
        try (HilalClient client = client(100)) {
            var results =
                    client.upsertCustomers(
                            List.of(
                                    CustomerParams.builder("c-1").build(),
                                    CustomerParams.builder("c-2").email("nope").build()),
                            RequestOptions.builder().apiKey("hk_live_other").build());
            assertThat(results).hasSize(2);
            assertThat(results.get(1).rejected()).isTrue();
            assertThat(results.get(1).reason()).contains("email");
            client.upsertCustomer(
                    CustomerParams.builder("c-3").email("c3@example.com").build(),
                    RequestOptions.builder().idempotencyKey("my-key-1").build());
        }
        RecordedRequest failed = server.takeRequest();
        RecordedRequest retried = server.takeRequest();
        RecordedRequest put = server.takeRequest();
        assertThat(failed.getHeader("Authorization")).isEqualTo("Bearer hk_live_other");
        assertThat(failed.getHeader("Idempotency-Key")).startsWith("idem_");
        assertThat(retried.getHeader("Idempotency-Key"))
                .isEqualTo(failed.getHeader("Idempotency-Key"));
        assertThat(put.getMethod()).isEqualTo("PUT");
        assertThat(put.getPath()).isEqualTo("/v1/customers/c-3");
        assertThat(put.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(put.getHeader("Idempotency-Key")).isEqualTo("my-key-1");
    }

    @Test
    void aSynchronousCallThatTimesOutThrowsATimeoutError() {
        server.enqueue(accepted(0).setHeadersDelay(2, TimeUnit.SECONDS));
        try (HilalClient client = client(100)) {
            assertThatThrownBy(
                            () ->
                                    client.customer(
                                            "c-1",
                                            RequestOptions.builder()
                                                    .timeout(Duration.ofMillis(200))
                                                    .maxAttempts(1)
                                                    .build()))
                    .isInstanceOfSatisfying(
                            HilalException.HilalTimeoutException.class,
                            e -> {
                                assertThat(e.retryable()).isTrue();
                                assertThat(e.code()).isEqualTo("timeout");
                            });
        }
    }

    @Test
    void keepsTheEndpointsPathPrefix() throws Exception {
        server.enqueue(
                new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody(
                                "{\"items\":[{\"productId\":\"p2\",\"score\":1.5,\"reason\":\"r\"}]}"));
        try (HilalClient client =
                HilalClient.builder(KEY).endpoint(server.url("/hilal").uri()).build()) {
            var similar =
                    client.similarProducts("p 1", SimilarProductsParams.builder().limit(3).build());
            assertThat(similar.items()).extracting(i -> i.productId()).containsExactly("p2");
        }
        assertThat(server.takeRequest().getPath())
                .isEqualTo("/hilal/v1/products/p%201/similar?limit=3");
    }

    private static CampaignParams restock() {
        return CampaignParams.builder("Restock")
                .audience(CampaignParams.audienceBuilder().repeatDueWithinDays(30).build())
                .offer("Time to restock", "<p>{{{productBlock}}}</p>", "{{productBlock}}")
                .scheduleRepeatDue(14, LocalTime.of(10, 0))
                .validFor(Duration.ofHours(6))
                .build();
    }

    private static MockResponse campaignAnswer(int status, String campaignStatus) {
        return new MockResponse()
                .setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setBody(
                        "{\"id\":\"cmp_1\",\"name\":\"Restock\",\"status\":\""
                                + campaignStatus
                                + "\",\"holdoutShare\":0.1,\"schedule\":{\"type\":\"repeat_due\","
                                + "\"localTime\":\"10:00\",\"windowDays\":14,\"validFor\":\"PT6H\"},"
                                + "\"addedLater\":{\"x\":1},\"createdAt\":\"2026-11-25T10:00:00Z\"}");
    }

    @Test
    void createsACampaignRetryingA503WithTheSameIdempotencyKey() throws Exception {
        server.enqueue(
                new MockResponse()
                        .setResponseCode(503)
                        .setHeader("Content-Type", "application/problem+json")
                        .setBody(
                                "{\"status\":503,\"code\":\"database_unavailable\",\"retryable\":true}"));
        server.enqueue(campaignAnswer(201, "draft"));
        try (HilalClient client = client(100)) {
            var campaign = client.createCampaign(restock());
            assertThat(campaign.id()).isEqualTo("cmp_1");
            assertThat(campaign.status()).isEqualTo(Campaign.DRAFT);
            assertThat(campaign.schedule().localTime()).isEqualTo(LocalTime.of(10, 0));
        }
        RecordedRequest failed = server.takeRequest();
        RecordedRequest retried = server.takeRequest();
        assertThat(failed.getMethod()).isEqualTo("POST");
        assertThat(failed.getPath()).isEqualTo("/v1/campaigns");
        assertThat(failed.getHeader("Idempotency-Key")).startsWith("idem_");
        assertThat(retried.getHeader("Idempotency-Key"))
                .isEqualTo(failed.getHeader("Idempotency-Key"));
        String body = failed.getBody().readUtf8();
        assertThat(retried.getBody().readUtf8()).isEqualTo(body);
        assertThat(body)
                .contains(
                        "\"type\":\"repeat_due\"",
                        "\"localTime\":\"10:00\"",
                        "\"validFor\":\"PT6H\"")
                .doesNotContain("null");
    }

    @Test
    void aCallersIdempotencyKeyWinsOnEveryCampaignPost() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(campaignAnswer(200, "scheduled"));
        }
        RequestOptions keyed = RequestOptions.builder().idempotencyKey("launch-eid-2026").build();
        try (HilalClient client = client(100)) {
            client.createCampaign(restock(), keyed);
            client.launchCampaign("cmp_1", keyed);
            client.pauseCampaign("cmp_1");
        }
        assertThat(server.takeRequest().getHeader("Idempotency-Key")).isEqualTo("launch-eid-2026");
        RecordedRequest launch = server.takeRequest();
        assertThat(launch.getPath()).isEqualTo("/v1/campaigns/cmp_1/launch");
        assertThat(launch.getHeader("Idempotency-Key")).isEqualTo("launch-eid-2026");
        assertThat(launch.getBodySize()).isZero();
        RecordedRequest pause = server.takeRequest();
        assertThat(pause.getPath()).isEqualTo("/v1/campaigns/cmp_1/pause");
        assertThat(pause.getHeader("Idempotency-Key")).startsWith("idem_");
    }

    @Test
    void aCampaignThatIsNoLongerADraftIsATypedConflict() throws Exception {
        server.enqueue(
                new MockResponse()
                        .setResponseCode(409)
                        .setHeader("Content-Type", "application/problem+json")
                        .setHeader("X-Request-Id", "req_header")
                        .setBody(
                                "{\"type\":\"/problems/campaign_not_draft\",\"title\":\"Conflict\",\"status\":409,"
                                        + "\"detail\":\"Campaign cmp_1 is scheduled; only a draft can be changed\","
                                        + "\"code\":\"campaign_not_draft\",\"requestId\":\"req_77\",\"retryable\":false}"));
        try (HilalClient client = client(100)) {
            assertThatThrownBy(() -> client.updateCampaign("cmp_1", restock()))
                    .isInstanceOfSatisfying(
                            HilalException.InvalidRequestException.class,
                            e -> {
                                assertThat(e.status()).isEqualTo(409);
                                assertThat(e.code()).isEqualTo("campaign_not_draft");
                                assertThat(e.requestId()).isEqualTo("req_77");
                                assertThat(e.retryable()).isFalse();
                                assertThat(e.getMessage()).contains("only a draft");
                            });
        }
        RecordedRequest put = server.takeRequest();
        assertThat(server.getRequestCount()).as("a 409 is not retried").isEqualTo(1);
        assertThat(put.getMethod()).isEqualTo("PUT");
        assertThat(put.getPath()).isEqualTo("/v1/campaigns/cmp_1");
        assertThat(put.getHeader("Idempotency-Key")).isNull();
    }

    @Test
    void readsALiftReportWithItsMetricsIntervalsAndSampleRatio() throws Exception {
        String interval =
                "\"treated\":0.31,\"holdout\":0.25,\"difference\":0.06,\"low\":0.01,\"high\":0.11,"
                        + "\"pValue\":0.02,\"relative\":0.24,\"relativeLow\":0.03,\"relativeHigh\":0.45";
        String metric =
                "{\"definition\":\"d\",\"method\":\"cuped-welch\","
                        + interval
                        + ",\"significant\":true,\"unadjusted\":{"
                        + interval
                        + "},\"cupedTheta\":0.4,\"varianceReduction\":0.12,\"minimumDetectableEffect\":0.05,"
                        + "\"winsorized\":{\"lowerPercentile\":1,\"upperPercentile\":98,\"lowerCutoff\":0,\"upperCutoff\":9}}";
        server.enqueue(
                new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody(
                                "{\"campaignId\":\"cmp 1\",\"windowDays\":60,\"computedAt\":\"2026-11-25T04:00:00Z\","
                                        + "\"status\":\"FINAL\",\"statusDetail\":\"final\",\"futureField\":[1,2],"
                                        + "\"assignment\":{\"treatedCustomers\":2700,\"holdoutCustomers\":300,"
                                        + "\"treatedBuyers\":837,\"holdoutBuyers\":75,\"customersNotYetStarted\":0,\"runs\":1,"
                                        + "\"ledgerStates\":{\"SENT\":2690,\"HELD_OUT\":300,\"FAILED\":10}},"
                                        + "\"window\":{\"closesAt\":\"2026-11-01T00:00:00Z\",\"closed\":true,\"preDays\":180},"
                                        + "\"peeking\":{\"finalLook\":true,\"correctedForPeeking\":false},"
                                        + "\"sampleRatio\":{\"expectedHoldoutShare\":0.1,\"observedHoldoutShare\":0.1,"
                                        + "\"pValue\":1.0,\"threshold\":0.001,\"mismatch\":false},\"confidence\":0.95,"
                                        + "\"metrics\":{\"repeatPurchaseRate\":"
                                        + metric
                                        + ",\"ordersPerCustomer\":"
                                        + metric
                                        + ",\"revenuePerCustomer\":"
                                        + metric
                                        + "},\"incrementalRevenue\":{\"estimate\":1200.5,\"low\":100,\"high\":2300},"
                                        + "\"currencies\":[\"SAR\"],\"warnings\":[]}"));
        try (HilalClient client = client(100)) {
            LiftReport report = client.liftReport("cmp 1", 60);
            assertThat(report.status()).isEqualTo(LiftReport.FINAL);
            assertThat(report.hasEstimates()).isTrue();
            assertThat(report.sampleRatioMismatch()).isFalse();
            assertThat(report.assignment().treatedCustomers()).isEqualTo(2700);
            assertThat(report.assignment().holdoutCustomers()).isEqualTo(300);
            assertThat(report.assignment().ledgerStates()).containsEntry("HELD_OUT", 300L);
            LiftReport.Metric rate = report.metrics().repeatPurchaseRate();
            assertThat(rate.difference()).isEqualTo(0.06);
            assertThat(rate.low()).isEqualTo(0.01);
            assertThat(rate.high()).isEqualTo(0.11);
            assertThat(rate.relative()).isEqualTo(0.24);
            assertThat(rate.significant()).isTrue();
            assertThat(rate.unadjusted().pValue()).isEqualTo(0.02);
            assertThat(rate.winsorized().upperPercentile()).isEqualTo(98);
            assertThat(report.incrementalRevenue().estimate()).isEqualTo(1200.5);
            assertThat(report.window().closesAt()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        }
        assertThat(server.takeRequest().getPath())
                .isEqualTo("/v1/campaigns/cmp%201/lift?window=60");
    }

    @Test
    void flagsASampleRatioMismatch() {
        server.enqueue(
                new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody(
                                "{\"campaignId\":\"cmp_1\",\"windowDays\":30,\"status\":\"NOT_ENOUGH_DATA\","
                                        + "\"sampleRatio\":{\"observedHoldoutShare\":0.3,\"pValue\":0.00001,"
                                        + "\"threshold\":0.001,\"mismatch\":true},\"confidence\":0.95}"));
        try (HilalClient client = client(100)) {
            LiftReport report = client.liftReport("cmp_1", 30);
            assertThat(report.sampleRatioMismatch()).isTrue();
            assertThat(report.hasEstimates()).isFalse();
            assertThat(report.metrics()).isNull();
        }
    }

    @Test
    void pagesThroughCampaignsAndReadsTheLiftOverview() throws Exception {
        server.enqueue(
                new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody(
                                "{\"items\":[{\"id\":\"cmp_2\",\"status\":\"draft\"}],\"nextCursor\":\"abc=\"}"));
        server.enqueue(
                new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody(
                                "{\"items\":[{\"campaignId\":\"cmp_2\",\"windowDays\":30,\"latest\":{\"campaignId\":\"cmp_2\","
                                        + "\"windowDays\":30,\"status\":\"INTERIM\",\"treatedCustomers\":900,\"holdoutCustomers\":100,"
                                        + "\"repeatPurchaseRate\":{\"difference\":0.02,\"low\":-0.01,\"high\":0.05,\"pValue\":0.2},"
                                        + "\"sampleRatioMismatch\":false},\"history\":[]}]}"));
        try (HilalClient client = client(100)) {
            Page<Campaign> page =
                    client.campaigns(
                            CampaignListParams.builder()
                                    .status("draft")
                                    .limit(1)
                                    .cursor("xyz=")
                                    .build());
            assertThat(page.items()).extracting(Campaign::id).containsExactly("cmp_2");
            assertThat(page.hasMore()).isTrue();
            assertThat(page.nextCursor()).isEqualTo("abc=");
            var overview = client.liftReports();
            assertThat(overview.items().get(0).latest().repeatPurchaseRate().pValue())
                    .isEqualTo(0.2);
        }
        assertThat(server.takeRequest().getPath())
                .isEqualTo("/v1/campaigns?status=draft&limit=1&cursor=xyz%3D");
        assertThat(server.takeRequest().getPath()).isEqualTo("/v1/lift");
    }
}
