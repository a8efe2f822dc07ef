package io.hilal.service.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.testing.TestDatabase;
import io.hilal.sdk.HilalClient;
import io.hilal.sdk.HilalException;
import io.hilal.sdk.RequestOptions;
import io.hilal.sdk.model.CampaignFunnel;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Following a campaign over HTTP: the bounce and complaint webhook ({@code POST /v1/mail-events})
 * and the funnel ({@code GET /v1/campaigns/{id}/funnel}), each only ever within the caller's
 * tenant. The ledger rows are written as the worker writes them (one per customer and run), two
 * days ago; clicks, "Not for me" and unsubscribes go through the real signed links.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CampaignFollowIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    private static final MailLinks LINKS =
            new MailLinks(
                    TestApps.LINK_SECRET.getBytes(StandardCharsets.UTF_8),
                    "http://localhost",
                    "unsubscribe@hilal.invalid");
    private static final Instant SENT =
            Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);

    static Jdbi database;
    static Api api;
    static String apiKey;
    static Api otherTenant;
    static String tenantId;
    static String campaignId;
    static String funnelCampaignId;
    static String otherCampaignId;

    @BeforeAll
    static void aCampaignSentTwoDaysAgo() {
        database =
                Jdbi.create(TestDatabase.dataSource(APP.getConfiguration().getDatabase().getUrl()));
        String[] tenant = Api.newTenant(APP.getLocalPort(), "Follow");
        tenantId = tenant[0];
        api = new Api(APP.getLocalPort(), tenant[1]);
        apiKey = tenant[1];
        String[] other = Api.newTenant(APP.getLocalPort(), "Other");
        otherTenant = new Api(APP.getLocalPort(), other[1]);
        for (int i = 1; i <= 8; i++) {
            customer(api, "c-" + i);
        }
        campaignId = campaign(api);
        funnelCampaignId = campaign(api);
        otherCampaignId = campaign(otherTenant);
        // c-1..c-3 sent, c-4 failed, c-5 suppressed, c-6 still deferred, c-7 and c-8 held out.
        String[] states = {
            "SENT", "SENT", "SENT", "FAILED", "SUPPRESSED", "DEFERRED", "HELD_OUT", "HELD_OUT"
        };
        for (int i = 1; i <= states.length; i++) {
            ledgerRow(tenantId, campaignId, "c-" + i, states[i - 1]);
            ledgerRow(tenantId, funnelCampaignId, "c-" + i, states[i - 1]);
        }
        customer(otherTenant, "c-1");
        ledgerRow(other[0], otherCampaignId, "c-1", "SENT");
    }

    private static void customer(Api tenant, String customerId) {
        Api.Reply reply =
                tenant.put(
                        "/v1/customers/" + customerId,
                        "{\"email\": \""
                                + customerId
                                + "@example.invalid\", \"emailConsent\": {\"status\": \"granted\","
                                + " \"source\": \"test\"}}");
        assertThat(reply.status()).as(reply.body()).isBetween(200, 201);
    }

    private static String campaign(Api tenant) {
        Api.Reply created =
                tenant.post(
                        "/v1/campaigns",
                        """
                        {"name": "Eid restock", "audience": {},
                         "offer": {"subject": "Hi", "html": "<p>Hi</p>", "text": "Hi"},
                         "schedule": {"type": "at", "date": "2026-12-01", "localTime": "10:00",
                                      "validFor": "P3D"}}
                        """);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    static String messageId(String customerId) {
        return messageId(campaignId, customerId);
    }

    static String messageId(String campaign, String customerId) {
        return "<" + customerId + "x." + campaign + "@mail.hilal.test>";
    }

    private static void ledgerRow(String tenant, String campaign, String customerId, String state) {
        database.useHandle(
                handle ->
                        handle.createUpdate(
                                        "INSERT INTO campaign_sends (tenant_id, campaign_id,"
                                                + " run_id, customer_id, state, message_id, send_at,"
                                                + " valid_until, attempts, updated_at, sent_at)"
                                                + " VALUES (:tenant, :campaign, 'run-1', :customer,"
                                                + " :state, :messageId, :at, :until, 1, :at,"
                                                + " CASE WHEN :state = 'SENT' THEN :at END)")
                                .bind("tenant", tenant)
                                .bind("campaign", campaign)
                                .bind("customer", customerId)
                                .bind("state", state)
                                .bind("messageId", messageId(campaign, customerId))
                                .bind("at", SENT)
                                .bind("until", SENT.plus(Duration.ofDays(3)))
                                .execute());
    }

    private static List<String> suppressions(Api tenant) {
        return tenant.get("/v1/suppressions").json().get("items").findValuesAsText("email");
    }

    @Nested
    class MailEventWebhook {
        @Test
        void aPermanentBounceNamedByMessageIdSuppressesTheAddressAndCountsInTheFunnelOnce() {
            String body =
                    """
                    {"notifications": [{"id": "ses-1", "type": "bounce", "bounceType": "permanent",
                      "email": "c-2@example.invalid", "messageId": "%s",
                      "occurredAt": "%s", "detail": "550 5.1.1 user unknown"}]}
                    """
                            .formatted(
                                    messageId("c-2").replace("<", "").replace(">", ""),
                                    SENT.plusSeconds(60));
            Api.Reply first = api.post("/v1/mail-events", body);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(first.json().get("recorded").asInt()).isEqualTo(1);
            Api.Reply again = api.post("/v1/mail-events", body);
            assertThat(again.json().get("duplicates").asInt()).isEqualTo(1);
            assertThat(suppressions(api)).contains("c-2@example.invalid");
            assertThat(
                            api.get("/v1/suppressions/c-2@example.invalid")
                                    .json()
                                    .get("reason")
                                    .asText())
                    .isEqualTo("bounce");
            List<String> recorded =
                    strings(
                            "SELECT CONCAT_WS(' ', campaign_id, customer_id, source) FROM"
                                    + " mail_events WHERE tenant_id = ? AND event_id = 'ses-1'",
                            tenantId);
            assertThat(recorded).containsExactly(campaignId + " c-2 webhook");
        }

        @Test
        void aComplaintNamedByCampaignAndAddressSuppressesAndATransientBounceOnlyRecords() {
            Api.Reply reply =
                    api.post(
                            "/v1/mail-events",
                            """
                            {"notifications": [
                              {"type": "complaint", "email": "c-3@example.invalid",
                               "campaignId": "%s"},
                              {"type": "bounce", "bounceType": "transient",
                               "email": "c-5@example.invalid", "messageId": "%s"}]}
                            """
                                    .formatted(campaignId, messageId("c-5")));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("suppressing").asInt()).isEqualTo(1);
            assertThat(suppressions(api))
                    .contains("c-3@example.invalid")
                    .doesNotContain("c-5@example.invalid");
        }

        @Test
        void badNotificationsAreAProblemAndRecordNothing() {
            long before = mailEvents(tenantId);
            for (String body :
                    List.of(
                            "{}",
                            "{\"notifications\": []}",
                            "{\"notifications\": [{\"type\": \"bounce\"}]}",
                            "{\"notifications\": [{\"type\": \"opened\", \"email\": \"c-8@example.invalid\"}]}",
                            "{\"notifications\": [{\"type\": \"complaint\", \"bounceType\":"
                                    + " \"permanent\", \"email\": \"c-8@example.invalid\"}]}",
                            // one good, one bad: neither is recorded
                            "{\"notifications\": [{\"type\": \"bounce\", \"email\":"
                                    + " \"c-8@example.invalid\"}, {\"type\": \"bounce\","
                                    + " \"email\": \"not an address\"}]}")) {
                Api.Reply reply = api.post("/v1/mail-events", body);
                assertThat(reply.status()).as(body).isEqualTo(422);
                assertThat(reply.contentType()).isEqualTo("application/problem+json");
                assertThat(reply.json().get("code").asText()).isEqualTo("validation_failed");
            }
            Api.Reply broken = api.post("/v1/mail-events", "{\"notifications\": [");
            assertThat(broken.status()).isEqualTo(400);
            assertThat(broken.contentType()).isEqualTo("application/problem+json");
            assertThat(mailEvents(tenantId)).isEqualTo(before);
            assertThat(suppressions(api)).doesNotContain("c-8@example.invalid");
        }

        @Test
        void takesAServerSideIngestKeyOnly() {
            String body =
                    "{\"notifications\": [{\"type\": \"bounce\", \"email\": \"c-8@example.invalid\"}]}";
            assertThat(api.as(null).post("/v1/mail-events", body).status()).isEqualTo(401);
            String readKey = key("read");
            String clientKey = key("client");
            assertThat(api.as(readKey).post("/v1/mail-events", body).status()).isEqualTo(403);
            assertThat(api.as(clientKey).post("/v1/mail-events", body).status()).isEqualTo(403);
            assertThat(suppressions(api)).doesNotContain("c-8@example.invalid");
        }

        @Test
        void anotherTenantsNotificationNeverTouchesThisTenant() {
            Api.Reply reply =
                    otherTenant.post(
                            "/v1/mail-events",
                            """
                            {"notifications": [{"type": "complaint", "email": "c-6@example.invalid",
                              "messageId": "%s", "campaignId": "%s"}]}
                            """
                                    .formatted(messageId("c-6"), campaignId));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(suppressions(api)).doesNotContain("c-6@example.invalid");
            // Recorded for the other tenant, tied to no send of this one.
            List<String> elsewhere =
                    strings(
                            "SELECT tenant_id FROM mail_events WHERE tenant_id <> ? AND"
                                    + " campaign_id = ?",
                            tenantId,
                            campaignId);
            assertThat(elsewhere).isEmpty();
        }
    }

    @Nested
    class Funnel {
        private MailLinks.Recipient recipient(String customerId) {
            return new MailLinks.Recipient(tenantId, funnelCampaignId, "run-1", customerId);
        }

        private void order(
                String customerId, String orderId, Instant at, int quantity, double price) {
            Api.Reply reply =
                    api.post(
                            "/v1/events",
                            """
                            {"events": [{"messageId": "%s", "type": "order_completed",
                              "customerId": "%s", "timestamp": "%s", "orderId": "%s",
                              "lines": [{"productId": "p-1", "quantity": %d, "unitPrice": %s,
                                         "currency": "SAR"}]}]}
                            """
                                    .formatted(
                                            "m-" + orderId,
                                            customerId,
                                            at,
                                            orderId,
                                            quantity,
                                            Double.toString(price)));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("accepted").asInt()).as(reply.body()).isEqualTo(1);
        }

        @Test
        void countsEveryStageAndOrdersWithinTheWindowTreatedAgainstHeldOut() {
            Api anonymous = api.as(null);
            String click =
                    LINKS.token(
                            MailLinks.Kind.CLICK,
                            recipient("c-1"),
                            "p-1",
                            "https://shop.example/1");
            assertThat(anonymous.get("/v1/c/" + click).status()).isEqualTo(302);
            assertThat(anonymous.get("/v1/c/" + click).status()).isEqualTo(302);
            String scanned =
                    LINKS.token(
                            MailLinks.Kind.CLICK,
                            recipient("c-2"),
                            "p-1",
                            "https://shop.example/1");
            assertThat(
                            anonymous
                                    .sendWithHeaders(
                                            "GET",
                                            "/v1/c/" + scanned,
                                            null,
                                            Map.of("User-Agent", "Microsoft Defender SafeLinks"))
                                    .status())
                    .isEqualTo(302);
            String notForMe = LINKS.token(MailLinks.Kind.NOT_FOR_ME, recipient("c-2"), "p-1", null);
            assertThat(anonymous.get("/v1/nfm/" + notForMe).status()).isEqualTo(200);
            assertThat(anonymous.post("/v1/nfm/" + notForMe, null).status()).isEqualTo(200);
            String unsubscribe =
                    LINKS.token(MailLinks.Kind.UNSUBSCRIBE, recipient("c-3"), null, null);
            assertThat(anonymous.post("/v1/unsubscribe/" + unsubscribe, null).status())
                    .isEqualTo(200);
            Api.Reply feedback =
                    api.post(
                            "/v1/mail-events",
                            """
                            {"notifications": [
                              {"type": "bounce", "email": "c-2@example.invalid",
                               "messageId": "%s"},
                              {"type": "bounce", "email": "c-4@example.invalid",
                               "messageId": "%s"},
                              {"type": "complaint", "email": "c-1@example.invalid",
                               "campaignId": "%s"}]}
                            """
                                    .formatted(
                                            messageId(funnelCampaignId, "c-2"),
                                            messageId(funnelCampaignId, "c-4"),
                                            funnelCampaignId));
            assertThat(feedback.status()).as(feedback.body()).isEqualTo(200);
            order("c-1", "o-1", SENT.plus(Duration.ofHours(20)), 2, 10.0);
            order("c-2", "o-2", SENT.minus(Duration.ofDays(1)), 1, 99.0); // before the email
            order("c-7", "o-3", SENT.plus(Duration.ofHours(1)), 1, 5.5);
            order("c-3", "o-4", SENT.plus(Duration.ofHours(36)), 1, 7.0);

            Api.Reply reply = api.get("/v1/campaigns/" + funnelCampaignId + "/funnel?window=7");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            JsonNode funnel = reply.json();
            assertThat(funnel.get("campaignId").asText()).isEqualTo(funnelCampaignId);
            assertThat(funnel.get("windowDays").asInt()).isEqualTo(7);
            assertThat(funnel.get("planned").asLong()).isEqualTo(6);
            assertThat(funnel.get("heldOut").asLong()).isEqualTo(2);
            assertThat(funnel.get("pending").asLong()).isEqualTo(1);
            assertThat(funnel.get("sent").asLong()).isEqualTo(3);
            assertThat(funnel.get("failed").asLong()).isEqualTo(1);
            assertThat(funnel.get("bounced").asLong()).isEqualTo(2);
            assertThat(funnel.get("failedOrBounced").asLong()).as("c-4 once").isEqualTo(2);
            assertThat(funnel.get("complained").asLong()).isEqualTo(1);
            assertThat(funnel.get("suppressed").asLong()).isEqualTo(1);
            assertThat(funnel.get("clicked").asLong()).as("c-1; not the scanner").isEqualTo(1);
            assertThat(funnel.get("notForMe").asLong()).isEqualTo(1);
            assertThat(funnel.get("unsubscribed").asLong()).isEqualTo(1);
            JsonNode treated = funnel.get("treated");
            assertThat(treated.get("customers").asLong()).isEqualTo(6);
            assertThat(treated.get("ordered").asLong()).isEqualTo(2);
            assertThat(treated.get("orders").asLong()).isEqualTo(2);
            assertThat(treated.get("revenue").decimalValue()).isEqualByComparingTo("27.00");
            JsonNode heldOut = funnel.get("heldOutArm");
            assertThat(heldOut.get("customers").asLong()).isEqualTo(2);
            assertThat(heldOut.get("ordered").asLong()).isEqualTo(1);
            assertThat(heldOut.get("revenue").decimalValue()).isEqualByComparingTo("5.50");
            assertThat(heldOut.get("orderedShare").asDouble()).isEqualTo(0.5);
            assertThat(funnel.get("currencies").toString()).isEqualTo("[\"SAR\"]");

            // c-3 ordered 36 hours after the email: inside a 7-day window, outside a 1-day one.
            JsonNode oneDay =
                    api.get("/v1/campaigns/" + funnelCampaignId + "/funnel?window=1").json();
            assertThat(oneDay.at("/treated/ordered").asLong()).isEqualTo(1);
            assertThat(oneDay.at("/treated/revenue").decimalValue()).isEqualByComparingTo("20");
        }

        @Test
        void anotherTenantsCampaignOrAnUnknownIdIsNotFound() {
            for (Api.Reply reply :
                    List.of(
                            api.get("/v1/campaigns/" + otherCampaignId + "/funnel"),
                            otherTenant.get("/v1/campaigns/" + funnelCampaignId + "/funnel"),
                            api.get("/v1/campaigns/cmp_doesnotexist/funnel"))) {
                assertThat(reply.status()).as(reply.body()).isEqualTo(404);
                assertThat(reply.contentType()).isEqualTo("application/problem+json");
                assertThat(reply.body()).doesNotContain("c-1@example.invalid");
            }
        }

        @Test
        void aWindowOutOfRangeIsAProblem() {
            Api.Reply reply = api.get("/v1/campaigns/" + funnelCampaignId + "/funnel?window=0");
            assertThat(reply.status()).isBetween(400, 422);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
        }

        @Test
        void needsTheReadScope() {
            String ingestOnly = key("ingest");
            assertThat(
                            api.as(ingestOnly)
                                    .get("/v1/campaigns/" + funnelCampaignId + "/funnel")
                                    .status())
                    .isEqualTo(403);
        }
    }

    /** {@code campaigns().funnel(id)} of the Java SDK against this service. */
    @Nested
    class SdkFunnel {
        @Test
        void readsTheFunnelAsTheApiAnswersItAndAnotherTenantsCampaignIsNotFound() {
            try (HilalClient client =
                    HilalClient.builder(apiKey)
                            .endpoint(URI.create("http://127.0.0.1:" + APP.getLocalPort()))
                            .build()) {
                CampaignFunnel funnel = client.campaigns().funnel(funnelCampaignId);
                JsonNode answer = api.get("/v1/campaigns/" + funnelCampaignId + "/funnel").json();
                assertThat(funnel.campaignId()).isEqualTo(funnelCampaignId);
                assertThat(funnel.windowDays()).isEqualTo(answer.get("windowDays").asInt());
                assertThat(funnel.planned()).isEqualTo(6);
                assertThat(funnel.heldOut()).isEqualTo(2);
                assertThat(funnel.sent()).isEqualTo(3);
                assertThat(funnel.failed()).isEqualTo(1);
                assertThat(funnel.suppressed()).isEqualTo(1);
                assertThat(funnel.pending()).isEqualTo(1);
                assertThat(funnel.clicked()).isEqualTo(answer.get("clicked").asLong());
                assertThat(funnel.bounced()).isEqualTo(answer.get("bounced").asLong());
                assertThat(funnel.notForMe()).isEqualTo(answer.get("notForMe").asLong());
                assertThat(funnel.treated().customers()).isEqualTo(6);
                assertThat(funnel.heldOutArm().customers()).isEqualTo(2);
                assertThat(funnel.treated().revenue())
                        .isEqualByComparingTo(answer.at("/treated/revenue").decimalValue());

                CampaignFunnel week =
                        client.campaigns().funnel(funnelCampaignId, 7, RequestOptions.DEFAULT);
                assertThat(week.windowDays()).isEqualTo(7);

                assertThatThrownBy(() -> client.campaigns().funnel(otherCampaignId))
                        .isInstanceOf(HilalException.NotFoundException.class);
            }
        }
    }

    /** The campaign's dashboard page shows the same funnel. */
    @Nested
    class DashboardFunnel {
        private final HttpClient browser =
                HttpClient.newBuilder()
                        .cookieHandler(new CookieManager())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        private final String base = "http://127.0.0.1:" + APP.getLocalPort();

        private HttpResponse<String> get(String path) throws Exception {
            return browser.send(
                    HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private void signIn() throws Exception {
            Matcher csrf =
                    Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"")
                            .matcher(get("/dashboard/sign-in").body());
            assertThat(csrf.find()).isTrue();
            String form =
                    "method=key&apiKey="
                            + URLEncoder.encode(apiKey, StandardCharsets.UTF_8)
                            + "&csrf="
                            + csrf.group(1);
            HttpResponse<String> signedIn =
                    browser.send(
                            HttpRequest.newBuilder(URI.create(base + "/dashboard/sign-in"))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .header("Origin", base)
                                    .POST(HttpRequest.BodyPublishers.ofString(form))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).isEqualTo(303);
        }

        @Test
        void showsTheStagesAndTheArmsOrders() throws Exception {
            // Each stage's note is a line of its own under its label ("hint", displayed as a
            // block), not run into it ("Planned2 more held out").
            signIn();
            HttpResponse<String> page = get("/dashboard/campaigns/" + funnelCampaignId);
            assertThat(page.statusCode()).isEqualTo(200);
            String html = page.body();
            assertThat(html)
                    .contains("<h2 id=\"funnel-heading\">Funnel</h2>")
                    .contains(
                            "data-stage=\"planned\"><span class=\"value\">6</span><span"
                                    + " class=\"label\">Planned</span><span class=\"hint\">2"
                                    + " more held out</span>")
                    .contains(
                            "data-stage=\"sent\"><span class=\"value\">3</span><span"
                                    + " class=\"label\">Sent</span><span class=\"hint\">1"
                                    + " still to go</span>")
                    .contains("data-stage=\"not-for-me\">")
                    .contains(
                            "<tr data-arm=\"treated\"><th scope=\"row\" class=\"text\">Emailed"
                                    + " (treated)</th><td>6</td>")
                    .contains(
                            "<tr data-arm=\"held-out\"><th scope=\"row\" class=\"text\">Held"
                                    + " out</th><td>2</td>");
            assertThat(get("/dashboard/campaigns/" + otherCampaignId).statusCode()).isEqualTo(404);
        }
    }

    static List<String> strings(String sql, Object... arguments) {
        return database.withHandle(
                handle -> {
                    var query = handle.createQuery(sql);
                    for (int i = 0; i < arguments.length; i++) {
                        query.bind(i, arguments[i]);
                    }
                    return query.mapTo(String.class).list();
                });
    }

    static long mailEvents(String tenant) {
        return database.withHandle(
                handle ->
                        handle.createQuery("SELECT COUNT(*) FROM mail_events WHERE tenant_id = ?")
                                .bind(0, tenant)
                                .mapTo(Long.class)
                                .one());
    }

    static String key(String scope) {
        Api.Reply created =
                api.post(
                        "/v1/api-keys",
                        "{\"name\": \"" + scope + "\", \"scopes\": [\"" + scope + "\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("apiKey").asText();
    }
}
