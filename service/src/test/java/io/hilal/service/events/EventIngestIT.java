package io.hilal.service.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class EventIngestIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();

    private Api api;

    @BeforeEach
    void newTenant() {
        api = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "ingest")[1]);
    }

    static String order(String messageId) {
        return "{\"messageId\": \""
                + messageId
                + "\", \"type\": \"order_completed\", \"customerId\": \"c-42\","
                + " \"timestamp\": \"2026-03-25T10:05:00Z\", \"orderId\": \"o-"
                + messageId
                + "\", \"lines\": [{\"productId\": \"p1\", \"quantity\": 2, \"unitPrice\": 9.5,"
                + " \"currency\": \"USD\"}], \"context\": {\"device\": \"mobile\", \"channel\": \"web\"}}";
    }

    static String batch(List<String> events) {
        return "{\"events\": [" + String.join(",", events) + "]}";
    }

    private long storedEvents() {
        return api.get("/v1/overview").json().get("events").asLong();
    }

    @Test
    void answersEachEventInOrderAndStoresAReplayOnce() {
        String body =
                batch(
                        List.of(
                                order("m-1"),
                                "{\"messageId\": \"m-2\", \"type\": \"product_viewed\", \"customerId\": \"c-42\"}",
                                "{\"messageId\": \"m-3\", \"type\": \"product_rated\", \"customerId\": \"c-42\","
                                        + " \"productId\": \"p1\", \"rating\": \"down\"}",
                                "{\"messageId\": \"m-4\", \"type\": \"wishlist_shared\", \"customerId\": \"c-42\","
                                        + " \"properties\": {\"list\": \"eid\"}}"));
        Api.Reply first = api.post("/v1/events", body);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("accepted").asInt()).isEqualTo(3);
        assertThat(first.json().at("/results/1/status").asText()).isEqualTo("rejected");
        assertThat(first.json().at("/results/1/reason").asText()).contains("productId");
        assertThat(first.json().at("/results/3/messageId").asText()).isEqualTo("m-4");

        Api.Reply replay = api.post("/v1/events", body);
        assertThat(replay.json().get("duplicates").asInt()).isEqualTo(3);
        assertThat(replay.json().get("accepted").asInt()).isZero();
        assertThat(storedEvents()).isEqualTo(3);

        JsonNode events = api.get("/v1/customers/c-42/events").json();
        assertThat(events.get("items")).hasSize(3);
        assertThat(events.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void storesEachEventOnceWhenTwentyClientsPostTheSameBatchAtOnce() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(order("race-" + i));
        }
        String body = batch(events);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Api.Reply>> posts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                posts.add(() -> api.post("/v1/events", body));
            }
            int accepted = 0;
            for (Future<Api.Reply> reply : pool.invokeAll(posts)) {
                assertThat(reply.get().status()).isEqualTo(200);
                accepted += reply.get().json().get("accepted").asInt();
            }
            assertThat(accepted).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
        assertThat(storedEvents()).isEqualTo(100);
    }

    @Test
    void pagesThroughACustomersEventsNewestFirst() {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(
                    "{\"messageId\": \"v-"
                            + i
                            + "\", \"type\": \"product_viewed\", \"customerId\": \"pager\","
                            + " \"productId\": \"p"
                            + i
                            + "\", \"timestamp\": \"2026-01-0"
                            + (i + 1)
                            + "T00:00:00Z\"}");
        }
        api.post("/v1/events", batch(events));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page =
                    api.get(
                                    "/v1/customers/pager/events?limit=3"
                                            + (cursor == null ? "" : "&cursor=" + cursor))
                            .json();
            page.get("items").forEach(item -> seen.add(item.get("messageId").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).containsExactly("v-6", "v-5", "v-4", "v-3", "v-2", "v-1", "v-0");
    }

    @Nested
    class Limits {
        @Test
        void acceptsAThousandEventsAndRejectsAThousandAndOne() {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                events.add(
                        "{\"messageId\": \"k-"
                                + i
                                + "\", \"type\": \"search\", \"customerId\": \"c\", \"query\": \"oud\"}");
            }
            Api.Reply ok = api.post("/v1/events", batch(events));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().get("accepted").asInt()).isEqualTo(1000);

            events.add(
                    "{\"messageId\": \"k-1000\", \"type\": \"search\", \"customerId\": \"c\", \"query\": \"oud\"}");
            events.replaceAll(event -> event.replace("\"k-", "\"l-"));
            Api.Reply tooMany = api.post("/v1/events", batch(events));
            assertThat(tooMany.status()).isEqualTo(422);
            assertThat(tooMany.contentType()).isEqualTo("application/problem+json");
            assertThat(tooMany.json().at("/errors/0/field").asText()).isEqualTo("events");
            assertThat(storedEvents()).isEqualTo(1000);
        }

        @Test
        void readsABodyOfExactlyTheLimitAndRefusesOneByteMore() {
            String json = batch(List.of(order("size-1")));
            int limit = APP.getConfiguration().getMaxBodyBytes();
            String atLimit =
                    json + " ".repeat(limit - json.getBytes(StandardCharsets.UTF_8).length);
            Api.Reply ok = api.post("/v1/events", atLimit);
            assertThat(ok.status()).isEqualTo(200);

            String overLimit = batch(List.of(order("size-2"))) + " ".repeat(limit);
            overLimit = overLimit.substring(0, limit + 1);
            Api.Reply tooBig = api.post("/v1/events", overLimit);
            assertThat(tooBig.status()).isEqualTo(413);
            assertThat(tooBig.json().get("code").asText()).isEqualTo("payload_too_large");
            assertThat(storedEvents()).isEqualTo(1);
        }

        @Test
        void acceptsAnEventOfExactly32KibAndRejectsOneByteMore() {
            String atLimit = eventOfSize("big-1", 32 * 1024);
            String overLimit = eventOfSize("big-2", 32 * 1024 + 1);
            Api.Reply reply = api.post("/v1/events", batch(List.of(atLimit, overLimit)));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().at("/results/0/status").asText()).isEqualTo("accepted");
            assertThat(reply.json().at("/results/1/status").asText()).isEqualTo("rejected");
            assertThat(reply.json().at("/results/1/reason").asText()).contains("32768");
        }

        @Test
        void pagesOfAHundredAreServedAndAHundredAndOneIsABadRequest() {
            api.post("/v1/events", batch(List.of(order("page-1"))));
            assertThat(api.get("/v1/customers/c-42/events?limit=100").status()).isEqualTo(200);
            Api.Reply tooMany = api.get("/v1/customers/c-42/events?limit=101");
            assertThat(tooMany.status()).isEqualTo(400);
            assertThat(tooMany.json().get("code").asText()).isEqualTo("invalid_parameter");
            assertThat(api.get("/v1/products?limit=100").status()).isEqualTo(200);
            assertThat(api.get("/v1/products?limit=101").status()).isEqualTo(400);
        }

        /** A compact event JSON of exactly {@code bytes} bytes, padded in its properties. */
        private String eventOfSize(String messageId, int bytes) {
            String template =
                    "{\"messageId\":\""
                            + messageId
                            + "\",\"type\":\"custom_note\",\"customerId\":\"c\","
                            + "\"properties\":{\"pad\":\"%s\"}}";
            int base = String.format(template, "").length();
            return String.format(template, "x".repeat(bytes - base));
        }
    }
}
