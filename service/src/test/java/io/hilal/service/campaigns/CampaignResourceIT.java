package io.hilal.service.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.mail.LinkScanners;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.mail.SmtpFactory;
import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.PopularityFallback;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The campaigns API over real HTTP and the real database. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CampaignResourceIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app(DATABASE);

    private static Api api;
    private static Api other;
    private static String tenantId;

    static final String CAMPAIGN =
            """
            {"name": "Eid restock",
             "audience": {"bought": {"category": "Dates"}},
             "holdoutShare": 0.2,
             "offer": {"subject": "Eid Mubarak, {{customer.id}}",
                       "html": "<p>Hello</p>{{{productBlock}}}{{#couponCode}}<p>Code {{couponCode}}</p>{{/couponCode}}",
                       "text": "Hello\\n{{productBlock}}",
                       "couponCode": "EID10",
                       "products": {"context": "email", "rows": 2, "perRow": 3}},
             "schedule": {"type": "anchor", "anchor": {"holiday": "eid_al_fitr", "hijriYear": 1432},
                          "offsetDays": 7, "localTime": "10:00", "validFor": "P3D"}}
            """;

    @BeforeAll
    static void tenants() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "Souq Dates");
        tenantId = tenant[0];
        api = new Api(APP.getLocalPort(), tenant[1]);
        other = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "Other shop")[1]);
        api.put(
                "/v1/products/p-dates",
                "{\"title\": \"Ajwa dates\", \"categories\": [\"Food\", \"Dates\"], \"price\": 9.5,"
                        + " \"currency\": \"USD\"}");
        api.put(
                "/v1/products/p-tea",
                "{\"title\": \"Mint tea\", \"categories\": [\"Food\", \"Tea\"], \"price\": 4,"
                        + " \"currency\": \"USD\"}");
        StringBuilder events = new StringBuilder("{\"events\": [");
        for (int i = 0; i < 40; i++) {
            api.put(
                    "/v1/customers/c-" + i,
                    "{\"email\": \"c"
                            + i
                            + "@example.invalid\", \"timeZone\": \"Asia/Riyadh\","
                            + " \"emailConsent\": {\"status\": \""
                            + (i == 39 ? "denied" : "granted")
                            + "\", \"source\": \"test\"}}");
            events.append(i == 0 ? "" : ",")
                    .append("{\"messageId\": \"o-")
                    .append(i)
                    .append("\", \"type\": \"order_completed\", \"customerId\": \"c-")
                    .append(i)
                    .append("\", \"timestamp\": \"2024-01-0")
                    .append(1 + i % 9)
                    .append("T10:00:00Z\", \"orderId\": \"o-")
                    .append(i)
                    .append("\", \"lines\": [{\"productId\": \"")
                    .append(i < 30 ? "p-dates" : "p-tea")
                    .append("\", \"quantity\": 1, \"unitPrice\": 9.5, \"currency\": \"USD\"}]}");
        }
        events.append("]}");
        assertThat(api.post("/v1/events", events.toString()).status()).isEqualTo(200);
    }

    private static String create() {
        Api.Reply created = api.post("/v1/campaigns", CAMPAIGN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    @Test
    void createsADraftWithEveryDefaultSpelledOut() {
        Api.Reply created = api.post("/v1/campaigns", CAMPAIGN);
        assertThat(created.status()).isEqualTo(201);
        JsonNode campaign = created.json();
        assertThat(campaign.get("id").asText()).startsWith("cmp_");
        assertThat(campaign.get("status").asText()).isEqualTo("draft");
        assertThat(campaign.get("holdoutShare").asDouble()).isEqualTo(0.2);
        assertThat(campaign.at("/limits/frequencyCap/count").asInt()).isEqualTo(2);
        assertThat(campaign.at("/limits/quietHours/start").asText()).isEqualTo("21:00");
        assertThat(campaign.at("/schedule/validFor").asText()).isEqualTo("P3D");
        assertThat(api.get("/v1/campaigns/" + campaign.get("id").asText()).json())
                .isEqualTo(campaign);
    }

    @Test
    void rejectsAnInvalidCampaignNamingEveryBrokenFieldAndStoresNothing() {
        int before = api.get("/v1/campaigns?limit=100").json().get("items").size();
        Api.Reply reply =
                api.post(
                        "/v1/campaigns",
                        "{\"name\": \"\", \"holdoutShare\": 0.7, \"offer\": {\"subject\": \"x\","
                                + " \"html\": \"{{#open}}\", \"text\": \"t\"}, \"schedule\":"
                                + " {\"type\": \"anchor\", \"anchor\": {\"holiday\": \"christmas\"},"
                                + " \"localTime\": \"10:00\", \"validFor\": \"soon\"}}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("code").asText()).isEqualTo("validation_failed");
        List<String> fields = new ArrayList<>();
        reply.json().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertThat(fields)
                .contains(
                        "name",
                        "holdoutShare",
                        "offer.html",
                        "schedule.anchor.holiday",
                        "schedule.validFor");
        assertThat(api.get("/v1/campaigns?limit=100").json().get("items").size()).isEqualTo(before);

        Api.Reply unknown = api.post("/v1/campaigns", "{\"name\": \"x\", \"colour\": \"red\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
    }

    @Test
    void previewShowsAudienceHoldoutDetectableLiftAndARenderedEmail() {
        String id = create();
        Api.Reply preview =
                api.post("/v1/campaigns/" + id + "/preview", "{\"customerId\": \"c-3\"}");
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        JsonNode body = preview.json();
        // 30 bought dates; one of them (c-39 bought tea anyway) - consent denied excluded.
        assertThat(body.get("audienceSize").asInt()).isEqualTo(30);
        assertThat(body.get("holdoutSize").asInt()).isBetween(1, 15);
        assertThat(body.get("minimumDetectableLift").asDouble()).isBetween(0.0, 1.0);
        JsonNode email = body.get("email");
        assertThat(email.get("to").asText()).isEqualTo("c3@example.invalid");
        assertThat(email.get("subject").asText()).isEqualTo("Eid Mubarak, c-3");
        assertThat(email.get("html").asText()).contains("Code EID10").contains("/v1/unsubscribe/");
        assertThat(email.get("text").asText()).contains("Unsubscribe: http");
        assertThat(email.at("/headers/List-Unsubscribe-Post").asText())
                .isEqualTo("List-Unsubscribe=One-Click");
        // Eid al-Fitr 1432 = 2011-08-30; + 7 days at 10:00 in Riyadh (UTC+3).
        assertThat(email.get("sendAt").asText()).isEqualTo("2011-09-06T07:00:00Z");

        assertThat(
                        api.post("/v1/campaigns/" + id + "/preview", "{\"customerId\": \"nobody\"}")
                                .status())
                .isEqualTo(404);
    }

    @Test
    void launchPlansEveryAudienceMemberOnceAndOnlyADraftCanBeEdited() {
        String id = create();
        assertThat(api.post("/v1/campaigns/" + id + "/launch", null).json().get("code").asText())
                .isEqualTo("sender_identity_missing");
        assertThat(
                        api.put(
                                        "/v1/sender-identity",
                                        "{\"fromAddress\": \"offers@souq.example\", \"fromName\":"
                                                + " \"Souq Dates\", \"postalAddress\": \"1 Souq St,"
                                                + " Riyadh\"}")
                                .status())
                .isEqualTo(200);
        Api.Reply launched = api.post("/v1/campaigns/" + id + "/launch", null);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        assertThat(launched.json().get("status").asText()).isEqualTo("scheduled");

        JsonNode ledger = api.get("/v1/campaigns/" + id + "/ledger").json();
        long held = ledger.at("/counts/HELD_OUT").asLong();
        // The send date is long past: every treated send expired instead of going out late.
        assertThat(
                        held
                                + ledger.at("/counts/PLANNED").asLong()
                                + ledger.at("/counts/EXPIRED").asLong())
                .isEqualTo(30);
        assertThat(ledger.at("/runs/0/audienceSize").asInt()).isEqualTo(30);

        JsonNode page = api.get("/v1/campaigns/" + id + "/sends?limit=20").json();
        assertThat(page.get("items")).hasSize(20);
        JsonNode rest =
                api.get(
                                "/v1/campaigns/"
                                        + id
                                        + "/sends?limit=20&cursor="
                                        + page.get("nextCursor").asText())
                        .json();
        assertThat(rest.get("items")).hasSize(10);
        assertThat(rest.get("nextCursor").isNull()).isTrue();

        Api.Reply edit = api.put("/v1/campaigns/" + id, CAMPAIGN);
        assertThat(edit.status()).isEqualTo(409);
        assertThat(edit.json().get("code").asText()).isEqualTo("campaign_not_draft");
        assertThat(api.post("/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(409);

        assertThat(api.post("/v1/campaigns/" + id + "/pause", null).json().get("status").asText())
                .isEqualTo("paused");
        assertThat(api.post("/v1/campaigns/" + id + "/pause", null).json().get("code").asText())
                .isEqualTo("invalid_transition");
        assertThat(api.post("/v1/campaigns/" + id + "/resume", null).json().get("status").asText())
                .isEqualTo("scheduled");
        assertThat(api.post("/v1/campaigns/" + id + "/cancel", null).json().get("status").asText())
                .isEqualTo("cancelled");
        JsonNode after = api.get("/v1/campaigns/" + id + "/ledger").json();
        assertThat(after.at("/counts/PLANNED").asLong()).isZero();
        assertThat(after.at("/counts/HELD_OUT").asLong()).isEqualTo(held);
    }

    @Test
    void updatesADraft() {
        String id = create();
        Api.Reply updated =
                api.put("/v1/campaigns/" + id, CAMPAIGN.replace("Eid restock", "Eid restock v2"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("name").asText()).isEqualTo("Eid restock v2");
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstAnswerAndRefusesADifferentBody() {
        int before = api.get("/v1/campaigns?limit=100").json().get("items").size();
        Api.Reply first = post("/v1/campaigns", CAMPAIGN, "key-1");
        Api.Reply again = post("/v1/campaigns", CAMPAIGN, "key-1");
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.get("/v1/campaigns?limit=100").json().get("items").size())
                .isEqualTo(before + 1);

        Api.Reply different =
                post("/v1/campaigns", CAMPAIGN.replace("Eid restock", "Other"), "key-1");
        assertThat(different.status()).isEqualTo(422);
        assertThat(different.json().get("code").asText()).isEqualTo("idempotency_key_reused");
        // Keys are per tenant.
        assertThat(post(other, "/v1/campaigns", CAMPAIGN, "key-1").status()).isEqualTo(201);
    }

    @Test
    void listsPageByPageAndFiltersByStatus() {
        create();
        create();
        create();
        JsonNode first = api.get("/v1/campaigns?limit=2").json();
        assertThat(first.get("items")).hasSize(2);
        JsonNode second =
                api.get("/v1/campaigns?limit=2&cursor=" + first.get("nextCursor").asText()).json();
        assertThat(second.get("items").get(0).get("id"))
                .isNotEqualTo(first.get("items").get(1).get("id"));
        api.get("/v1/campaigns?status=draft&limit=100")
                .json()
                .get("items")
                .forEach(item -> assertThat(item.get("status").asText()).isEqualTo("draft"));
        assertThat(api.get("/v1/campaigns?status=nonsense").status()).isEqualTo(400);
        assertThat(api.get("/v1/campaigns?cursor=%25%25").status()).isEqualTo(400);
    }

    @Test
    void anotherTenantsCampaignIsNotFoundAndScopesAreEnforced() {
        String id = create();
        assertThat(other.get("/v1/campaigns/" + id).status()).isEqualTo(404);
        assertThat(other.put("/v1/campaigns/" + id, CAMPAIGN).status()).isEqualTo(404);
        assertThat(other.post("/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(404);
        assertThat(other.post("/v1/campaigns/" + id + "/preview", "{}").status()).isEqualTo(404);
        assertThat(other.get("/v1/campaigns/" + id + "/ledger").status()).isEqualTo(404);
        assertThat(other.get("/v1/campaigns/" + id + "/sends").status()).isEqualTo(404);
        assertThat(other.get("/v1/campaigns?limit=100").body()).doesNotContain(id);
        assertThat(api.as(null).get("/v1/campaigns").status()).isEqualTo(401);
    }

    @Test
    void signedLinksRejectForgeries() {
        assertThat(api.as(null).get("/v1/unsubscribe/forged.token").status()).isEqualTo(404);
        assertThat(api.as(null).post("/v1/unsubscribe/forged.token", null).status()).isEqualTo(404);
        assertThat(api.as(null).get("/v1/c/forged.token").status()).isEqualTo(404);
        assertThat(api.as(null).get("/v1/nfm/forged.token").status()).isEqualTo(404);
    }

    private static String token(String html, String path) {
        int start = html.indexOf(path) + path.length();
        int end = html.indexOf('"', start);
        return html.substring(start, end);
    }

    @Test
    void emailLinksRecordClicksAndNotForMeAndOnePostUnsubscribes() throws Exception {
        api.put(
                "/v1/sender-identity",
                "{\"fromAddress\": \"offers@souq.example\", \"fromName\": \"Souq Dates\","
                        + " \"postalAddress\": \"1 Souq St, Riyadh\", \"websiteUrl\":"
                        + " \"https://souq.example\"}");
        String id = create();
        // A preview's links act on no one: these are the links of the email c-5 was really sent.
        String html = sentEmailHtml("c5@example.invalid");
        Api anonymous = api.as(null);

        Api.Reply click = anonymous.get("/v1/c/" + token(html, "/v1/c/"));
        assertThat(click.status()).isEqualTo(302);
        assertThat(click.header("Location")).isEqualTo("https://souq.example");

        String notForMe = token(html, "/v1/nfm/");
        assertThat(anonymous.get("/v1/nfm/" + notForMe).status()).isEqualTo(200);
        assertThat(anonymous.post("/v1/nfm/" + notForMe, null).status()).isEqualTo(200);
        JsonNode events = api.get("/v1/customers/c-5/events").json();
        assertThat(events.toString()).contains("email_clicked").contains("product_rated");
        assertThat(api.get("/v1/customers/c-5/rows?context=email").body())
                .doesNotContain("\"p-tea\"");

        int before =
                api.post("/v1/campaigns/" + id + "/preview", "{}")
                        .json()
                        .get("audienceSize")
                        .asInt();
        String unsubscribe = token(html, "/v1/unsubscribe/");
        Api.Reply page = anonymous.get("/v1/unsubscribe/" + unsubscribe);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("c***@example.invalid").contains("method=\"post\"");
        // A GET changes nothing: mail scanners follow links.
        assertThat(api.get("/v1/customers/c-5").json().at("/emailConsent/status").asText())
                .isEqualTo("granted");
        Api.Reply oneClick =
                anonymous.send(
                        "POST",
                        "/v1/unsubscribe/" + unsubscribe,
                        "List-Unsubscribe=One-Click",
                        "application/x-www-form-urlencoded");
        assertThat(oneClick.status()).isEqualTo(200);
        assertThat(api.get("/v1/customers/c-5").json().at("/emailConsent/status").asText())
                .isEqualTo("denied");
        assertThat(
                        api.post("/v1/campaigns/" + id + "/preview", "{}")
                                .json()
                                .get("audienceSize")
                                .asInt())
                .isEqualTo(before - 1);
        // Twice is harmless.
        assertThat(anonymous.post("/v1/unsubscribe/" + unsubscribe, null).status()).isEqualTo(200);
    }

    /**
     * The HTML of the email a campaign like {@link #CAMPAIGN}, due now, without quiet hours or
     * holdout, launched over HTTP and sent by a worker's sender to a real SMTP relay, brought to
     * {@code to}. Returned once a click on its links counts: no sooner than a mail filter's scan
     * after delivery.
     */
    private static String sentEmailHtml(String to) throws Exception {
        ZonedDateTime due = ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(30);
        String anchored = CAMPAIGN.substring(CAMPAIGN.indexOf("{\"type\": \"anchor\""));
        anchored = anchored.substring(0, anchored.indexOf("\"P3D\"}") + 6);
        String campaign =
                CAMPAIGN.replace(
                                "\"holdoutShare\": 0.2",
                                "\"holdoutShare\": 0, \"limits\": {\"quietHours\": \"off\"}")
                        .replace(
                                anchored,
                                "{\"type\": \"at\", \"date\": \""
                                        + due.toLocalDate()
                                        + "\", \"localTime\": \""
                                        + due.toLocalTime().withSecond(0).withNano(0)
                                        + "\", \"timeZone\": \"UTC\", \"validFor\": \"P1D\","
                                        + " \"latePolicy\": \"send_now\"}");
        Api.Reply created = api.post("/v1/campaigns", campaign);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        Api.Reply launched = api.post("/v1/campaigns/" + id + "/launch", null);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);

        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(DATABASE)));
        Clock clock = Clock.systemUTC();
        MailLinks links =
                new MailLinks(
                        TestApps.LINK_SECRET.getBytes(StandardCharsets.UTF_8),
                        "https://hilal.example",
                        "unsubscribe@hilal.example");
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.souq.example");
        PopularityFallback models = new PopularityFallback(jdbi);
        CampaignService campaigns =
                new CampaignService(
                        jdbi,
                        HilalJson.newMapper(),
                        clock,
                        new TenantService(jdbi, clock),
                        new EmailComposer(jdbi, links),
                        ledger,
                        models::model);
        GreenMail relay = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        relay.start();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            SmtpFactory smtp = new SmtpFactory();
            smtp.setPort(relay.getSmtp().getPort());
            smtp.setConnections(1);
            CampaignSender sender =
                    new CampaignSender(
                            jdbi,
                            clock,
                            ledger,
                            campaigns,
                            new EmailComposer(jdbi, links),
                            new TenantService(jdbi, clock),
                            smtp.build(),
                            models::model,
                            executor,
                            new CampaignSender.Settings(
                                    "worker-1",
                                    2,
                                    100,
                                    Duration.ofSeconds(5),
                                    Duration.ofSeconds(30),
                                    false,
                                    0,
                                    0));
            sender.heartbeat();
            assertThat(sender.sendDue(new SendLedger.Run(tenantId, id, "run_1")).sent())
                    .isEqualTo(30);
            Instant delivered = Instant.now();
            MimeMessage message =
                    Arrays.stream(relay.getReceivedMessages())
                            .filter(received -> recipient(received).equals(to))
                            .findFirst()
                            .orElseThrow();
            String html = htmlOf(message);
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    Instant.now()
                                            .isAfter(delivered.plus(LinkScanners.DELIVERY_WINDOW)));
            return html;
        } finally {
            executor.shutdownNow();
            relay.stop();
        }
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text/html part of a message, decoded. */
    private static String htmlOf(Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/html")) {
            return (String) part.getContent();
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                String html = htmlOf(multipart.getBodyPart(i));
                if (html != null) {
                    return html;
                }
            }
        }
        return null;
    }

    private static Api.Reply post(String path, String body, String key) {
        return post(api, path, body, key);
    }

    private static Api.Reply post(Api client, String path, String body, String key) {
        return client.sendWithHeaders("POST", path, body, java.util.Map.of("Idempotency-Key", key));
    }
}
