package io.hilal.service.dashboard;

import static io.hilal.service.testing.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The customer rows page says why a customer's rows are not personalized, truthfully: Hilal knows
 * nothing of them, or the trained model does not hold them yet (when it was trained, and what
 * trains it next), or no model is trained yet.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CustomerRowsPageIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();

    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    /** The newest purchase the model is trained on: it holds the purchases up to here. */
    static final Instant TRAINED_TO = START.plusSeconds(86400L * 36 + 3600L * 5);

    static String trainedKey;
    static String untrainedKey;

    @BeforeAll
    static void shops() {
        String[] trained = Api.newTenant(APP.getLocalPort(), "rows-page");
        trainedKey = trained[1];
        Api api = new Api(APP.getLocalPort(), trainedKey);
        shop(api);
        TestApps.train(APP, trained[0]);
        // After training: a product no model knows, and c-42 with a profile, consent and three
        // orders of it.
        api.put(
                "/v1/products/p-new",
                "{\"title\": \"New lantern\", \"categories\": [\"Home\"],"
                        + " \"price\": 3, \"currency\": \"USD\"}");
        api.put(
                "/v1/customers/c-42",
                "{\"email\": \"c42@example.invalid\", \"emailConsent\": {\"status\": \"granted\","
                        + " \"source\": \"test\"}}");
        List<String> orders = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            orders.add(order("c42-" + i, "c-42", TRAINED_TO.plusSeconds(86400L * i), "p-new"));
        }
        assertThat(api.post("/v1/events", "{\"events\": [" + String.join(",", orders) + "]}"))
                .extracting(Api.Reply::status)
                .isEqualTo(200);

        String[] untrained = Api.newTenant(APP.getLocalPort(), "rows-page-untrained");
        untrainedKey = untrained[1];
        Api fresh = new Api(APP.getLocalPort(), untrainedKey);
        shop(fresh);
    }

    /** Five products bought in pairs by six customers over 40 days. */
    private static void shop(Api api) {
        api.post(
                "/v1/products/batch",
                "{\"products\": [{\"id\": \"p1\", \"title\": \"Prayer rug\", \"categories\": [\"Home\"]},"
                        + " {\"id\": \"p2\", \"title\": \"Incense burner\", \"categories\": [\"Home\"]},"
                        + " {\"id\": \"p3\", \"title\": \"Ajwa dates\", \"categories\": [\"Food\"]},"
                        + " {\"id\": \"p4\", \"title\": \"Arabic coffee\", \"categories\": [\"Food\"]},"
                        + " {\"id\": \"p5\", \"title\": \"Finjan cups\", \"categories\": [\"Home\"]}]}");
        List<String> events = new ArrayList<>();
        String[][] baskets = {{"p1", "p2"}, {"p3", "p4"}, {"p4", "p5"}, {"p1", "p5"}};
        for (int day = 0; day <= 36; day += 4) {
            for (int c = 0; c < 6; c++) {
                Instant at = START.plusSeconds(86400L * day + 3600L * c);
                events.add(order("o-" + c + "-" + day, "c-" + c, at, baskets[c % 4]));
            }
        }
        api.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}");
    }

    private static Document page(String key, String customer) {
        DashboardClient browser = new DashboardClient(APP.getLocalPort());
        assertThat(browser.signInWithKey(key).statusCode()).isEqualTo(303);
        HttpResponse<String> page = browser.get("/dashboard/customers?customer=" + customer);
        assertThat(page.statusCode()).isEqualTo(200);
        return Jsoup.parse(page.body());
    }

    /** Why the page's rows are not personalized, or null when they are. */
    private static String why(String key, String customer) {
        Element why = page(key, customer).getElementById("not-personalized");
        return why == null ? null : why.text();
    }

    @Test
    void aBuyerTheTrainedModelDoesNotHoldYetIsNotCalledUnknown() {
        Api api = new Api(APP.getLocalPort(), trainedKey);
        assertThat(api.get("/v1/customers/c-42").status()).isEqualTo(200);
        assertThat(api.get("/v1/customers/c-42/rows").json().get("personalized").asBoolean())
                .as("their only product is one no model knows")
                .isFalse();

        String why = why(trainedKey, "c-42");

        assertThat(why)
                .doesNotContain("knows nothing")
                .contains("Customer c-42 is not in the trained model yet")
                .contains("trained on the purchases up to " + Text.TIME.format(TRAINED_TO))
                .contains("learns them")
                .contains("not personalized");
    }

    @Test
    void aCustomerHilalHasNeverSeenIsUnknownHereAndInAnotherShop() {
        assertThat(why(trainedKey, "nobody"))
                .isEqualTo(
                        "Hilal knows nothing of customer nobody yet: these rows are not"
                                + " personalized, they show what is popular.");
        assertThat(why(untrainedKey, "c-42")).startsWith("Hilal knows nothing of customer c-42");
    }

    @Test
    void aKnownCustomerOfAShopWithNoTrainedModelIsToldSo() {
        Api fresh = new Api(APP.getLocalPort(), untrainedKey);
        assertThat(
                        fresh.put(
                                        "/v1/customers/c-profile",
                                        "{\"email\": \"profile@example.invalid\"}")
                                .status())
                .isLessThan(300);

        assertThat(why(untrainedKey, "c-profile"))
                .doesNotContain("knows nothing")
                .contains("No model is trained for this shop yet")
                .contains("not personalized");
    }

    @Test
    void aTrainedCustomerGetsPersonalRowsAndNoExcuse() {
        assertThat(why(trainedKey, "c-1")).isNull();
    }
}
