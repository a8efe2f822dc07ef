package io.hilal.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19: campaign email links. Tokens here are signed with the test's link secret, i.e. they are
 * as genuine as a link in a real email, and still may write nothing for a tenant, campaign or
 * customer that does not exist, redirect only to http(s), and count a repeated click once.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MailLinkSecurityIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();

    private static final MailLinks LINKS =
            new MailLinks(
                    TestApps.LINK_SECRET.getBytes(StandardCharsets.UTF_8),
                    "http://localhost",
                    "unsubscribe@hilal.invalid");

    private static String tenantId;
    private static Api api;
    private static String campaignId;
    private static Jdbi database;

    @BeforeAll
    static void aTenantWithACampaignAndACustomer() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "Links");
        tenantId = tenant[0];
        api = new Api(APP.getLocalPort(), tenant[1]);
        database =
                Jdbi.create(TestDatabase.dataSource(APP.getConfiguration().getDatabase().getUrl()));
        assertThat(
                        api.put(
                                        "/v1/customers/c-1",
                                        "{\"email\": \"c1@example.invalid\", \"emailConsent\":"
                                                + " {\"status\": \"granted\", \"source\": \"test\"}}")
                                .status())
                .isBetween(200, 201);
        Api.Reply created =
                api.post(
                        "/v1/campaigns",
                        """
                        {"name": "Links",
                         "audience": {"bought": {"category": "Dates"}},
                         "offer": {"subject": "Hi", "html": "<p>Hi</p>{{{productBlock}}}",
                                   "text": "Hi"},
                         "schedule": {"type": "anchor",
                                      "anchor": {"holiday": "eid_al_fitr", "hijriYear": 1432},
                                      "offsetDays": 7, "localTime": "10:00", "validFor": "P3D"}}
                        """);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        campaignId = created.json().get("id").asText();
    }

    private static MailLinks.Recipient recipient(String tenant, String campaign, String customer) {
        return new MailLinks.Recipient(tenant, campaign, "run-1", customer);
    }

    private static Api anonymous() {
        return new Api(APP.getLocalPort(), null);
    }

    private static long rows(String table, String tenant) {
        return database.withHandle(
                handle ->
                        handle.createQuery("SELECT COUNT(*) FROM " + table + " WHERE tenant_id = ?")
                                .bind(0, tenant)
                                .mapTo(Long.class)
                                .one());
    }

    private static List<String> eventTypes() {
        JsonNode events = api.get("/v1/customers/c-1/events?limit=100").json();
        return events.get("items").findValuesAsText("type");
    }

    private static String consent() {
        return api.get("/v1/customers/c-1").json().at("/emailConsent/status").asText();
    }

    /** Every link kind for {@code recipient}, each answered 404 with nothing written. */
    private static void everyLinkIsNotFound(MailLinks.Recipient recipient) {
        Api anonymous = anonymous();
        String unsubscribe = LINKS.token(MailLinks.Kind.UNSUBSCRIBE, recipient, null, null);
        String click =
                LINKS.token(MailLinks.Kind.CLICK, recipient, "p-1", "https://shop.example/p-1");
        String notForMe = LINKS.token(MailLinks.Kind.NOT_FOR_ME, recipient, "p-1", null);
        for (Api.Reply reply :
                List.of(
                        anonymous.get("/v1/unsubscribe/" + unsubscribe),
                        anonymous.post("/v1/unsubscribe/" + unsubscribe, null),
                        anonymous.get("/v1/c/" + click),
                        anonymous.get("/v1/nfm/" + notForMe))) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(404);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
        }
    }

    @Test
    void aLinkIntoATenantThatDoesNotExistWritesNothing() {
        everyLinkIsNotFound(recipient("ten_doesnotexist", campaignId, "c-1"));
        assertThat(rows("events", "ten_doesnotexist")).isZero();
        assertThat(rows("suppressions", "ten_doesnotexist")).isZero();
        assertThat(rows("customers", "ten_doesnotexist")).isZero();
    }

    @Test
    void aLinkOfACampaignThatDoesNotExistWritesNothing() {
        long events = rows("events", tenantId);
        everyLinkIsNotFound(recipient(tenantId, "cmp_doesnotexist", "c-1"));
        assertThat(rows("events", tenantId)).isEqualTo(events);
        assertThat(rows("suppressions", tenantId)).isZero();
        assertThat(consent()).isEqualTo("granted");
    }

    @Test
    void aLinkForACustomerWhoDoesNotExistWritesNothing() {
        long events = rows("events", tenantId);
        everyLinkIsNotFound(recipient(tenantId, campaignId, "c-ghost"));
        assertThat(rows("events", tenantId)).isEqualTo(events);
        assertThat(rows("customers", tenantId)).isEqualTo(1);
        assertThat(api.get("/v1/customers/c-ghost").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "javascript:alert(document.domain)",
                "data:text/html,<script>alert(1)</script>",
                "//evil.example/",
                "ftp://shop.example/file",
                "https://exa mple.com/",
                "http://[::1",
                "https://shop.example/%zz",
            })
    void aClickGoesOnlyToAWellFormedHttpUrlElseNotFoundAndNotRecorded(String target) {
        long clicks = eventTypes().stream().filter("email_clicked"::equals).count();
        String token =
                LINKS.token(
                        MailLinks.Kind.CLICK,
                        recipient(tenantId, campaignId, "c-1"),
                        "p-1",
                        target);
        Api.Reply reply = anonymous().get("/v1/c/" + token);
        assertThat(reply.status()).as(reply.body()).isEqualTo(404);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.header("Location")).isNull();
        assertThat(eventTypes().stream().filter("email_clicked"::equals).count()).isEqualTo(clicks);
    }

    @Test
    void repeatedClicksOfOneLinkCountOnce() {
        MailLinks.Recipient recipient = recipient(tenantId, campaignId, "c-1");
        String token =
                LINKS.token(MailLinks.Kind.CLICK, recipient, "p-2", "https://shop.example/p-2?x=1");
        long clicks = eventTypes().stream().filter("email_clicked"::equals).count();
        for (int i = 0; i < 3; i++) {
            Api.Reply reply = anonymous().get("/v1/c/" + token);
            assertThat(reply.status()).isEqualTo(302);
            assertThat(reply.header("Location")).isEqualTo("https://shop.example/p-2?x=1");
        }
        assertThat(eventTypes().stream().filter("email_clicked"::equals).count())
                .isEqualTo(clicks + 1);

        String other =
                LINKS.token(MailLinks.Kind.CLICK, recipient, "p-3", "https://shop.example/p-3");
        assertThat(anonymous().get("/v1/c/" + other).status()).isEqualTo(302);
        assertThat(eventTypes().stream().filter("email_clicked"::equals).count())
                .isEqualTo(clicks + 2);
    }

    private static long count(String type) {
        return eventTypes().stream().filter(type::equals).count();
    }

    /** A ledger row saying the message to c-1 in {@code runId} went to the relay at {@code at}. */
    private static void sentAt(String runId, Instant at) {
        database.useHandle(
                handle ->
                        handle.createUpdate(
                                        "INSERT INTO campaign_sends (tenant_id, campaign_id,"
                                                + " run_id, customer_id, state, message_id, send_at,"
                                                + " valid_until, attempts, updated_at, sent_at)"
                                                + " VALUES (:tenantId, :campaignId, :runId, 'c-1',"
                                                + " 'SENT', :messageId, :at, :until, 1, :at, :at)")
                                .bind("tenantId", tenantId)
                                .bind("campaignId", campaignId)
                                .bind("runId", runId)
                                .bind("messageId", "<" + runId + "@hilal.test>")
                                .bind("at", at)
                                .bind("until", at.plus(Duration.ofDays(3)))
                                .execute());
    }

    @Test
    void notForMeIsRecordedOnlyByThePostOfItsConfirmationPage() {
        String token =
                LINKS.token(
                        MailLinks.Kind.NOT_FOR_ME,
                        recipient(tenantId, campaignId, "c-1"),
                        "p-nfm",
                        null);
        long ratings = count("product_rated");
        Api.Reply page = anonymous().get("/v1/nfm/" + token);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body())
                .contains("method=\"post\"")
                .contains("action=\"/v1/nfm/" + token + "\"");
        assertThat(anonymous().send("HEAD", "/v1/nfm/" + token, null, null).status())
                .isEqualTo(200);
        assertThat(count("product_rated"))
                .as("a GET or HEAD turns nothing down")
                .isEqualTo(ratings);

        Api.Reply posted = anonymous().post("/v1/nfm/" + token, null);
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        assertThat(count("product_rated")).isEqualTo(ratings + 1);
        assertThat(anonymous().post("/v1/nfm/" + token, null).status()).isEqualTo(200);
        assertThat(count("product_rated"))
                .as("posted twice, one thumbs-down")
                .isEqualTo(ratings + 1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Mozilla/5.0 (compatible; Microsoft Defender SafeLinks)",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) BingPreview/1.0b",
                "Proofpoint URL Defense",
                "Mozilla/5.0 (compatible; Mimecast-Url-Protect)",
                "Barracuda Sentinel (EE)",
            })
    void aKnownLinkScannerIsRedirectedButItsClickIsNotCounted(String scanner) {
        String target = "https://shop.example/scanned?agent=" + scanner.length();
        String token =
                LINKS.token(
                        MailLinks.Kind.CLICK,
                        recipient(tenantId, campaignId, "c-1"),
                        "p-scan",
                        target);
        long clicks = count("email_clicked");
        Api.Reply reply =
                anonymous()
                        .sendWithHeaders(
                                "GET", "/v1/c/" + token, null, Map.of("User-Agent", scanner));
        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).isEqualTo(target);
        assertThat(count("email_clicked")).isEqualTo(clicks);
    }

    @Test
    void aHeadOfAClickLinkIsRedirectedButNotCounted() {
        String token =
                LINKS.token(
                        MailLinks.Kind.CLICK,
                        recipient(tenantId, campaignId, "c-1"),
                        "p-head",
                        "https://shop.example/head");
        long clicks = count("email_clicked");
        Api.Reply reply = anonymous().send("HEAD", "/v1/c/" + token, null, null);
        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).isEqualTo("https://shop.example/head");
        assertThat(count("email_clicked")).isEqualTo(clicks);
        // The same link opened by a person counts.
        assertThat(anonymous().get("/v1/c/" + token).status()).isEqualTo(302);
        assertThat(count("email_clicked")).isEqualTo(clicks + 1);
    }

    @Test
    void aClickRightAfterDeliveryIsAScannersAndOneAMinuteLaterCounts() {
        sentAt("run-fresh", Instant.now());
        sentAt("run-read", Instant.now().minus(Duration.ofMinutes(1)));
        MailLinks.Recipient fresh =
                new MailLinks.Recipient(tenantId, campaignId, "run-fresh", "c-1");
        MailLinks.Recipient read = new MailLinks.Recipient(tenantId, campaignId, "run-read", "c-1");
        String freshToken =
                LINKS.token(MailLinks.Kind.CLICK, fresh, "p-d", "https://shop.example/d");
        String readToken = LINKS.token(MailLinks.Kind.CLICK, read, "p-d", "https://shop.example/d");
        long clicks = count("email_clicked");
        assertThat(anonymous().get("/v1/c/" + freshToken).status()).isEqualTo(302);
        assertThat(count("email_clicked")).as("within 2 s of delivery").isEqualTo(clicks);
        assertThat(anonymous().get("/v1/c/" + readToken).status()).isEqualTo(302);
        assertThat(count("email_clicked")).isEqualTo(clicks + 1);
    }

    @Test
    void aTestSendsLinksAnswerButActOnNoOne() {
        MailLinks.Recipient test =
                new MailLinks.Recipient(tenantId, campaignId, MailLinks.TEST_SEND_RUN, "c-1");
        long ratings = count("product_rated");
        long clicks = count("email_clicked");
        long unsubscribes = count("email_unsubscribed");
        String unsubscribe = LINKS.token(MailLinks.Kind.UNSUBSCRIBE, test, null, null);
        String notForMe = LINKS.token(MailLinks.Kind.NOT_FOR_ME, test, "p-test", null);
        String click =
                LINKS.token(MailLinks.Kind.CLICK, test, "p-test", "https://shop.example/test");

        Api.Reply unsubscribed = anonymous().post("/v1/unsubscribe/" + unsubscribe, null);
        assertThat(unsubscribed.status()).isEqualTo(200);
        assertThat(unsubscribed.body()).contains("This was a test email");
        Api.Reply turnedDown = anonymous().post("/v1/nfm/" + notForMe, null);
        assertThat(turnedDown.status()).isEqualTo(200);
        assertThat(turnedDown.body()).contains("This was a test email");
        Api.Reply clicked = anonymous().get("/v1/c/" + click);
        assertThat(clicked.status()).isEqualTo(302);
        assertThat(clicked.header("Location")).isEqualTo("https://shop.example/test");

        assertThat(consent()).isEqualTo("granted");
        assertThat(rows("suppressions", tenantId)).isZero();
        assertThat(count("product_rated")).isEqualTo(ratings);
        assertThat(count("email_clicked")).isEqualTo(clicks);
        assertThat(count("email_unsubscribed")).isEqualTo(unsubscribes);
    }
}
