package io.hilal.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.dashboard.DashboardRole;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.dashboard.charts.Format;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard over real HTTP: signing in with a key or a password, the session cookie, CSRF and
 * origin checks on every POST, and that a session sees its own tenant only.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(DATABASE, DashboardFixtures.LIFT_SETTINGS);

    static DashboardFixtures fixtures;
    static String tenantA;
    static String keyA;
    static Api apiA;
    static String tenantB;
    static String keyB;
    static String campaignB;

    @BeforeAll
    static void twoTenants() {
        fixtures = new DashboardFixtures(DATABASE);
        String[] a = Api.newTenant(APP.getLocalPort(), "Souq Dates");
        tenantA = a[0];
        keyA = a[1];
        apiA = new Api(APP.getLocalPort(), keyA);
        String[] b = Api.newTenant(APP.getLocalPort(), "Other Shop");
        tenantB = b[0];
        keyB = b[1];
        Api apiB = new Api(APP.getLocalPort(), keyB);
        apiB.put("/v1/customers/b-customer", "{\"email\": \"b@example.com\"}");
        campaignB = fixtures.campaignWithLift(apiB, b[0], "b-secret-campaign");
    }

    /** A report's number in percentage points, as the charts write it. */
    private static String hundredths(JsonNode share) {
        double points = Math.round(share.asDouble() * 100 * 100) / 100.0;
        return points == Math.rint(points) ? String.valueOf((long) points) : String.valueOf(points);
    }

    /** Where a redirect points, as path and query (Jersey writes absolute URLs). */
    private static String location(HttpResponse<String> answer) {
        java.net.URI uri =
                java.net.URI.create(answer.headers().firstValue("Location").orElseThrow());
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static DashboardClient browser() {
        return new DashboardClient(APP.getLocalPort());
    }

    /**
     * Stores and activates a model version of {@code kind} for {@code tenantId}, as training does.
     */
    private static void storeModel(String tenantId, String kind, String params, String metrics) {
        new io.hilal.core.reco.ModelStore(
                        io.hilal.core.db.HilalJdbi.configure(
                                org.jdbi.v3.core.Jdbi.create(TestDatabase.dataSource(DATABASE))),
                        java.time.Clock.systemUTC())
                .saveAndActivate(
                        tenantId,
                        new io.hilal.core.reco.ModelStore.Trained(
                                kind,
                                null,
                                java.time.Instant.parse("2026-11-01T00:00:00Z"),
                                params,
                                metrics,
                                new byte[] {1}));
    }

    private static DashboardClient signedIn(String key) {
        DashboardClient browser = browser();
        assertThat(browser.signInWithKey(key).statusCode()).isEqualTo(303);
        return browser;
    }

    @Nested
    class SigningIn {
        @Test
        void aReadKeyOpensASessionInAStrictHttpOnlyCookie() {
            DashboardClient browser = browser();
            HttpResponse<String> answer = browser.signInWithKey(keyA);

            assertThat(answer.statusCode()).isEqualTo(303);
            assertThat(location(answer)).isEqualTo("/dashboard");
            String cookie =
                    answer.headers().allValues("Set-Cookie").stream()
                            .filter(value -> value.startsWith("hilal_session="))
                            .findFirst()
                            .orElseThrow();
            assertThat(cookie)
                    .containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Strict")
                    .contains("Path=/dashboard")
                    .doesNotContainIgnoringCase("Secure");
            assertThat(cookie).doesNotContain(keyA);
            HttpResponse<String> overview = browser.get("/dashboard");
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body()).contains("Souq Dates").contains("Overview");
        }

        @Test
        void pagesNameTheirIconSoBrowsersDoNotAskForAFaviconThatIsNotThere() {
            // Without it every page view cost a 404, logged at WARN, for /favicon.ico.
            DashboardClient browser = browser();
            assertThat(browser.get("/dashboard/sign-in").body())
                    .contains("<link rel=\"icon\" href=\"data:,\">");
            browser.signInWithKey(keyA);
            assertThat(browser.get("/dashboard").body())
                    .contains("<link rel=\"icon\" href=\"data:,\">");
        }

        @Test
        void pagesWithoutASessionSendTheBrowserToSignInAndBack() {
            HttpResponse<String> answer = browser().get("/dashboard/models");

            assertThat(answer.statusCode()).isEqualTo(303);
            assertThat(location(answer)).isEqualTo("/dashboard/sign-in?next=%2Fdashboard%2Fmodels");
            assertThat(location(browser().get("/"))).isEqualTo("/dashboard");
        }

        @Test
        void afterSigningInTheBrowserReturnsToThePageItAskedFor() {
            DashboardClient browser = browser();
            String token = DashboardClient.csrfOf(browser.get("/dashboard/sign-in").body());
            HttpResponse<String> answer =
                    browser.post(
                            "/dashboard/sign-in",
                            Map.of(
                                    "method",
                                    "key",
                                    "apiKey",
                                    keyA,
                                    "csrf",
                                    token,
                                    "next",
                                    "/dashboard/models"));
            assertThat(location(answer)).isEqualTo("/dashboard/models");
        }

        @Test
        void neverRedirectsToAnotherSiteAfterSigningIn() {
            for (String next :
                    new String[] {"https://evil.example/", "//evil.example/x", "/v1/api-keys"}) {
                assertThat(SignInResource.safeNext(next)).as(next).isEqualTo("/dashboard");
            }
            assertThat(SignInResource.safeNext("/dashboard/lift")).isEqualTo("/dashboard/lift");
        }

        @Test
        void aKeyWithoutTheReadScopeIsRefused() {
            String ingestOnly =
                    apiA.post("/v1/api-keys", "{\"scopes\": [\"ingest\"]}")
                            .json()
                            .get("apiKey")
                            .asText();
            DashboardClient browser = browser();
            HttpResponse<String> answer = browser.signInWithKey(ingestOnly);

            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).contains("lacks the &#39;read&#39; scope");
            assertThat(browser.cookie("hilal_session")).isNull();
        }

        @Test
        void anUnknownKeyIsRefused() {
            HttpResponse<String> answer =
                    browser().signInWithKey("hk_live_0000000000000000_" + "0".repeat(64));

            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).contains("unknown or revoked");
        }

        @Test
        void aUserSignsInWithEmailAndPasswordAndAWrongPasswordSaysNothingMore() {
            fixtures.auth()
                    .createUser(
                            tenantA,
                            "Amina@Souq.example",
                            "correct horse battery".toCharArray(),
                            DashboardRole.VIEWER);

            HttpResponse<String> wrong =
                    browser().signInWithPassword("amina@souq.example", "wrong password!!");
            HttpResponse<String> unknown =
                    browser().signInWithPassword("nobody@souq.example", "wrong password!!");
            DashboardClient browser = browser();
            HttpResponse<String> right =
                    browser.signInWithPassword("amina@souq.example", "correct horse battery");

            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(unknown.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("The email or the password is wrong");
            assertThat(unknown.body()).contains("The email or the password is wrong");
            assertThat(right.statusCode()).isEqualTo(303);
            assertThat(browser.get("/dashboard").body())
                    .contains("amina@souq.example")
                    .contains("Souq Dates");
        }

        @Test
        void disablingAUserEndsTheirSessions() {
            fixtures.auth()
                    .createUser(
                            tenantA,
                            "leaver@souq.example",
                            "a long enough secret".toCharArray(),
                            DashboardRole.VIEWER);
            DashboardClient browser = browser();
            browser.signInWithPassword("leaver@souq.example", "a long enough secret");
            assertThat(browser.get("/dashboard").statusCode()).isEqualTo(200);

            fixtures.auth().disableUser(tenantA, "leaver@souq.example");

            assertThat(browser.get("/dashboard").statusCode()).isEqualTo(303);
            assertThat(
                            browser()
                                    .signInWithPassword(
                                            "leaver@souq.example", "a long enough secret")
                                    .statusCode())
                    .isEqualTo(401);
        }

        @Test
        void revokingTheKeyEndsTheSessionsItOpened() {
            var created = apiA.post("/v1/api-keys", "{\"scopes\": [\"read\"]}").json();
            DashboardClient browser = signedIn(created.get("apiKey").asText());
            assertThat(browser.get("/dashboard").statusCode()).isEqualTo(200);

            apiA.delete("/v1/api-keys/" + created.get("keyId").asText());

            assertThat(browser.get("/dashboard").statusCode()).isEqualTo(303);
        }

        @Test
        void signingOutEndsTheSessionOnTheServer() {
            DashboardClient browser = signedIn(keyA);
            String session = browser.cookie("hilal_session");
            String token = DashboardClient.csrfOf(browser.get("/dashboard").body());

            HttpResponse<String> answer =
                    browser.post("/dashboard/sign-out", Map.of("csrf", token));

            assertThat(answer.statusCode()).isEqualTo(303);
            assertThat(fixtures.auth().session(session)).isEmpty();
            assertThat(browser.get("/dashboard").statusCode()).isEqualTo(303);
        }
    }

    @Nested
    class Csrf {
        @Test
        void aSignInFormWithoutItsCookieIsRefused() {
            DashboardClient browser = browser();
            String token = DashboardClient.csrfOf(browser.get("/dashboard/sign-in").body());
            DashboardClient other = browser();

            HttpResponse<String> answer =
                    other.post(
                            "/dashboard/sign-in",
                            Map.of("method", "key", "apiKey", keyA, "csrf", token));

            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(other.cookie("hilal_session")).isNull();
        }

        @Test
        void aSignInPostedFromAnotherSiteIsRefused() {
            DashboardClient browser = browser();
            String token = DashboardClient.csrfOf(browser.get("/dashboard/sign-in").body());

            HttpResponse<String> answer =
                    browser.post(
                            "/dashboard/sign-in",
                            Map.of("method", "key", "apiKey", keyA, "csrf", token),
                            "https://evil.example");

            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(browser.cookie("hilal_session")).isNull();
        }

        @Test
        void aPostWithoutTheSessionsTokenIsRefusedAndChangesNothing() {
            DashboardClient browser = signedIn(keyA);
            String session = browser.cookie("hilal_session");

            HttpResponse<String> missing = browser.post("/dashboard/sign-out", Map.of());
            HttpResponse<String> wrong =
                    browser.post("/dashboard/sign-out", Map.of("csrf", "0".repeat(64)));

            assertThat(missing.statusCode()).isEqualTo(403);
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(wrong.body()).contains("Request refused");
            assertThat(fixtures.auth().session(session)).isPresent();
        }

        @Test
        void aPostFromAnotherOriginIsRefusedEvenWithTheToken() {
            DashboardClient browser = signedIn(keyA);
            String session = browser.cookie("hilal_session");
            String token = DashboardClient.csrfOf(browser.get("/dashboard").body());

            HttpResponse<String> answer =
                    browser.post(
                            "/dashboard/sign-out", Map.of("csrf", token), "https://evil.example");
            HttpResponse<String> opaque =
                    browser.post("/dashboard/sign-out", Map.of("csrf", token), "null");
            HttpResponse<String> unnamed =
                    browser.post("/dashboard/sign-out", Map.of("csrf", token), null, null);
            HttpResponse<String> referredFromElsewhere =
                    browser.post(
                            "/dashboard/sign-out",
                            Map.of("csrf", token),
                            null,
                            "https://evil.example/dashboard");

            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(opaque.statusCode()).isEqualTo(403);
            assertThat(unnamed.statusCode()).isEqualTo(403);
            assertThat(referredFromElsewhere.statusCode()).isEqualTo(403);
            assertThat(fixtures.auth().session(session)).isPresent();
        }

        @Test
        void aPostWithoutOriginIsTakenFromAPageOfThisSiteNamedByItsReferer() {
            DashboardClient browser = signedIn(keyA);
            String session = browser.cookie("hilal_session");
            String token = DashboardClient.csrfOf(browser.get("/dashboard").body());

            HttpResponse<String> answer =
                    browser.post(
                            "/dashboard/sign-out",
                            Map.of("csrf", token),
                            null,
                            browser.base + "/dashboard");

            assertThat(answer.statusCode()).isEqualTo(303);
            assertThat(fixtures.auth().session(session)).isEmpty();
        }

        @Test
        void anotherSessionsTokenIsRefused() {
            DashboardClient first = signedIn(keyA);
            DashboardClient second = signedIn(keyA);
            String tokenOfFirst = DashboardClient.csrfOf(first.get("/dashboard").body());

            assertThat(
                            second.post("/dashboard/sign-out", Map.of("csrf", tokenOfFirst))
                                    .statusCode())
                    .isEqualTo(403);
        }
    }

    @Nested
    class TenantIsolation {
        @Test
        void aSessionSeesOnlyItsOwnTenantsCampaignsAndLift() {
            DashboardClient browser = signedIn(keyA);

            assertThat(browser.get("/dashboard/campaigns").body())
                    .contains("No campaigns yet")
                    .doesNotContain("b-secret-campaign")
                    .doesNotContain(campaignB);
            assertThat(browser.get("/dashboard/lift").body())
                    .contains("No lift to report yet")
                    .doesNotContain("b-secret-campaign")
                    .doesNotContain(campaignB);
            assertThat(browser.get("/dashboard/campaigns/" + campaignB).statusCode())
                    .isEqualTo(404);
            assertThat(browser.get("/dashboard/lift/" + campaignB).statusCode()).isEqualTo(404);
        }

        @Test
        void aSessionSeesOnlyItsOwnCounts() {
            DashboardClient browser = signedIn(keyA);

            String overview = browser.get("/dashboard").body();
            assertThat(overview).contains("<span class=\"value\" id=\"customers\">0</span>");
            assertThat(overview).contains("No events yet");
            String rows = browser.get("/dashboard/customers?customer=b-customer").body();
            assertThat(rows).contains("Hilal knows nothing of customer b-customer");
        }

        @Test
        void theOtherTenantSeesItsCampaign() {
            DashboardClient browser = signedIn(keyB);

            assertThat(browser.get("/dashboard/campaigns").body()).contains("b-secret-campaign");
            assertThat(browser.get("/dashboard/campaigns/" + campaignB).statusCode())
                    .isEqualTo(200);
        }
    }

    /** A shop with three customers who bought dates and can be emailed; returns id and key. */
    private static String[] shopWithDateBuyers(String name) {
        String[] shop = Api.newTenant(APP.getLocalPort(), name);
        Api api = new Api(APP.getLocalPort(), shop[1]);
        api.put(
                "/v1/products/p-dates",
                "{\"title\": \"Ajwa dates\", \"categories\": [\"Food\", \"Dates\"],"
                        + " \"price\": 9.5, \"currency\": \"USD\"}");
        StringBuilder events = new StringBuilder("{\"events\": [");
        for (int i = 0; i < 3; i++) {
            api.put(
                    "/v1/customers/c-" + i,
                    "{\"email\": \"c"
                            + i
                            + "@example.invalid\", \"emailConsent\": {\"status\": \"granted\","
                            + " \"source\": \"test\"}}");
            events.append(i == 0 ? "" : ",")
                    .append("{\"messageId\": \"o-")
                    .append(i)
                    .append("\", \"type\": \"order_completed\", \"customerId\": \"c-")
                    .append(i)
                    .append("\", \"timestamp\": \"2024-01-0")
                    .append(1 + i)
                    .append("T10:00:00Z\", \"orderId\": \"o-")
                    .append(i)
                    .append("\", \"lines\": [{\"productId\": \"p-dates\", \"quantity\": 1,")
                    .append(" \"unitPrice\": 9.5, \"currency\": \"USD\"}]}");
        }
        assertThat(api.post("/v1/events", events.append("]}").toString()).status()).isEqualTo(200);
        return shop;
    }

    private static String status(Api api, String campaignId) {
        return api.get("/v1/campaigns/" + campaignId).json().get("status").asText();
    }

    @Nested
    class Journeys {
        @Test
        void theCampaignsPageListsTheTenantsJourneysWithTheirSendsAndLiftApart() {
            String[] shop = Api.newTenant(APP.getLocalPort(), "Journey Shop");
            Api api = new Api(APP.getLocalPort(), shop[1]);
            Api.Reply created =
                    api.post(
                            "/v1/journeys",
                            "{\"name\": \"Cart reminder\", \"kind\": \"abandoned_cart\","
                                    + " \"delay\": \"PT4H\", \"holdoutShare\": 0.2, \"offer\":"
                                    + " {\"subject\": \"Hi\", \"html\": \"<p>Hi</p>\", \"text\":"
                                    + " \"Hi\"}}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String journey = created.json().get("id").asText();
            // Two entries of the journey in the ledger: one emailed, one held out.
            new SendLedger(
                            HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(DATABASE))),
                            java.time.Clock.systemUTC(),
                            "test")
                    .plan(
                            new SendLedger.Run(shop[0], journey, "d20260101"),
                            List.of(
                                    new PlannedSend(
                                            "c-1",
                                            Instant.now().minusSeconds(60),
                                            Instant.now().plusSeconds(3600),
                                            false),
                                    new PlannedSend(
                                            "c-2",
                                            Instant.now().minusSeconds(60),
                                            Instant.now().plusSeconds(3600),
                                            true)));
            DashboardClient browser = signedIn(shop[1]);

            String page = browser.get("/dashboard/campaigns").body();
            // Not a campaign: the campaigns table stays empty, the journeys table has it.
            assertThat(page).contains("No campaigns yet").contains("id=\"journeys-table\"");
            String journeys = page.substring(page.indexOf("id=\"journeys-table\""));
            assertThat(journeys)
                    .contains("Cart reminder")
                    .contains("abandoned cart")
                    .contains("PT4H")
                    .contains("20.0%")
                    .contains("href=\"/dashboard/lift/" + journey + "\"")
                    .contains("Not enough data yet")
                    .contains("n = 1 / 1");
            assertThat(browser.get("/dashboard/lift/" + journey).statusCode()).isEqualTo(200);
            assertThat(signedIn(keyA).get("/dashboard/campaigns").body())
                    .doesNotContain("Cart reminder");
        }
    }

    @Nested
    class CampaignControls {
        @Test
        void launchPauseAndResumeFromThePageChangeTheCampaignsStatus() {
            String[] shop = shopWithDateBuyers("Controls Shop");
            Api api = new Api(APP.getLocalPort(), shop[1]);
            api.put(
                    "/v1/sender-identity",
                    "{\"fromAddress\": \"offers@controls.example\", \"fromName\": \"Controls\","
                            + " \"postalAddress\": \"1 Souq St, Riyadh\"}");
            String id =
                    api.post("/v1/campaigns", DashboardFixtures.campaignJson("Eid restock", 0.2))
                            .json()
                            .get("id")
                            .asText();
            DashboardClient browser = signedIn(shop[1]);

            String list = browser.get("/dashboard/campaigns").body();
            assertThat(list)
                    .contains("Eid restock")
                    .contains("<td class=\"text\">draft</td>")
                    .contains("Customers who bought from Dates, if they can be emailed");
            String draft = browser.get("/dashboard/campaigns/" + id).body();
            assertThat(draft).contains(">Launch</button>").doesNotContain(">Pause</button>");
            assertThat(draft).contains("20.0%");

            HttpResponse<String> launched =
                    browser.post(
                            "/dashboard/campaigns/" + id + "/launch",
                            Map.of("csrf", DashboardClient.csrfOf(draft)));
            assertThat(launched.statusCode()).isEqualTo(303);
            assertThat(location(launched)).isEqualTo("/dashboard/campaigns/" + id);
            assertThat(status(api, id)).isEqualTo("scheduled");
            String scheduled = browser.get("/dashboard/campaigns/" + id).body();
            assertThat(scheduled).contains(">Pause</button>").doesNotContain(">Launch</button>");

            assertThat(
                            browser.post(
                                            "/dashboard/campaigns/" + id + "/pause",
                                            Map.of("csrf", DashboardClient.csrfOf(scheduled)))
                                    .statusCode())
                    .isEqualTo(303);
            assertThat(status(api, id)).isEqualTo("paused");
            String paused = browser.get("/dashboard/campaigns/" + id).body();
            assertThat(paused).contains(">Resume</button>");

            assertThat(
                            browser.post(
                                            "/dashboard/campaigns/" + id + "/launch",
                                            Map.of("csrf", DashboardClient.csrfOf(paused)))
                                    .statusCode())
                    .isEqualTo(303);
            assertThat(status(api, id)).isEqualTo("scheduled");
        }

        @Test
        void aRefusedLaunchShowsItsReasonAndChangesNothing() {
            String[] shop = shopWithDateBuyers("No Sender Shop");
            Api api = new Api(APP.getLocalPort(), shop[1]);
            String id =
                    api.post("/v1/campaigns", DashboardFixtures.campaignJson("Eid restock", 0.1))
                            .json()
                            .get("id")
                            .asText();
            DashboardClient browser = signedIn(shop[1]);
            String token = DashboardClient.csrfOf(browser.get("/dashboard/campaigns/" + id).body());

            HttpResponse<String> refused =
                    browser.post("/dashboard/campaigns/" + id + "/launch", Map.of("csrf", token));

            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("text/html");
            assertThat(refused.body())
                    .contains("id=\"control-error\"")
                    .contains("sender identity")
                    .contains("<h1>Eid restock</h1>");
            assertThat(status(api, id)).isEqualTo("draft");
            assertThat(
                            api.get("/v1/campaigns/" + id + "/ledger")
                                    .json()
                                    .at("/counts/PLANNED")
                                    .asLong())
                    .isZero();

            HttpResponse<String> notScheduled =
                    browser.post("/dashboard/campaigns/" + id + "/pause", Map.of("csrf", token));
            assertThat(notScheduled.statusCode()).isEqualTo(409);
            assertThat(notScheduled.body()).contains("it must be scheduled to become paused");
            assertThat(status(api, id)).isEqualTo("draft");
        }

        @Test
        void anotherTenantsCampaignIsNotFoundAndCannotBeControlled() {
            DashboardClient intruder = signedIn(keyA);
            String token = DashboardClient.csrfOf(intruder.get("/dashboard").body());
            Api apiB = new Api(APP.getLocalPort(), keyB);
            String id =
                    apiB.post("/v1/campaigns", DashboardFixtures.campaignJson("B draft", 0.1))
                            .json()
                            .get("id")
                            .asText();

            assertThat(intruder.get("/dashboard/campaigns/" + id).statusCode()).isEqualTo(404);
            HttpResponse<String> launch =
                    intruder.post("/dashboard/campaigns/" + id + "/launch", Map.of("csrf", token));
            HttpResponse<String> pause =
                    intruder.post("/dashboard/campaigns/" + id + "/pause", Map.of("csrf", token));

            assertThat(launch.statusCode()).isEqualTo(404);
            assertThat(pause.statusCode()).isEqualTo(404);
            assertThat(launch.body()).contains("There is no campaign");
            assertThat(status(apiB, id)).isEqualTo("draft");
        }

        @Test
        void aLaunchWithoutTheFormsTokenOrFromAnotherSiteIsRefused() {
            Api apiB = new Api(APP.getLocalPort(), keyB);
            String id =
                    apiB.post("/v1/campaigns", DashboardFixtures.campaignJson("B guarded", 0.1))
                            .json()
                            .get("id")
                            .asText();
            DashboardClient browser = signedIn(keyB);
            String token = DashboardClient.csrfOf(browser.get("/dashboard/campaigns/" + id).body());

            assertThat(
                            browser.post("/dashboard/campaigns/" + id + "/launch", Map.of())
                                    .statusCode())
                    .isEqualTo(403);
            assertThat(
                            browser.post(
                                            "/dashboard/campaigns/" + id + "/launch",
                                            Map.of("csrf", token),
                                            "https://evil.example")
                                    .statusCode())
                    .isEqualTo(403);
            assertThat(status(apiB, id)).isEqualTo("draft");
        }
    }

    @Nested
    class ProgramHoldoutForm {
        private final String[] shop = Api.newTenant(APP.getLocalPort(), "Program Shop");
        private final Api api = new Api(APP.getLocalPort(), shop[1]);

        private JsonNode setting() {
            return api.get("/v1/program-holdout").json();
        }

        @Test
        void aMarketerSetsTheShareOnTheLiftPageAsTheApiWouldAndItIsLogged() {
            ch.qos.logback.classic.Logger operator =
                    (ch.qos.logback.classic.Logger)
                            org.slf4j.LoggerFactory.getLogger(
                                    io.hilal.core.audit.OperatorLog.LOGGER);
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                    new ch.qos.logback.core.read.ListAppender<>();
            ch.qos.logback.classic.Level level = operator.getLevel();
            operator.setLevel(ch.qos.logback.classic.Level.INFO);
            lines.start();
            operator.addAppender(lines);
            try {
                DashboardClient browser = signedIn(shop[1]);
                String page = browser.get("/dashboard/lift").body();
                assertThat(page)
                        .contains("id=\"program-control\"")
                        .contains("<strong id=\"program-share-now\">off</strong>")
                        .contains("action=\"/dashboard/lift/program-holdout\"");

                HttpResponse<String> saved =
                        browser.post(
                                "/dashboard/lift/program-holdout",
                                Map.of("share", "12.5", "csrf", DashboardClient.csrfOf(page)));

                assertThat(saved.statusCode()).isEqualTo(303);
                assertThat(location(saved)).isEqualTo("/dashboard/lift");
                assertThat(setting().get("share").asDouble()).isEqualTo(0.125);
                assertThat(setting().get("on").asBoolean()).isTrue();
                assertThat(browser.get("/dashboard/lift").body())
                        .contains("<strong id=\"program-share-now\">12.5%</strong>")
                        .contains("id=\"program\"");
                assertThat(lines.list)
                        .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                        .anySatisfy(
                                line ->
                                        assertThat(line)
                                                .startsWith("program_holdout.set tenant=" + shop[0])
                                                .contains("actor=dashboard:")
                                                .contains("share 0.125 (was 0.0)"));
            } finally {
                operator.detachAppender(lines);
                operator.setLevel(level);
            }
            JsonNode other = new Api(APP.getLocalPort(), keyB).get("/v1/program-holdout").json();
            assertThat(other.get("on").asBoolean()).as("another shop's is untouched").isFalse();
        }

        @Test
        void aShareThatIsNotANumberFrom0To20IsRefusedWithWhyAndChangesNothing() {
            assertThat(api.put("/v1/program-holdout", "{\"share\": 0.05}").status()).isEqualTo(200);
            JsonNode before = setting();
            DashboardClient browser = signedIn(shop[1]);
            for (String typed : new String[] {"abc", "25", "-1", "", "0.2e3", "NaN"}) {
                String token = DashboardClient.csrfOf(browser.get("/dashboard/lift").body());
                HttpResponse<String> refused =
                        browser.post(
                                "/dashboard/lift/program-holdout",
                                Map.of("share", typed, "csrf", token));

                assertThat(refused.statusCode()).as(typed).isEqualTo(422);
                assertThat(refused.body())
                        .as(typed)
                        .contains("id=\"program-error\"")
                        .contains(
                                "The share must be a number from 0 (off) to 20 (percent of"
                                        + " customers). Nothing was changed.")
                        .contains("value=\"" + typed + "\"")
                        .contains("<strong id=\"program-share-now\">5%</strong>");
                assertThat(setting()).as(typed).isEqualTo(before);
            }
        }

        @Test
        void withoutTheFormsTokenFromAnotherSiteOrWithoutTheCampaignsScopeNothingChanges() {
            JsonNode before = setting();
            DashboardClient browser = signedIn(shop[1]);
            String token = DashboardClient.csrfOf(browser.get("/dashboard/lift").body());

            assertThat(
                            browser.post("/dashboard/lift/program-holdout", Map.of("share", "10"))
                                    .statusCode())
                    .isEqualTo(403);
            assertThat(
                            browser.post(
                                            "/dashboard/lift/program-holdout",
                                            Map.of("share", "10", "csrf", token),
                                            "https://evil.example")
                                    .statusCode())
                    .isEqualTo(403);

            String reader =
                    api.post("/v1/api-keys", "{\"scopes\": [\"read\"]}")
                            .json()
                            .get("apiKey")
                            .asText();
            DashboardClient reading = signedIn(reader);
            String page = reading.get("/dashboard/lift").body();
            assertThat(page).doesNotContain("id=\"program-control\"");
            assertThat(
                            reading.post(
                                            "/dashboard/lift/program-holdout",
                                            Map.of(
                                                    "share",
                                                    "10",
                                                    "csrf",
                                                    DashboardClient.csrfOf(page)))
                                    .statusCode())
                    .isEqualTo(403);
            assertThat(setting()).isEqualTo(before);
        }
    }

    /**
     * A marketer sets the shop's sender on its own page, as {@code PUT /v1/sender-identity} does,
     * so that a first campaign launches without curl; the studio says beforehand that it is
     * missing.
     */
    @Nested
    class SenderPage {
        private final String[] shop = Api.newTenant(APP.getLocalPort(), "Sender Shop");
        private final Api api = new Api(APP.getLocalPort(), shop[1]);

        @Test
        void aMarketerWithoutASenderIsToldBeforeLaunchingAndSetsItOnTheSenderPage() {
            String campaignId =
                    api.post("/v1/campaigns", DashboardFixtures.campaignJson("First", 0.1))
                            .json()
                            .get("id")
                            .asText();
            DashboardClient browser = signedIn(shop[1]);
            assertThat(browser.get("/dashboard/campaigns").body())
                    .contains("id=\"sender-line\"")
                    .contains("No sender yet.");
            assertThat(browser.get("/dashboard/studio/" + campaignId).body())
                    .contains("id=\"sender-missing\"")
                    .contains("href=\"/dashboard/sender?campaign=" + campaignId + "\"");
            assertThat(browser.get("/dashboard/studio/" + campaignId + "/confirm/launch").body())
                    .contains("id=\"sender-missing\"");

            String form = browser.get("/dashboard/sender?campaign=" + campaignId).body();
            assertThat(form).contains("not set yet").contains("id=\"sender-save\"");
            HttpResponse<String> saved =
                    browser.post(
                            "/dashboard/sender",
                            Map.of(
                                    "fromName", "Souq Dates",
                                    "fromAddress", "offers@souq.example",
                                    "replyTo", "",
                                    "postalAddress", "1 Souq St, Riyadh",
                                    "websiteUrl", "https://souq.example",
                                    "campaign", campaignId,
                                    "csrf", DashboardClient.csrfOf(form)));

            assertThat(saved.statusCode()).isEqualTo(303);
            assertThat(location(saved)).isEqualTo("/dashboard/studio/" + campaignId);
            JsonNode sender = api.get("/v1/sender-identity").json();
            assertThat(sender.get("fromAddress").asText()).isEqualTo("offers@souq.example");
            assertThat(sender.get("fromName").asText()).isEqualTo("Souq Dates");
            assertThat(sender.get("postalAddress").asText()).isEqualTo("1 Souq St, Riyadh");
            assertThat(sender.get("websiteUrl").asText()).isEqualTo("https://souq.example");
            assertThat(sender.hasNonNull("replyTo")).as("a blank field is not given").isFalse();
            assertThat(browser.get("/dashboard/studio/" + campaignId).body())
                    .doesNotContain("id=\"sender-missing\"");
            assertThat(browser.get("/dashboard/campaigns").body())
                    .contains("Emails are sent from Souq Dates &lt;offers@souq.example&gt;");
            assertThat(api.post("/v1/campaigns/" + campaignId + "/launch", "{}").status())
                    .as("the launch the sender was missing for")
                    .isEqualTo(200);
            assertThat(new Api(APP.getLocalPort(), keyB).get("/v1/sender-identity").status())
                    .as("another shop's sender is untouched")
                    .isEqualTo(404);
        }

        @Test
        void aSenderTheApiWouldRefuseIsRefusedWithWhyAndChangesNothing() {
            String good =
                    "{\"fromAddress\": \"offers@souq.example\", \"fromName\": \"Souq\","
                            + " \"postalAddress\": \"1 Souq St\"}";
            assertThat(api.put("/v1/sender-identity", good).status()).isEqualTo(200);
            JsonNode before = api.get("/v1/sender-identity").json();
            DashboardClient browser = signedIn(shop[1]);
            String form = browser.get("/dashboard/sender").body();
            assertThat(form).contains("value=\"offers@souq.example\"");

            HttpResponse<String> refused =
                    browser.post(
                            "/dashboard/sender",
                            Map.of(
                                    "fromName", "Souq",
                                    "fromAddress", "not an address",
                                    "postalAddress", "",
                                    "csrf", DashboardClient.csrfOf(form)));

            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body())
                    .contains("id=\"sender-error\"")
                    .contains("fromAddress")
                    .contains("postalAddress")
                    .contains("value=\"not an address\"");
            assertThat(api.get("/v1/sender-identity").json()).isEqualTo(before);
        }

        @Test
        void withoutTheFormsTokenFromAnotherSiteOrWithoutTheCampaignsScopeNothingChanges() {
            DashboardClient browser = signedIn(shop[1]);
            String token = DashboardClient.csrfOf(browser.get("/dashboard/sender").body());
            Map<String, String> sender =
                    Map.of(
                            "fromName", "Souq",
                            "fromAddress", "offers@souq.example",
                            "postalAddress", "1 Souq St");
            assertThat(browser.post("/dashboard/sender", sender).statusCode()).isEqualTo(403);
            Map<String, String> withToken = new java.util.HashMap<>(sender);
            withToken.put("csrf", token);
            assertThat(
                            browser.post("/dashboard/sender", withToken, "https://evil.example")
                                    .statusCode())
                    .isEqualTo(403);

            String reader =
                    api.post("/v1/api-keys", "{\"scopes\": [\"read\"]}")
                            .json()
                            .get("apiKey")
                            .asText();
            DashboardClient reading = signedIn(reader);
            String page = reading.get("/dashboard/sender").body();
            assertThat(page).doesNotContain("id=\"sender-save\"").contains("readonly");
            withToken.put("csrf", DashboardClient.csrfOf(page));
            assertThat(reading.post("/dashboard/sender", withToken).statusCode()).isEqualTo(403);
            assertThat(api.get("/v1/sender-identity").status()).isEqualTo(404);
        }
    }

    @Nested
    class Pages {
        /** What Chromium sends when it navigates to a page. */
        static final String NAVIGATION =
                "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

        @Test
        void anAddressThatIsNoPageAnswersABrowserWithAPageAndScriptsWithTheProblem() {
            DashboardClient browser = signedIn(keyA);

            HttpResponse<String> page = browser.get("/dashboard/customers/12748", NAVIGATION);

            assertThat(page.statusCode()).isEqualTo(404);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("text/html");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'none'");
            assertThat(page.headers().firstValue("Cache-Control").orElseThrow())
                    .contains("no-store");
            assertThat(page.body())
                    .contains("<h1 id=\"error-title\">Not found</h1>")
                    .contains("<a href=\"/dashboard\">Back to the overview</a>")
                    .containsPattern("id=\"request-id\">req_[0-9a-f]+<")
                    .doesNotContain("\"status\"");
            // The studio's script and API clients ask for anything or JSON: they get the problem.
            for (String accept : new String[] {"*/*", "application/json", null}) {
                HttpResponse<String> problem = browser.get("/dashboard/customers/12748", accept);
                assertThat(problem.statusCode()).as(accept).isEqualTo(404);
                assertThat(problem.headers().firstValue("Content-Type").orElseThrow())
                        .as(accept)
                        .startsWith("application/problem+json");
                assertThat(problem.body()).contains("\"code\":\"not_found\"");
            }
            // Outside the dashboard a browser gets the API's problem too.
            HttpResponse<String> api = browser.get("/v1/no-such-route", NAVIGATION);
            assertThat(api.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/problem+json");
        }

        @Test
        void everyPageAnswersHtmlThatIsNeitherCachedNorFramed() {
            DashboardClient browser = signedIn(keyB);
            for (String path :
                    new String[] {
                        "/dashboard",
                        "/dashboard?days=30",
                        "/dashboard?days=365",
                        "/dashboard/models",
                        "/dashboard/customers",
                        "/dashboard/customers?customer=t-1",
                        "/dashboard/campaigns",
                        "/dashboard/campaigns/" + campaignB,
                        "/dashboard/lift",
                        "/dashboard/lift/" + campaignB
                    }) {
                HttpResponse<String> page = browser.get(path);
                assertThat(page.statusCode()).as(path).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type").orElseThrow())
                        .startsWith("text/html");
                assertThat(page.headers().firstValue("Cache-Control").orElseThrow())
                        .contains("no-store");
                assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                        .contains("frame-ancestors 'none'")
                        .contains("default-src 'none'");
                assertThat(page.body())
                        .contains("Skip to content")
                        .doesNotContain("<script")
                        .doesNotContain("src=\"http");
            }
        }

        @Test
        void theCampaignPageShowsLedgerCountsByState() {
            String page = signedIn(keyB).get("/dashboard/campaigns/" + campaignB).body();

            assertThat(page).contains("<td data-state=\"Sent\">40</td>");
            assertThat(page).contains("<td data-state=\"Held out\">40</td>");
            assertThat(page).contains("Nothing is waiting to be sent");
            assertThat(page).contains("+30 pp");
        }

        @Test
        void theModelsPageShowsTheActiveModelsOfflineScoresBesideTheirBaselines() {
            String[] shop = Api.newTenant(APP.getLocalPort(), "Scored Shop");
            storeModel(
                    shop[0],
                    "recommender",
                    "{}",
                    "{\"customers\": 40, \"holdout\": {\"status\": \"ok\", \"scores\": ["
                            + "{\"task\": \"discover\", \"model\": \"popularity\", \"k\": 20,"
                            + " \"recall\": 0.04, \"ndcg\": 0.05, \"coverage\": 0.03, \"customers\": 30},"
                            + "{\"task\": \"discover\", \"model\": \"als\", \"k\": 20,"
                            + " \"recall\": 0.0912, \"ndcg\": 0.11, \"coverage\": 0.4, \"customers\": 30},"
                            + "{\"task\": \"discover\", \"model\": \"als\", \"k\": 10,"
                            + " \"recall\": 0.05, \"ndcg\": 0.1, \"coverage\": 0.3, \"customers\": 30}]}}");

            String page = signedIn(shop[1]).get("/dashboard/models").body();

            assertThat(page).contains("id=\"model-quality\"");
            assertThat(page).contains("<td class=\"text\">als</td><td>0.0912</td>");
            assertThat(page).contains("popularity <span class=\"muted\">(baseline)</span>");
            assertThat(page)
                    .as("metrics with nothing to sum them up show unfolded")
                    .contains(
                            "<td class=\"text\"><dl class=\"kv\"><dt>customers</dt><dd>40</dd></dl></td>");
            assertThat(page)
                    .as("K = 10 is left to the API")
                    .doesNotContain("<td>0.0500</td><td>0.1000</td>");
        }

        @Test
        void eachVersionLeadsWithWhyItServesOrWhatItLearnedFromAndKeepsEveryFigureBelow() {
            String[] shop = Api.newTenant(APP.getLocalPort(), "Explained Shop");
            storeModel(
                    shop[0],
                    "recommender",
                    "{}",
                    "{\"customers\": 40, \"products\": 12, \"purchases\": 1234,"
                            + " \"trainingMillis\": 900}");
            storeModel(
                    shop[0],
                    "ease",
                    "{\"lambda\": 150}",
                    "{\"chosenModel\": \"ease\", \"choiceReason\": \"ease: validation"
                            + " Recall@20 EASE 0.0989, ALS 0.0953\","
                            + " \"validationCustomers\": 2605}");

            String page = signedIn(shop[1]).get("/dashboard/models").body();

            assertThat(page)
                    .contains(
                            "<p class=\"summary\">ease: validation Recall@20 EASE 0.0989, ALS"
                                    + " 0.0953</p><details><summary>All 3 figures</summary>")
                    .contains(
                            "<p class=\"summary\">Trained on 1,234 purchases by 40 customers, of"
                                    + " 12 products.</p><details><summary>All 4 figures</summary>")
                    .contains("<dt>validationCustomers</dt><dd>2,605</dd>");
        }

        @Test
        void theModelsPageSaysModelsTrainedWithoutARequestWereTrainedAndWhen() {
            String[] shop = Api.newTenant(APP.getLocalPort(), "Demo-trained Shop");
            DashboardClient browser = signedIn(shop[1]);
            assertThat(browser.get("/dashboard/models").body())
                    .contains("No model was trained yet, and no training run was requested.");

            // As ./hilal demo does: trained and stored directly, with no training request.
            new io.hilal.core.reco.ModelStore(
                            io.hilal.core.db.HilalJdbi.configure(
                                    org.jdbi.v3.core.Jdbi.create(
                                            TestDatabase.dataSource(DATABASE))),
                            java.time.Clock.fixed(
                                    java.time.Instant.parse("2026-11-02T09:30:00Z"),
                                    java.time.ZoneOffset.UTC))
                    .saveAndActivate(
                            shop[0],
                            new io.hilal.core.reco.ModelStore.Trained(
                                    "recommender",
                                    null,
                                    java.time.Instant.parse("2026-11-01T00:00:00Z"),
                                    "{}",
                                    "{\"customers\": 40}",
                                    new byte[] {1}));

            String page = browser.get("/dashboard/models").body();
            assertThat(page)
                    .doesNotContain("No training run was requested yet")
                    .contains(
                            "No training run was requested through the API; the versions above"
                                    + " were trained directly (as ./hilal demo does), the latest"
                                    + " on 2 Nov 2026, 09:30 UTC.");
        }

        @Test
        void theLiftPageChartsAndTabulatesTheStoredReportsNumbers() {
            String page = signedIn(keyB).get("/dashboard/lift").body();
            JsonNode repeat =
                    new Api(APP.getLocalPort(), keyB)
                            .get("/v1/campaigns/" + campaignB + "/lift")
                            .json()
                            .at("/metrics/repeatPurchaseRate");

            assertThat(repeat.get("difference").asDouble()).isCloseTo(0.30, within(1e-9));
            assertThat(page).contains("data-estimate=\"30\"");
            assertThat(page)
                    .contains("data-low=\"" + hundredths(repeat.get("low")) + "\"")
                    .contains("data-high=\"" + hundredths(repeat.get("high")) + "\"");
            assertThat(page)
                    .contains(
                            Format.signed(repeat.get("low").asDouble() * 100)
                                    + " to "
                                    + Format.signed(repeat.get("high").asDouble() * 100)
                                    + " pp");
            assertThat(page).contains("<td class=\"text status\">Final</td>");
        }

        @Test
        void theLiftReportPageShowsEveryMetricTheFinalLookAndTheSampleRatioCheck() {
            String page = signedIn(keyB).get("/dashboard/lift/" + campaignB).body();

            assertThat(page).contains("id=\"report-status\">Final</span>");
            assertThat(page).contains("The campaign raised repeat purchases");
            assertThat(page)
                    .contains("data-metric=\"repeat-rate\"")
                    .contains("data-metric=\"orders\"")
                    .contains("data-metric=\"revenue\"");
            assertThat(page).contains("Revenue per customer (USD)");
            assertThat(page).contains("id=\"incremental\">+");
            assertThat(page).contains("Final look, after every window closed");
            assertThat(page)
                    .contains("id=\"report-look\">Final report, after every customer&#39;s")
                    .contains("id=\"data-cutoff\">")
                    .contains("id=\"computed-at\">");
            assertThat(page)
                    .contains("<td class=\"text role\">Primary</td>")
                    .contains("<td class=\"text role\">Secondary</td>");
            assertThat(page)
                    .contains("50.0% of the customers were held out; 50.0% was planned")
                    .contains("the campaign&#39;s holdout share")
                    .contains("No sign of a broken assignment")
                    .doesNotContain("id=\"srm-alert\"");
            assertThat(page).contains("CUPED variance cut");
            assertThat(page).contains("id=\"treated-rate\">50.0%");
            assertThat(page).contains("id=\"holdout-rate\">20.0%");
        }

        @Test
        void aReportWithTooFewCustomersSaysNotEnoughDataYetInWords() {
            String[] shop = Api.newTenant(APP.getLocalPort(), "Small Shop");
            Instant sendAt = Instant.now().minus(Duration.ofDays(5));
            List<PlannedSend> sends = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sends.add(new PlannedSend("s-" + i, sendAt, sendAt.plusSeconds(3600), i == 0));
            }
            // Only the campaign service plans runs: the campaign exists, as every campaign does.
            String campaign =
                    new Api(APP.getLocalPort(), shop[1])
                            .post("/v1/campaigns", DashboardFixtures.campaignJson("tiny-test", 0.2))
                            .json()
                            .get("id")
                            .asText();
            fixtures.ledger().plan(new SendLedger.Run(shop[0], campaign, "run-1"), sends);
            DashboardClient browser = signedIn(shop[1]);

            String list = browser.get("/dashboard/lift").body();
            String report = browser.get("/dashboard/lift/" + campaign).body();

            assertThat(list)
                    .contains("<td class=\"text status\">Not enough data yet</td>")
                    .contains(
                            "Not enough data yet. Each arm needs at least 20 customers; treated"
                                    + " has 5, holdout 1.")
                    .doesNotContain("id=\"lift-forest\"");
            assertThat(report)
                    .contains("<h2>Not enough data yet</h2>")
                    .contains("Each arm needs at least 20 customers; treated has 5, holdout 1.");
            // Its counts are the stored report's, dated, not "now".
            String computedAt = org.jsoup.Jsoup.parse(report).select("#computed-at").text();
            assertThat(org.jsoup.Jsoup.parse(report).select("#computed-counts").text())
                    .startsWith(
                            "When it was computed (" + computedAt + "): 5 treated and 1 held out");
            assertThat(report).doesNotContain("Now: 5 treated");
            assertThat(report)
                    .as("the sample-ratio check expects the campaign's own holdout share")
                    .contains("the campaign&#39;s holdout share");
        }

        @Test
        void theDemosCapturedEmailsShowOnItsCampaignPageSafelyAndOnlyThere() {
            ((HilalApplication) APP.getApplication())
                    .demoOutbox()
                    .publish(
                            new DemoOutbox.Snapshot(
                                    tenantB,
                                    "b-secret-campaign",
                                    campaignB,
                                    37,
                                    List.of(
                                            new DemoOutbox.Email(
                                                    "t-1@example.invalid",
                                                    "Eid Mubarak <3",
                                                    "Eid Mubarak!\nUse code EID10.",
                                                    "<h2>Eid Mubarak!</h2><script>alert(1)</script>"
                                                            + "<img src=\"https://tracker.example/p\">")),
                                    Map.of("SENT", 37L, "HELD_OUT", 40L, "EXPIRED", 3L)));
            DashboardClient browser = signedIn(keyB);

            String page = browser.get("/dashboard/campaigns/" + campaignB).body();
            String list = browser.get("/dashboard/campaigns").body();

            assertThat(page).contains("id=\"demo-outbox\"").contains("it received\n    37 emails");
            assertThat(page).contains("Eid Mubarak &lt;3").contains("to t-1@example.invalid");
            assertThat(page)
                    .contains("sandbox srcdoc=\"&lt;h2&gt;Eid Mubarak!&lt;/h2&gt;&lt;script&gt;")
                    .doesNotContain("<script")
                    .doesNotContain("<h2>Eid Mubarak!</h2>");
            assertThat(page).contains("class=\"email-text\">Eid Mubarak!&#10;Use code EID10.");
            assertThat(page)
                    .contains("<td data-state=\"Sent\">37</td>")
                    .contains("<td data-state=\"Expired\">3</td>");
            assertThat(list)
                    .contains("href=\"/dashboard/campaigns/" + campaignB + "#demo-outbox\"");
            HttpResponse<String> answer = browser.get("/dashboard/campaigns/" + campaignB);
            assertThat(answer.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'none'")
                    .doesNotContain("script-src");

            String[] shop = shopWithDateBuyers("Outbox Neighbour");
            String own =
                    new Api(APP.getLocalPort(), shop[1])
                            .post("/v1/campaigns", DashboardFixtures.campaignJson("Own", 0.1))
                            .json()
                            .get("id")
                            .asText();
            assertThat(signedIn(shop[1]).get("/dashboard/campaigns/" + own).body())
                    .doesNotContain("demo-outbox");
        }

        @Test
        void aCustomerIdThatCannotExistIsExplained() {
            HttpResponse<String> page = signedIn(keyA).get("/dashboard/customers?customer=a%2Fb");

            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.body()).contains("must not contain");
        }
    }
}
