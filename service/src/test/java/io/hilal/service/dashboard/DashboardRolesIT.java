package io.hilal.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.dashboard.DashboardRole;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19: a {@code read} key could launch, pause and resume campaigns through the dashboard,
 * because sessions carried no scopes. A session now has its key's scopes, or its user's role's, and
 * every POST checks them: over real HTTP, a reader is refused with a 403 page and nothing changes;
 * a marketer may.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardRolesIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app(DATABASE);
    private static final String PASSWORD = "a long enough passphrase";

    static DashboardFixtures fixtures;
    static String tenantId;
    static Api admin;
    static String readKey;
    static String campaignsKey;

    @BeforeAll
    static void aShopWithKeysAndUsersOfEveryRole() {
        fixtures = new DashboardFixtures(DATABASE);
        String[] shop = Api.newTenant(APP.getLocalPort(), "Roles Shop");
        tenantId = shop[0];
        admin = new Api(APP.getLocalPort(), shop[1]);
        admin.put(
                "/v1/products/p-dates",
                "{\"title\": \"Ajwa dates\", \"categories\": [\"Food\", \"Dates\"],"
                        + " \"price\": 9.5, \"currency\": \"USD\"}");
        admin.put(
                "/v1/customers/c-1",
                "{\"email\": \"c1@example.invalid\", \"emailConsent\": {\"status\": \"granted\","
                        + " \"source\": \"test\"}}");
        assertThat(
                        admin.post(
                                        "/v1/events",
                                        "{\"events\": [{\"messageId\": \"o-1\", \"type\":"
                                                + " \"order_completed\", \"customerId\": \"c-1\","
                                                + " \"timestamp\": \"2024-01-01T10:00:00Z\","
                                                + " \"orderId\": \"o-1\", \"lines\": [{\"productId\":"
                                                + " \"p-dates\", \"quantity\": 1, \"unitPrice\": 9.5,"
                                                + " \"currency\": \"USD\"}]}]}")
                                .status())
                .isEqualTo(200);
        admin.put(
                "/v1/sender-identity",
                "{\"fromAddress\": \"offers@roles.example\", \"fromName\": \"Roles\","
                        + " \"postalAddress\": \"1 Souq St, Riyadh\"}");
        readKey = key("read");
        campaignsKey = key("read\", \"campaigns");
        for (DashboardRole role : DashboardRole.values()) {
            fixtures.auth().createUser(tenantId, email(role), PASSWORD.toCharArray(), role);
        }
    }

    private static String key(String scopes) {
        Api.Reply created = admin.post("/v1/api-keys", "{\"scopes\": [\"" + scopes + "\"]}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("apiKey").asText();
    }

    private static String email(DashboardRole role) {
        return role.wireName() + "@roles.example";
    }

    private static DashboardClient withKey(String key) {
        DashboardClient browser = new DashboardClient(APP.getLocalPort());
        assertThat(browser.signInWithKey(key).statusCode()).isEqualTo(303);
        return browser;
    }

    private static DashboardClient asUser(DashboardRole role) {
        DashboardClient browser = new DashboardClient(APP.getLocalPort());
        assertThat(browser.signInWithPassword(email(role), PASSWORD).statusCode()).isEqualTo(303);
        return browser;
    }

    private static String campaign(String name) {
        return admin.post("/v1/campaigns", DashboardFixtures.campaignJson(name, 0.1))
                .json()
                .get("id")
                .asText();
    }

    private static String status(String campaignId) {
        return admin.get("/v1/campaigns/" + campaignId).json().get("status").asText();
    }

    private static HttpResponse<String> control(
            DashboardClient browser, String campaignId, String action) {
        String page = browser.get("/dashboard/campaigns/" + campaignId).body();
        return browser.post(
                "/dashboard/campaigns/" + campaignId + "/" + action,
                Map.of("csrf", DashboardClient.csrfOf(page)));
    }

    private static void cannotControlCampaigns(Supplier<DashboardClient> signIn) {
        DashboardClient browser = signIn.get();
        String draft = campaign("Draft for a reader");
        String page = browser.get("/dashboard/campaigns/" + draft).body();
        assertThat(page).contains("Draft for a reader").doesNotContain(">Launch</button>");

        HttpResponse<String> launch = control(browser, draft, "launch");
        assertThat(launch.statusCode()).isEqualTo(403);
        assertThat(launch.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("text/html");
        assertThat(launch.body()).contains("needs the &#39;campaigns&#39; scope");
        assertThat(status(draft)).isEqualTo("draft");
        assertThat(
                        admin.get("/v1/campaigns/" + draft + "/ledger")
                                .json()
                                .at("/counts/PLANNED")
                                .asLong())
                .isZero();

        String scheduled = campaign("Scheduled for a reader");
        assertThat(control(withKey(campaignsKey), scheduled, "launch").statusCode()).isEqualTo(303);
        assertThat(control(browser, scheduled, "pause").statusCode()).isEqualTo(403);
        assertThat(status(scheduled)).isEqualTo("scheduled");

        assertThat(control(withKey(campaignsKey), scheduled, "pause").statusCode()).isEqualTo(303);
        assertThat(control(browser, scheduled, "launch").statusCode()).isEqualTo(403);
        assertThat(status(scheduled)).isEqualTo("paused");
    }

    @Test
    void aReadKeyCannotLaunchPauseOrResume() {
        cannotControlCampaigns(() -> withKey(readKey));
    }

    @Test
    void aViewerCannotLaunchPauseOrResume() {
        cannotControlCampaigns(() -> asUser(DashboardRole.VIEWER));
    }

    @Test
    void aMarketerAndAnAdminCanLaunchPauseAndResume() {
        for (DashboardRole role :
                new DashboardRole[] {DashboardRole.MARKETER, DashboardRole.ADMIN}) {
            DashboardClient browser = asUser(role);
            String id = campaign("Run by a " + role.wireName());
            assertThat(browser.get("/dashboard/campaigns/" + id).body())
                    .contains(">Launch</button>");
            assertThat(control(browser, id, "launch").statusCode()).isEqualTo(303);
            assertThat(status(id)).isEqualTo("scheduled");
            assertThat(control(browser, id, "pause").statusCode()).isEqualTo(303);
            assertThat(status(id)).isEqualTo("paused");
            assertThat(control(browser, id, "launch").statusCode()).isEqualTo(303);
            assertThat(status(id)).isEqualTo("scheduled");
        }
    }

    @Test
    void demotingAUserTakesEffectOnTheirOpenSession() {
        String email = "demoted@roles.example";
        fixtures.auth().createUser(tenantId, email, PASSWORD.toCharArray(), DashboardRole.MARKETER);
        DashboardClient browser = new DashboardClient(APP.getLocalPort());
        assertThat(browser.signInWithPassword(email, PASSWORD).statusCode()).isEqualTo(303);
        String id = campaign("Demotion");
        String page = browser.get("/dashboard/campaigns/" + id).body();

        fixtures.auth().setRole(tenantId, email, DashboardRole.VIEWER);

        HttpResponse<String> launch =
                browser.post(
                        "/dashboard/campaigns/" + id + "/launch",
                        Map.of("csrf", DashboardClient.csrfOf(page)));
        assertThat(launch.statusCode()).isEqualTo(403);
        assertThat(status(id)).isEqualTo("draft");
        assertThat(browser.get("/dashboard").statusCode()).isEqualTo(200);
    }
}
