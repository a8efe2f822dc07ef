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
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Offer variants end to end in {@code serve}: a campaign and a journey with two subjects, created
 * over the API, sent by the worker's Quartz job and campaign sender to a real SMTP relay, each send
 * recording its variant, and the lift report giving per-variant figures.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OfferVariantsIT {
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

    private static final String VARIANTS =
            "\"variants\": [{\"name\": \"plain\", \"subject\": \"Your restock\"},"
                    + " {\"name\": \"eid\", \"subject\": \"Eid restock, {{customer.id}}\","
                    + " \"couponCode\": \"EID15\", \"heroRow\": \"time-to-restock\"}],"
                    + " \"allocation\": {\"goal\": \"order\", \"window\": \"PT48H\","
                    + " \"segments\": \"new_returning\"}";

    @Test
    void aCampaignWithTwoSubjectsSendsBothRecordsEachSendsVariantAndReportsThem() throws Exception {
        String key = shop("Variants", 24);
        // A journey with the same variants, entered by three carts while the campaign runs.
        String journey =
                call(
                                "POST",
                                "/v1/journeys",
                                key,
                                "{\"name\": \"Carts\", \"kind\": \"abandoned_cart\","
                                        + " \"delay\": \"PT1M\", \"holdoutShare\": 0,"
                                        + " \"offer\": {\"subject\": \"Still thinking?\","
                                        + " \"html\": \"<p>Cart</p>\", \"text\": \"Cart\", "
                                        + VARIANTS
                                        + "}, \"limits\": {\"quietHours\": \"off\"}}",
                                201)
                        .get("id")
                        .asText();
        for (int i = 1; i <= 3; i++) {
            event(key, "product_added_to_cart", "c-" + i, Instant.now().minusSeconds(50), null);
        }

        Instant now = Instant.now();
        LocalTime local =
                LocalTime.ofInstant(now.minusSeconds(60), ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.MINUTES);
        JsonNode created =
                call(
                        "POST",
                        "/v1/campaigns",
                        key,
                        "{\"name\": \"Restock\", \"holdoutShare\": 0.25, \"offer\":"
                                + " {\"subject\": \"Restock\", \"html\": \"<p>Restock</p>\","
                                + " \"text\": \"Restock\", "
                                + VARIANTS
                                + "}, \"schedule\": {\"type\": \"at\", \"date\": \""
                                + LocalDate.ofInstant(now.minusSeconds(60), ZoneOffset.UTC)
                                + "\", \"localTime\": \""
                                + local
                                + "\", \"timeZone\": \"UTC\", \"validFor\": \"PT1H\","
                                + " \"latePolicy\": \"send_now\"}, \"limits\":"
                                + " {\"quietHours\": \"off\", \"frequencyCap\": {\"count\":"
                                + " 5, \"days\": 1}}}",
                        201);
        String campaign = created.get("id").asText();
        // The stored definition spells the allocation's defaults out.
        assertThat(created.at("/offer/variants/1/heroRow").asText()).isEqualTo("time-to-restock");
        assertThat(created.at("/offer/allocation/minShare").asDouble()).isEqualTo(0.05);
        call("POST", "/v1/campaigns/" + campaign + "/launch", key, null, 200);

        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                sends(campaign).stream()
                                        .filter(send -> send.state().equals("SENT"))
                                        .count(),
                        sent -> sent == 24 - heldOut(campaign).size());
        List<Send> sends = sends(campaign);
        Map<String, Long> byVariant = new TreeMap<>();
        for (Send send : sends) {
            if (send.state().equals("HELD_OUT")) {
                // The holdout was decided at launch: no variant, no email.
                assertThat(send.variant()).isNull();
                assertThat(mailTo(send.customerId().replace("-", "") + "@variants.example"))
                        .isEmpty();
                continue;
            }
            assertThat(send.variant()).isIn("plain", "eid");
            assertThat(send.segment()).isEqualTo("new");
            byVariant.merge(send.variant(), 1L, Long::sum);
            List<String> subjects = new ArrayList<>();
            for (MimeMessage message :
                    mailTo(send.customerId().replace("-", "") + "@variants.example")) {
                subjects.add(message.getSubject());
            }
            // One campaign email, whose subject is its recorded variant's.
            assertThat(subjects)
                    .contains(
                            send.variant().equals("plain")
                                    ? "Your restock"
                                    : "Eid restock, " + send.customerId());
        }
        // No figures yet: each of the 18 or so sends had an even chance of either subject.
        assertThat(byVariant).containsOnlyKeys("plain", "eid");

        JsonNode report = call("GET", "/v1/campaigns/" + campaign + "/lift", key, null, 200);
        JsonNode variants = report.at("/variants/variants");
        assertThat(variants).hasSize(2);
        for (JsonNode variant : variants) {
            String name = variant.get("name").asText();
            assertThat(variant.get("sends").asLong()).isEqualTo(byVariant.get(name));
            assertThat(variant.get("clickers").asLong()).isZero();
            assertThat(variant.get("notEnoughData").asText()).contains("at least");
        }
        JsonNode day = report.at("/variants/allocation/0");
        assertThat(day.get("date").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(day.at("/sends/plain").asLong() + day.at("/sends/eid").asLong())
                .isEqualTo(24 - heldOut(campaign).size());

        // The journey's three emails went out with a variant each, recorded the same way.
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () ->
                                sends(journey).stream()
                                        .filter(send -> send.state().equals("SENT"))
                                        .count(),
                        sent -> sent == 3);
        assertThat(sends(journey)).allMatch(send -> send.variant() != null);
    }

    @Test
    void badVariantsAreProblemsAndChangeNothing() throws Exception {
        String key = shop("Bad", 0);
        HttpResponse<String> bad =
                raw(
                        "POST",
                        "/v1/campaigns",
                        key,
                        "{\"name\": \"Sale\", \"offer\": {\"subject\": \"Sale\","
                                + " \"html\": \"<p>Sale</p>\", \"text\": \"Sale\","
                                + " \"variants\": [{\"name\": \"a\"}, {\"name\": \"a\","
                                + " \"heroRow\": \"hero\"}], \"allocation\": {\"goal\":"
                                + " \"open\"}}, \"schedule\": {\"type\": \"at\", \"date\":"
                                + " \"2027-03-01\", \"localTime\": \"10:00\"}}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        JSON.readTree(bad.body()).get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields)
                .containsExactlyInAnyOrder(
                        "offer.variants[1].name",
                        "offer.variants[1].heroRow",
                        "offer.allocation.goal");
        assertThat(call("GET", "/v1/campaigns", key, null, 200).get("items")).isEmpty();

        HttpResponse<String> badJourney =
                raw(
                        "POST",
                        "/v1/journeys",
                        key,
                        "{\"name\": \"Carts\", \"kind\": \"abandoned_cart\", \"delay\":"
                                + " \"PT1H\", \"offer\": {\"subject\": \"Hi\", \"html\":"
                                + " \"<p>Hi</p>\", \"text\": \"Hi\", \"variants\":"
                                + " [{\"name\": \"only\"}]}}");
        assertThat(badJourney.statusCode()).isEqualTo(422);
        assertThat(badJourney.body()).contains("offer.variants");
        assertThat(call("GET", "/v1/journeys", key, null, 200).get("items")).isEmpty();
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

    private record Send(String customerId, String state, String variant, String segment) {}

    private static Jdbi jdbi() {
        return Jdbi.create(TestDatabase.dataSource(DATABASE));
    }

    private static List<Send> sends(String journey) {
        return jdbi().withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT customer_id, state, variant,"
                                                        + " variant_segment FROM campaign_sends"
                                                        + " WHERE campaign_id = ?")
                                        .bind(0, journey)
                                        .map(
                                                (rs, ctx) ->
                                                        new Send(
                                                                rs.getString(1),
                                                                rs.getString(2),
                                                                rs.getString(3),
                                                                rs.getString(4)))
                                        .list());
    }

    private static List<String> heldOut(String campaign) {
        return sends(campaign).stream()
                .filter(send -> send.state().equals("HELD_OUT"))
                .map(Send::customerId)
                .toList();
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
