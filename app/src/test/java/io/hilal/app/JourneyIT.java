package io.hilal.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Triggered journeys end to end in {@code serve}: created over the API, fed by ingested events,
 * planned by the worker's Quartz job and sent by its campaign sender to a real SMTP relay.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class JourneyIT {
    private static final String OPERATOR_KEY = "test-operator-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String DATABASE = TestDatabase.newSchema();
    private static final GreenMail RELAY = ServeApps.relay();

    static final DropwizardAppExtension<HilalConfiguration> APP =
            ServeApps.serveWithRelay(DATABASE, OPERATOR_KEY, RELAY);

    @AfterAll
    static void stopRelay() {
        RELAY.stop();
    }

    @Test
    void anAbandonedCartGetsOneEmailAfterTheDelayAndAnOrderBeforeItCancelsIt() throws Exception {
        String key = shop("Carts", 3);
        String journey = createJourney(key, "abandoned_cart", "PT1M", 0, "\"quietHours\": \"off\"");
        Instant now = Instant.now();
        // c-1 left a cart 45 seconds ago, twice: one email, a minute after the first cart add.
        event(key, "product_added_to_cart", "c-1", now.minusSeconds(45), null);
        event(key, "product_added_to_cart", "c-1", now.minusSeconds(40), null);
        // c-2 left one now and orders before the minute is up: it leaves the journey.
        event(key, "product_added_to_cart", "c-2", now, null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ledger(journey, "c-2").map(Send::state).orElse(""), "PLANNED"::equals);
        event(key, "order_completed", "c-2", Instant.now(), "p1");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ledger(journey, "c-2").orElseThrow().state(), "EXPIRED"::equals);
        assertThat(ledger(journey, "c-2").orElseThrow().reason()).contains("customer ordered");

        await().atMost(Duration.ofSeconds(90)).until(() -> mailTo("c1@carts.example").size() == 1);
        Send sent = ledger(journey, "c-1").orElseThrow();
        assertThat(sent.state()).isEqualTo("SENT");
        assertThat(Duration.between(now.minusSeconds(45).plusSeconds(60), sent.sendAt()).abs())
                .isLessThan(Duration.ofMillis(2));
        assertThat(mailTo("c1@carts.example").get(0).getReceivedDate().toInstant())
                .isAfterOrEqualTo(sent.sendAt().truncatedTo(ChronoUnit.SECONDS));
        assertThat(mailTo("c1@carts.example").get(0).getSubject()).isEqualTo("Still thinking?");
        // c-3 did nothing and gets nothing; c-2's cancelled email never went out.
        assertThat(mailTo("c2@carts.example")).isEmpty();
        assertThat(ledger(journey, "c-3")).isEmpty();
    }

    @Test
    void heldOutCustomersEnterTheJourneyButGetNoEmail() throws Exception {
        String key = shop("Holdout", 16);
        String journey =
                createJourney(key, "browse_abandonment", "PT1M", 0.5, "\"quietHours\": \"off\"");
        Instant viewed = Instant.now().minusSeconds(90);
        for (int i = 1; i <= 16; i++) {
            event(key, "product_viewed", "c-" + i, viewed, null);
        }
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () ->
                                sends(journey).stream()
                                        .filter(
                                                send ->
                                                        send.state().equals("SENT")
                                                                || send.state().equals("HELD_OUT"))
                                        .count(),
                        settled -> settled == 16);
        List<Send> sends = sends(journey);
        List<String> heldOut =
                sends.stream()
                        .filter(send -> send.state().equals("HELD_OUT"))
                        .map(Send::customerId)
                        .toList();
        List<String> sent =
                sends.stream()
                        .filter(send -> send.state().equals("SENT"))
                        .map(Send::customerId)
                        .toList();
        assertThat(heldOut.size() + sent.size()).isEqualTo(16);
        // With a share of 0.5 over 16 customers, both arms are non-empty but for 2 in 65,536.
        assertThat(heldOut).isNotEmpty();
        assertThat(sent).isNotEmpty();
        for (String customer : heldOut) {
            assertThat(mailTo(customer.replace("-", "") + "@holdout.example")).isEmpty();
        }
        for (String customer : sent) {
            assertThat(mailTo(customer.replace("-", "") + "@holdout.example")).hasSize(1);
        }
        // Each entry records its arm, as the lift report reads it.
        assertThat(entriesHeldOut(journey)).containsExactlyInAnyOrderElementsOf(heldOut);

        // The rolling lift pools everyone who entered, in the arm the ledger gave them; 16
        // customers are too few for an estimate, and the report says so.
        JsonNode lift = call("GET", "/v1/journeys/" + journey + "/lift", key, null, 200);
        assertThat(lift.at("/assignment/treatedCustomers").asInt()).isEqualTo(sent.size());
        assertThat(lift.at("/assignment/holdoutCustomers").asInt()).isEqualTo(heldOut.size());
        assertThat(lift.get("status").asText()).isEqualTo("NOT_ENOUGH_DATA");
    }

    @Test
    void theFrequencyCapCountsCampaignEmailsTooAndPausingHoldsSends() throws Exception {
        String key = shop("Caps", 2);
        Instant now = Instant.now();
        LocalTime local =
                LocalTime.ofInstant(now.minusSeconds(60), ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.MINUTES);
        JsonNode campaign =
                call(
                        "POST",
                        "/v1/campaigns",
                        key,
                        "{\"name\": \"Sale\", \"holdoutShare\": 0, \"offer\": {\"subject\":"
                                + " \"Sale\", \"html\": \"<p>Sale</p>\", \"text\": \"Sale\"},"
                                + " \"schedule\": {\"type\": \"at\", \"date\": \""
                                + LocalDate.ofInstant(now.minusSeconds(60), ZoneOffset.UTC)
                                + "\", \"localTime\": \""
                                + local
                                + "\", \"timeZone\": \"UTC\", \"validFor\": \"PT1H\","
                                + " \"latePolicy\": \"send_now\"}, \"limits\": {\"quietHours\":"
                                + " \"off\"}}",
                        201);
        call("POST", "/v1/campaigns/" + campaign.get("id").asText() + "/launch", key, null, 200);
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                mailTo("c1@caps.example").size() == 1
                                        && mailTo("c2@caps.example").size() == 1);

        // One email per customer per week, campaign or journey: c-1's cart email waits.
        String journey =
                createJourney(
                        key,
                        "abandoned_cart",
                        "PT1M",
                        0,
                        "\"quietHours\": \"off\", \"frequencyCap\": {\"count\": 1, \"days\": 7}");
        event(key, "product_added_to_cart", "c-1", Instant.now().minusSeconds(120), null);
        // The cap frees in a week, after the email's day of validity: it expires, not sent.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ledger(journey, "c-1").map(Send::state).orElse(""), "EXPIRED"::equals);
        assertThat(ledger(journey, "c-1").orElseThrow().reason())
                .isEqualTo("frequency cap until after the offer ended");
        assertThat(mailTo("c1@caps.example")).hasSize(1);

        // Paused, the journey takes no one in; resumed, it does again.
        JsonNode paused = call("POST", "/v1/journeys/" + journey + "/pause", key, null, 200);
        assertThat(paused.get("status").asText()).isEqualTo("paused");
        event(key, "product_added_to_cart", "c-2", Instant.now().minusSeconds(120), null);
        call("POST", "/v1/journeys/" + journey + "/pause", key, null, 409);
        JsonNode resumed = call("POST", "/v1/journeys/" + journey + "/resume", key, null, 200);
        assertThat(resumed.get("status").asText()).isEqualTo("active");
        event(key, "product_added_to_cart", "c-2", Instant.now(), null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ledger(journey, "c-2").map(Send::state).orElse(""), "PLANNED"::equals);
        assertThat(ledger(journey, "c-2").orElseThrow().sendAt()).isAfter(Instant.now());
    }

    @Test
    void badJourneysAreProblemsAndAnotherTenantsJourneyIsNotFound() throws Exception {
        String key = shop("Api", 0);
        String otherKey = shop("Other", 0);
        HttpResponse<String> bad =
                raw(
                        "POST",
                        "/v1/journeys",
                        key,
                        "{\"name\": \"\", \"kind\": \"abandoned\", \"delay\": \"4 hours\","
                                + " \"holdoutShare\": 0.9, \"offer\": {\"subject\": \"Hi\"}}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        JSON.readTree(bad.body()).get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields)
                .contains("name", "kind", "delay", "holdoutShare", "offer.html", "offer.text");
        assertThat(call("GET", "/v1/journeys", key, null, 200).get("items")).isEmpty();

        String journey = createJourney(key, "win_back", "P60D", 0.1, "");
        // No one has entered yet: no lift report, said as a problem.
        HttpResponse<String> noLift = raw("GET", "/v1/journeys/" + journey + "/lift", key, null);
        assertThat(noLift.statusCode()).isEqualTo(404);
        assertThat(noLift.body()).contains("no entries yet");
        JsonNode read = call("GET", "/v1/journeys/" + journey, key, null, 200);
        assertThat(read.get("kind").asText()).isEqualTo("win_back");
        assertThat(read.get("delay").asText()).isEqualTo("PT1440H");
        assertThat(read.get("validFor").asText()).isEqualTo("P1D");
        assertThat(call("GET", "/v1/journeys", key, null, 200).get("items")).hasSize(1);
        // The journey's sending row is not a campaign the campaigns list shows.
        assertThat(call("GET", "/v1/campaigns", key, null, 200).get("items")).isEmpty();

        assertThat(raw("GET", "/v1/journeys/" + journey, otherKey, null).statusCode())
                .isEqualTo(404);
        assertThat(raw("GET", "/v1/journeys/" + journey + "/lift", otherKey, null).statusCode())
                .isEqualTo(404);
        HttpResponse<String> pause =
                raw("POST", "/v1/journeys/" + journey + "/pause", otherKey, null);
        assertThat(pause.statusCode()).isEqualTo(404);
        assertThat(pause.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");
        assertThat(call("GET", "/v1/journeys", otherKey, null, 200).get("items")).isEmpty();
        assertThat(call("GET", "/v1/journeys/" + journey, key, null, 200).get("status").asText())
                .isEqualTo("active");
    }

    /** A tenant with a sender identity and {@code customers} consenting customers; its key. */
    private static String shop(String name, int customers) throws Exception {
        String key =
                call(
                                "POST",
                                "/v1/operator/tenants",
                                OPERATOR_KEY,
                                "{\"name\": \"" + name + "\"}",
                                201)
                        .get("apiKey")
                        .asText();
        call(
                "PUT",
                "/v1/sender-identity",
                key,
                "{\"fromAddress\": \"offers@shop.example\", \"fromName\": \"Shop\","
                        + " \"postalAddress\": \"1 Example St\"}",
                200);
        String domain = name.toLowerCase() + ".example";
        for (int i = 1; i <= customers; i++) {
            call(
                    "PUT",
                    "/v1/customers/c-" + i,
                    key,
                    "{\"email\": \"c"
                            + i
                            + "@"
                            + domain
                            + "\", \"timeZone\": \"UTC\", \"emailConsent\": {\"status\":"
                            + " \"granted\", \"source\": \"test\"}}",
                    -1);
        }
        return key;
    }

    private static String createJourney(
            String key, String kind, String delay, double holdout, String limits) throws Exception {
        return call(
                        "POST",
                        "/v1/journeys",
                        key,
                        "{\"name\": \"J "
                                + kind
                                + "\", \"kind\": \""
                                + kind
                                + "\", \"delay\": \""
                                + delay
                                + "\", \"holdoutShare\": "
                                + holdout
                                + ", \"offer\": {\"subject\": \"Still thinking?\", \"html\":"
                                + " \"<p>Your cart</p>\", \"text\": \"Your cart\"}, \"limits\": {"
                                + limits
                                + "}}",
                        201)
                .get("id")
                .asText();
    }

    private static void event(String key, String type, String customer, Instant at, String product)
            throws Exception {
        String lines =
                product == null
                        ? ""
                        : ", \"orderId\": \"o-"
                                + UUID.randomUUID()
                                + "\", \"lines\": [{\"productId\": \""
                                + product
                                + "\", \"quantity\": 1, \"unitPrice\": 5, \"currency\": \"USD\"}]";
        JsonNode result =
                call(
                        "POST",
                        "/v1/events",
                        key,
                        "{\"events\": [{\"messageId\": \""
                                + UUID.randomUUID()
                                + "\", \"type\": \""
                                + type
                                + "\", \"customerId\": \""
                                + customer
                                + "\", \"productId\": \"p1\", \"timestamp\": \""
                                + at
                                + "\""
                                + lines
                                + "}]}",
                        200);
        assertThat(result.get("accepted").asInt()).as(result.toString()).isEqualTo(1);
    }

    private record Send(String customerId, String state, String reason, Instant sendAt) {}

    private static Jdbi jdbi() {
        return Jdbi.create(TestDatabase.dataSource(DATABASE));
    }

    private static List<Send> sends(String journey) {
        return jdbi().withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT customer_id, state, reason, send_at FROM"
                                                        + " campaign_sends WHERE campaign_id = ?")
                                        .bind(0, journey)
                                        .map(
                                                (rs, ctx) ->
                                                        new Send(
                                                                rs.getString(1),
                                                                rs.getString(2),
                                                                rs.getString(3),
                                                                rs.getTimestamp(4).toInstant()))
                                        .list());
    }

    private static Optional<Send> ledger(String journey, String customer) {
        return sends(journey).stream().filter(s -> s.customerId().equals(customer)).findFirst();
    }

    private static List<String> entriesHeldOut(String journey) {
        return jdbi().withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT customer_id FROM journey_entries WHERE"
                                                        + " journey_id = ? AND held_out")
                                        .bind(0, journey)
                                        .mapTo(String.class)
                                        .list());
    }

    private static List<MimeMessage> mailTo(String address) throws MessagingException {
        List<MimeMessage> to = new ArrayList<>();
        for (MimeMessage message : RELAY.getReceivedMessages()) {
            if (address.equals(message.getRecipients(Message.RecipientType.TO)[0].toString())) {
                to.add(message);
            }
        }
        return to;
    }

    private static HttpResponse<String> raw(String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                        .header("Authorization", "Bearer " + token)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's JSON; {@code status} -1 accepts any 2xx. */
    private static JsonNode call(String method, String path, String token, String body, int status)
            throws Exception {
        HttpResponse<String> response = raw(method, path, token, body);
        if (status < 0) {
            assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        } else {
            assertThat(response.statusCode())
                    .as(method + " " + path + ": " + response.body())
                    .isEqualTo(status);
        }
        return JSON.readTree(response.body());
    }
}
