package io.hilal.service.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Segment's HTTP Tracking API, fed the JSON Segment's libraries send. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SegmentIngestIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();

    private String key;
    private Api api;

    @BeforeEach
    void tenant() {
        key = Api.newTenant(APP.getLocalPort(), "segment")[1];
        api = new Api(APP.getLocalPort(), key);
    }

    /** Segment's libraries send the write key as the Basic-auth user name. */
    private Api.Reply segment(String path, String body) {
        return new Api(APP.getLocalPort(), null)
                .sendWithAuthorization(
                        "POST",
                        "/segment/v1/" + path,
                        body,
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (key + ":").getBytes(StandardCharsets.UTF_8)));
    }

    private static final String BATCH =
            """
            {"batch": [
              {"type": "identify", "messageId": "s-1", "userId": "u-7",
               "traits": {"email": "amina@example.com", "timezone": "Asia/Riyadh", "plan": "gold",
                          "email_opt_in": true},
               "context": {"library": {"name": "analytics-java"}}},
              {"type": "track", "messageId": "s-2", "userId": "u-7", "event": "Order Completed",
               "timestamp": "2026-03-25T10:05:00.000Z",
               "properties": {"order_id": "o-50", "currency": "sar",
                              "products": [{"product_id": "dates", "quantity": 2, "price": 45.5},
                                           {"sku": "coffee", "price": 30}]},
               "context": {"device": {"type": "mobile"}, "ip": "10.0.0.1", "locale": "ar-SA"}},
              {"type": "track", "messageId": "s-3", "userId": "u-7", "event": "Product Viewed",
               "properties": {"product_id": "oud", "name": "Oud oil"}},
              {"type": "track", "messageId": "s-4", "userId": "u-7", "event": "Wishlist Shared",
               "properties": {"share_via": "whatsapp"}},
              {"type": "page", "messageId": "s-5", "anonymousId": "anon-1", "name": "Eid offers"}
            ], "sentAt": "2026-03-25T10:05:01.000Z"}
            """;

    @Test
    void mapsABatchOfIdentifyAndEcommerceEventsToHilal() {
        Api.Reply reply = segment("batch", BATCH);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("success").asBoolean()).isTrue();
        assertThat(reply.json().get("accepted").asInt()).isEqualTo(4);

        JsonNode customer = api.get("/v1/customers/u-7").json();
        assertThat(customer.get("email").asText()).isEqualTo("amina@example.com");
        assertThat(customer.get("timeZone").asText()).isEqualTo("Asia/Riyadh");
        assertThat(customer.at("/emailConsent/status").asText()).isEqualTo("granted");
        assertThat(customer.at("/attributes/plan").asText()).isEqualTo("gold");

        JsonNode events = api.get("/v1/customers/u-7/events").json().get("items");
        JsonNode order = events.findParents("orderId").get(0);
        assertThat(order.get("type").asText()).isEqualTo("order_completed");
        assertThat(order.at("/lines/0/productId").asText()).isEqualTo("dates");
        assertThat(order.at("/lines/0/quantity").asInt()).isEqualTo(2);
        assertThat(order.at("/lines/1/productId").asText()).isEqualTo("coffee");
        assertThat(order.at("/lines/1/quantity").asInt()).isEqualTo(1);
        assertThat(order.at("/lines/0/currency").asText()).isEqualTo("SAR");
        assertThat(order.at("/context/device").asText()).isEqualTo("mobile");
        assertThat(events.toString())
                .contains("\"type\":\"product_viewed\"")
                .contains("\"type\":\"wishlist_shared\"");
    }

    @Test
    void storesAReplayedBatchOnceAndMergesIdentifyTraits() {
        segment("batch", BATCH);
        Api.Reply replay = segment("batch", BATCH);
        assertThat(replay.json().get("duplicates").asInt()).isEqualTo(4);
        assertThat(api.get("/v1/overview").json().get("events").asLong()).isEqualTo(4);

        segment(
                "identify",
                "{\"userId\": \"u-7\", \"messageId\": \"s-9\", \"traits\": {\"tier\": \"vip\"}}");
        JsonNode customer = api.get("/v1/customers/u-7").json();
        assertThat(customer.get("email").asText()).isEqualTo("amina@example.com");
        assertThat(customer.at("/attributes/plan").asText()).isEqualTo("gold");
        assertThat(customer.at("/attributes/tier").asText()).isEqualTo("vip");
    }

    @Test
    void takesTheWriteKeyFromTheBodyAndRefusesAMissingOrUnknownOne() {
        String track =
                "{\"userId\": \"u-1\", \"messageId\": \"w-1\", \"event\": \"Products Searched\","
                        + " \"properties\": {\"query\": \"dates\"}";
        Api anonymous = new Api(APP.getLocalPort(), null);
        assertThat(
                        anonymous
                                .post(
                                        "/segment/v1/track",
                                        track + ", \"writeKey\": \"" + key + "\"}")
                                .status())
                .isEqualTo(200);

        Api.Reply missing = anonymous.post("/segment/v1/track", track + "}");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.contentType()).isEqualTo("application/problem+json");
        Api.Reply unknown =
                anonymous.post(
                        "/segment/v1/track",
                        track
                                + ", \"writeKey\": \"hk_live_0000000000000000_"
                                + "0".repeat(64)
                                + "\"}");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(api.get("/v1/overview").json().get("events").asLong()).isEqualTo(1);
    }

    @Test
    void enforcesSegmentsSizeLimitsAtTheLimitAndOnePast() {
        String base =
                "{\"userId\": \"u-1\", \"messageId\": \"big\", \"event\": \"Note\", \"properties\": {\"pad\": \"%s\"}}";
        int overhead = String.format(base, "").length();
        String atLimit = String.format(base, "x".repeat(SegmentResource.MAX_CALL_BYTES - overhead));
        String overLimit =
                String.format(base, "x".repeat(SegmentResource.MAX_CALL_BYTES - overhead + 1));
        assertThat(segment("track", overLimit).status()).isEqualTo(413);
        assertThat(api.get("/v1/overview").json().get("events").asLong()).isZero();
        // At 32 KB the call is taken; the event itself is just over Hilal's 32 KB event limit
        // once mapped (it gains a type and a timestamp), so it is reported rejected, not lost.
        Api.Reply taken = segment("track", atLimit);
        assertThat(taken.status()).isEqualTo(200);
        assertThat(taken.json().get("accepted").asInt() + taken.json().get("rejected").asInt())
                .isEqualTo(1);
    }

    @Test
    void answersMalformedJsonWithAProblem() {
        Api.Reply reply = segment("batch", "{\"batch\": [");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("code").asText()).isEqualTo("malformed_json");
    }

    @Test
    void refusesEachMessageItCannotTakeSayingWhyAndStoresNothingOfIt() {
        long events = api.get("/v1/overview").json().get("events").asLong();
        Api.Reply reply =
                segment(
                        "batch",
                        """
                        {"batch": [
                          {"type": "bogus", "messageId": "g-1", "userId": "g-user"},
                          {"type": "track", "messageId": "g-2", "userId": "g-user"},
                          {"type": "track", "messageId": "g-3", "userId": "g-user", "event": " "},
                          {"type": "track", "messageId": "g-4", "userId": "g-user", "event": "!!!"},
                          {"type": "identify", "messageId": "g-5", "anonymousId": "anon-9",
                           "traits": {"email": "anon@example.com"}}
                        ]}
                        """);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("rejected").asInt()).isEqualTo(5);
        assertThat(reply.json().get("identified").asInt()).isZero();
        JsonNode results = reply.json().get("results");
        assertThat(results.findValuesAsText("status")).containsOnly("rejected");
        assertThat(results.findValuesAsText("reason"))
                .containsExactly(
                        "type: must be one of identify, track, page, screen, group or alias,"
                                + " not 'bogus'",
                        "event: a track message needs the event's name",
                        "event: a track message needs the event's name",
                        "event: '!!!' holds no letter or digit",
                        "userId: an identify needs one (Hilal keeps no anonymous profiles);"
                                + " nothing was stored");
        assertThat(api.get("/v1/overview").json().get("events").asLong()).isEqualTo(events);
        assertThat(api.get("/v1/customers/g-user").status()).isEqualTo(404);
    }
}
