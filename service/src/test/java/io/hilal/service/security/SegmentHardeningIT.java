package io.hilal.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19, medium and low findings on the Segment endpoint: a batch never answers 4xx after
 * writing part of itself; a {@code client} key (one a browser may publish) sends events but cannot
 * change a customer's email or consent; Segment fields are not coerced into something else ({@code
 * quantity: "abc"} → 1, {@code 2.9} → 2, a non-ASCII event name → {@code event_}).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SegmentHardeningIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();

    static Api api;
    static String serverKey;
    static String clientKey;

    @BeforeAll
    static void tenant() {
        serverKey = Api.newTenant(APP.getLocalPort(), "segment-hardening")[1];
        api = new Api(APP.getLocalPort(), serverKey);
        Api.Reply created =
                api.post("/v1/api-keys", "{\"name\": \"browser\", \"scopes\": [\"client\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("scopes").toString()).isEqualTo("[\"client\"]");
        clientKey = created.json().get("apiKey").asText();
    }

    @Test
    void aBatchWithABadIdentifyAnswers200WithPerMessageResults() {
        Api.Reply reply =
                segment(
                        serverKey,
                        "batch",
                        "{\"batch\": ["
                                + "{\"type\": \"identify\", \"userId\": \"b-1\", \"messageId\": \"m-1\","
                                + " \"traits\": {\"email\": \"b1@example.com\"}},"
                                + "{\"type\": \"track\", \"userId\": \"b-1\", \"messageId\": \"m-2\","
                                + " \"event\": \"Signed Up\"},"
                                + "{\"type\": \"identify\", \"userId\": \"b-2\", \"messageId\": \"m-3\","
                                + " \"traits\": {\"email\": \"not an email\"}}]}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("identified").asInt()).isEqualTo(1);
        assertThat(reply.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(reply.json().get("rejected").asInt()).isEqualTo(1);
        assertThat(reply.json().at("/results/0/messageId").asText()).isEqualTo("m-3");
        assertThat(reply.json().at("/results/0/reason").asText()).contains("email");
        assertThat(api.get("/v1/customers/b-1").json().get("email").asText())
                .isEqualTo("b1@example.com");
        assertThat(api.get("/v1/customers/b-2").status()).isEqualTo(404);
    }

    @Test
    void aBatchRefusedWith4xxHasWrittenNothing() {
        List<String> messages = new ArrayList<>();
        messages.add(
                "{\"type\": \"identify\", \"userId\": \"big-1\", \"traits\": {\"email\":"
                        + " \"big@example.com\"}}");
        for (int i = 0; i < 1000; i++) {
            messages.add("{\"type\": \"track\", \"userId\": \"big-2\", \"event\": \"E\"}");
        }

        Api.Reply tooMany =
                segment(serverKey, "batch", "{\"batch\": [" + String.join(",", messages) + "]}");
        Api.Reply badNumber =
                segment(
                        serverKey,
                        "batch",
                        "{\"batch\": [{\"type\": \"identify\", \"userId\": \"big-3\"},"
                                + " {\"type\": \"track\", \"userId\": \"big-3\", \"event\": \"E\","
                                + " \"properties\": {\"x\": 1e400}}]}");

        assertThat(tooMany.status()).isBetween(400, 499);
        assertThat(badNumber.status()).isEqualTo(400);
        for (String id : List.of("big-1", "big-2", "big-3")) {
            assertThat(api.get("/v1/customers/" + id).status()).as(id).isEqualTo(404);
        }
    }

    @Test
    void aClientKeySendsEventsButCannotChangeEmailOrConsent() {
        api.put(
                "/v1/customers/victim",
                "{\"email\": \"victim@example.com\", \"emailConsent\": {\"status\": \"denied\","
                        + " \"source\": \"checkout\"}}");

        Api.Reply track =
                segment(
                        clientKey,
                        "track",
                        "{\"userId\": \"victim\", \"event\": \"Product Viewed\","
                                + " \"properties\": {\"product_id\": \"p1\"}}");
        Api.Reply sameEmail =
                segment(
                        clientKey,
                        "identify",
                        "{\"userId\": \"victim\", \"traits\": {\"email\": \"victim@example.com\","
                                + " \"locale\": \"ar-SA\"}}");
        Api.Reply steal =
                segment(
                        clientKey,
                        "identify",
                        "{\"userId\": \"victim\", \"messageId\": \"steal\","
                                + " \"traits\": {\"email\": \"thief@evil.example\"}}");
        Api.Reply optIn =
                segment(
                        clientKey,
                        "batch",
                        "{\"batch\": [{\"type\": \"identify\", \"userId\": \"victim\","
                                + " \"messageId\": \"opt-in\", \"traits\": {\"email_opt_in\": true}},"
                                + " {\"type\": \"identify\", \"userId\": \"fresh\","
                                + " \"messageId\": \"fresh\","
                                + " \"traits\": {\"email\": \"thief@evil.example\"}}]}");

        assertThat(track.status()).isEqualTo(200);
        assertThat(track.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(sameEmail.json().get("identified").asInt()).isEqualTo(1);
        assertThat(steal.status()).isEqualTo(200);
        assertThat(steal.json().get("identified").asInt()).isZero();
        assertThat(steal.json().at("/results/0/messageId").asText()).isEqualTo("steal");
        assertThat(steal.json().at("/results/0/reason").asText()).contains("server-side key");
        assertThat(optIn.json().get("identified").asInt()).isZero();
        assertThat(optIn.json().get("results").findValuesAsText("messageId"))
                .containsExactly("opt-in", "fresh");

        JsonNode victim = api.get("/v1/customers/victim").json();
        assertThat(victim.get("email").asText()).isEqualTo("victim@example.com");
        assertThat(victim.at("/emailConsent/status").asText()).isEqualTo("denied");
        assertThat(victim.get("locale").asText()).isEqualTo("ar-SA");
        assertThat(api.get("/v1/customers/fresh").status()).isEqualTo(404);

        // The same identify with the server-side key does change the email.
        Api.Reply server =
                segment(
                        serverKey,
                        "identify",
                        "{\"userId\": \"victim\", \"traits\": {\"email\": \"new@example.com\"}}");
        assertThat(server.json().get("identified").asInt()).isEqualTo(1);
        assertThat(api.get("/v1/customers/victim").json().get("email").asText())
                .isEqualTo("new@example.com");
    }

    @Test
    void aClientKeyReachesNothingButSegment() {
        Api client = api.as(clientKey);
        assertThat(client.put("/v1/customers/c-9", "{\"email\": \"c9@example.com\"}").status())
                .isEqualTo(403);
        assertThat(
                        client.post(
                                        "/v1/events",
                                        "{\"events\": [{\"messageId\": \"c\", \"type\": \"search\","
                                                + " \"customerId\": \"c-9\", \"query\": \"dates\"}]}")
                                .status())
                .isEqualTo(403);
        assertThat(client.get("/v1/overview").status()).isEqualTo(403);
        assertThat(api.get("/v1/customers/c-9").status()).isEqualTo(404);
    }

    @Test
    void segmentFieldsAreNotCoerced() {
        Api.Reply reply =
                segment(
                        serverKey,
                        "batch",
                        "{\"batch\": ["
                                + order("q-text", "\"abc\"")
                                + ","
                                + order("q-fraction", "2.9")
                                + ","
                                + order("q-fine", "2")
                                + ","
                                + "{\"type\": \"track\", \"userId\": \"co-1\", \"messageId\":"
                                + " \"arabic\", \"event\": \"شراء\"}]}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(reply.json().get("results").findValuesAsText("messageId"))
                .containsExactlyInAnyOrder("q-text", "q-fraction", "arabic");
        for (JsonNode result : reply.json().get("results")) {
            String expectedField =
                    result.get("messageId").asText().equals("arabic")
                            ? "type"
                            : "lines[0].quantity";
            assertThat(result.get("reason").asText()).contains(expectedField);
        }
        JsonNode events = api.get("/v1/customers/co-1/events").json().get("items");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).at("/lines/0/quantity").asInt()).isEqualTo(2);
    }

    private static String order(String messageId, String quantity) {
        return "{\"type\": \"track\", \"userId\": \"co-1\", \"messageId\": \""
                + messageId
                + "\", \"event\": \"Order Completed\", \"properties\": {\"order_id\": \""
                + messageId
                + "\", \"products\": [{\"product_id\": \"p1\", \"price\": 5, \"quantity\": "
                + quantity
                + "}]}}";
    }

    private static Api.Reply segment(String key, String path, String body) {
        String basic =
                Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        return api.sendWithAuthorization("POST", "/segment/v1/" + path, body, "Basic " + basic);
    }
}
