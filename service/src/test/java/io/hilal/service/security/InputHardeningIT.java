package io.hilal.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19, low findings on input: ids a URL cannot carry, repeated JSON keys, numbers a double
 * cannot hold, and keys created without scopes are all refused at the door, and nothing is written.
 * Real HTTP against the real service; every refusal is checked by reading back.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class InputHardeningIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app(DATABASE);
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> UNADDRESSABLE_IDS =
            List.of(
                    "100%",
                    "a%2Fb",
                    "back\\slash",
                    "bell\u0007",
                    "evil\u202Egnp",
                    "iso\u2066late",
                    "zero\u200Bwidth");

    static String key;
    static Api api;

    @BeforeAll
    static void tenant() {
        key = Api.newTenant(APP.getLocalPort(), "input-hardening")[1];
        api = new Api(APP.getLocalPort(), key);
    }

    @Test
    void anEmptyBodyIsSaidToBeMissingInASentenceNotAsABlankField() {
        Api.Reply reply = api.send("PUT", "/v1/customers/c-empty", "", "application/json");

        assertThat(reply.status()).as(reply.body()).isEqualTo(422);
        assertThat(reply.json().get("detail").asText()).isEqualTo("A customer object is required");
        assertThat(reply.json().at("/errors/0/field").asText()).isEmpty();
        assertThat(api.get("/v1/customers/c-empty").status()).isEqualTo(404);
    }

    @Test
    void customerAndProductBatchesRejectIdsAUrlCannotCarry() {
        for (String kind : List.of("customers", "products")) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode items = body.putArray(kind);
            UNADDRESSABLE_IDS.forEach(id -> items.addObject().put("id", id));
            items.addObject().put("id", kind + "-fine");

            Api.Reply reply = api.post("/v1/" + kind + "/batch", body.toString());

            assertThat(reply.status()).isEqualTo(200);
            List<String> statuses =
                    reply.json().get("results").findValues("status").stream()
                            .map(JsonNode::asText)
                            .toList();
            assertThat(statuses.subList(0, UNADDRESSABLE_IDS.size())).containsOnly("rejected");
            assertThat(statuses.get(UNADDRESSABLE_IDS.size())).isEqualTo("upserted");
            assertThat(reply.json().at("/results/0/reason").asText()).contains("id");
            assertThat(api.get("/v1/" + kind + "/" + kind + "-fine").status()).isEqualTo(200);
        }
        // The products list shows everything stored: only the good one.
        assertThat(api.get("/v1/products?limit=100").json().get("items"))
                .extracting(item -> item.get("id").asText())
                .containsExactly("products-fine");
    }

    @Test
    void eventsRejectCustomerAndProductIdsAUrlCannotCarry() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode events = body.putArray("events");
        int n = 0;
        for (String id : UNADDRESSABLE_IDS) {
            events.addObject()
                    .put("messageId", "bad-customer-" + n)
                    .put("type", "product_viewed")
                    .put("customerId", id)
                    .put("productId", "p1");
            events.addObject()
                    .put("messageId", "bad-product-" + n++)
                    .put("type", "product_viewed")
                    .put("customerId", "ok-customer")
                    .put("productId", id);
        }

        Api.Reply reply = api.post("/v1/events", body.toString());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("accepted").asInt()).isZero();
        assertThat(reply.json().get("rejected").asInt()).isEqualTo(2 * UNADDRESSABLE_IDS.size());
        assertThat(api.get("/v1/customers/ok-customer").status()).isEqualTo(404);
    }

    @Test
    void segmentRejectsUserIdsAUrlCannotCarry() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode batch = body.putArray("batch");
        int n = 0;
        for (String id : UNADDRESSABLE_IDS) {
            batch.addObject()
                    .put("type", "track")
                    .put("event", "Signed Up")
                    .put("messageId", "seg-bad-" + n++)
                    .put("userId", id);
        }

        Api.Reply reply = segment("batch", body.toString());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("rejected").asInt()).isEqualTo(UNADDRESSABLE_IDS.size());
        assertThat(reply.json().get("accepted").asInt()).isZero();
    }

    @Test
    void duplicateKeysAreRefusedAndNothingIsWritten() {
        Api.Reply customer =
                api.put(
                        "/v1/customers/dup-1",
                        "{\"email\": \"owner@example.com\", \"email\": \"thief@example.com\"}");
        assertProblem(customer, "duplicate_key", "email");
        assertThat(api.get("/v1/customers/dup-1").status()).isEqualTo(404);

        Api.Reply events =
                api.post(
                        "/v1/events",
                        "{\"events\": [{\"messageId\": \"dup-ev\", \"type\": \"product_viewed\","
                                + " \"customerId\": \"dup-2\", \"productId\": \"p1\","
                                + " \"customerId\": \"dup-3\"}]}");
        assertProblem(events, "duplicate_key", "events[0].customerId");
        assertThat(api.get("/v1/customers/dup-2").status()).isEqualTo(404);
        assertThat(api.get("/v1/customers/dup-3").status()).isEqualTo(404);

        Api.Reply identify =
                segment(
                        "identify",
                        "{\"type\": \"identify\", \"userId\": \"dup-4\","
                                + " \"traits\": {\"locale\": \"en\", \"locale\": \"ar\"}}");
        assertProblem(identify, "duplicate_key", "traits.locale");
        assertThat(api.get("/v1/customers/dup-4").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-400", "1e400", "-2.5e-999"})
    void numbersADoubleCannotHoldAreRefused(String literal) {
        Api.Reply customer =
                api.put("/v1/customers/num-1", "{\"attributes\": {\"ltv\": " + literal + "}}");
        assertProblem(customer, "number_out_of_range", "attributes.ltv");
        assertThat(api.get("/v1/customers/num-1").status()).isEqualTo(404);

        Api.Reply event =
                api.post(
                        "/v1/events",
                        "{\"events\": [{\"messageId\": \"num-ev\", \"type\": \"wishlist\","
                                + " \"customerId\": \"num-2\", \"properties\": {\"score\": "
                                + literal
                                + "}}]}");
        assertProblem(event, "number_out_of_range", "events[0].properties.score");
        assertThat(api.get("/v1/customers/num-2").status()).isEqualTo(404);

        Api.Reply track =
                segment(
                        "track",
                        "{\"type\": \"track\", \"userId\": \"num-3\", \"event\": \"Rated\","
                                + " \"properties\": {\"stars\": "
                                + literal
                                + "}}");
        assertProblem(track, "number_out_of_range", "properties.stars");
        assertThat(api.get("/v1/customers/num-3").status()).isEqualTo(404);
    }

    @Test
    void aSenderNameWithALineBreakIsRefused() {
        Api.Reply reply =
                api.put(
                        "/v1/sender-identity",
                        "{\"fromAddress\": \"offers@souq.example\", \"fromName\":"
                                + " \"Souq\\r\\nBcc: victim@evil.example\", \"postalAddress\":"
                                + " \"1 Souq St\"}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("errors").findValuesAsText("field")).contains("fromName");
        assertThat(api.get("/v1/sender-identity").body()).doesNotContain("victim");
    }

    @Test
    void theServerDatesConsentAndKeepsTheClientsTimeApart() {
        Instant before = Instant.now().minusSeconds(1);
        api.put(
                "/v1/customers/consent-1",
                "{\"email\": \"k1@example.com\", \"emailConsent\": {\"status\": \"granted\","
                        + " \"source\": \"checkout\", \"timestamp\": \"2001-01-01T00:00:00Z\"}}");
        JsonNode first = api.get("/v1/customers/consent-1").json().get("emailConsent");
        Instant received = Instant.parse(first.get("timestamp").asText());
        assertThat(received).isBetween(before, Instant.now().plusSeconds(1));
        // The answer shows both: when Hilal received it, and (apart) the time the client gave.
        assertThat(first.get("clientTimestamp").asText()).isEqualTo("2001-01-01T00:00:00Z");
        assertThat(clientConsentTime("consent-1")).isEqualTo("2001-01-01T00:00:00Z");

        // The same consent sent again keeps the time it was first received.
        api.put(
                "/v1/customers/consent-1",
                "{\"email\": \"k1@example.com\", \"emailConsent\": {\"status\": \"granted\","
                        + " \"source\": \"checkout\", \"timestamp\": \"1999-01-01T00:00:00Z\"}}");
        JsonNode again = api.get("/v1/customers/consent-1").json().get("emailConsent");
        assertThat(Instant.parse(again.get("timestamp").asText())).isEqualTo(received);
        assertThat(again.get("clientTimestamp").asText()).isEqualTo("1999-01-01T00:00:00Z");
        assertThat(clientConsentTime("consent-1")).isEqualTo("1999-01-01T00:00:00Z");

        // A change of mind is dated when it arrives; a merge without consent leaves it alone.
        api.put(
                "/v1/customers/consent-1",
                "{\"email\": \"k1@example.com\", \"emailConsent\": {\"status\": \"denied\","
                        + " \"source\": \"preferences\"}}");
        segment("identify", "{\"userId\": \"consent-1\", \"traits\": {\"plan\": \"gold\"}}");
        JsonNode denied = api.get("/v1/customers/consent-1").json().get("emailConsent");
        assertThat(denied.get("status").asText()).isEqualTo("denied");
        assertThat(Instant.parse(denied.get("timestamp").asText())).isAfterOrEqualTo(received);
        assertThat(clientConsentTime("consent-1")).isNull();
        assertThat(denied.has("clientTimestamp")).as("no client time was sent").isFalse();
    }

    /** The client's claimed consent time, as stored apart from the received time. */
    private static String clientConsentTime(String customerId) {
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(DATABASE)));
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT email_consent_client_at FROM customers"
                                                + " WHERE customer_id = :id")
                                .bind("id", customerId)
                                .mapTo(Instant.class)
                                .findOne()
                                .map(Instant::toString)
                                .orElse(null));
    }

    @Test
    void aKeyWithoutScopesIsRefused() {
        int before = api.get("/v1/api-keys").json().get("items").size();

        Api.Reply reply = api.post("/v1/api-keys", "{\"name\": \"forgot-scopes\"}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("code").asText()).isEqualTo("validation_failed");
        assertThat(reply.json().get("errors").findValuesAsText("field")).containsExactly("scopes");
        assertThat(api.get("/v1/api-keys").json().get("items")).hasSize(before);
    }

    /** A Segment call with the write key as the Basic-auth user name, as Segment's libraries do. */
    private static Api.Reply segment(String path, String body) {
        String basic =
                Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        return api.sendWithAuthorization("POST", "/segment/v1/" + path, body, "Basic " + basic);
    }

    static void assertProblem(Api.Reply reply, String code, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.json().get("code").asText()).isEqualTo(code);
        assertThat(reply.json().get("errors").findValuesAsText("field")).contains(field);
    }
}
