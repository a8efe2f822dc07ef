package io.hilal.service.recommendations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.Events;
import io.hilal.service.testing.TestApps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A product a customer bought leaves every discovery row of theirs (all rows but "Time to restock")
 * and their recommendations on the very next request, also when it was added to the catalog after
 * the tenant's training, so that no model knows it, and before any model was trained.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OwnedProductsIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();

    /** Live sales reach the rows within seconds (LiveSales refreshes every 2). */
    static final Duration WITHIN = Duration.ofSeconds(20);

    /** The pages a customer's rows are asked for, each as many rows as the API gives. */
    static final List<String> PAGES =
            List.of(
                    "?rows=10&perRow=50&fields=id",
                    "?rows=10&perRow=50&fields=id&context=cart",
                    "?rows=10&perRow=50&fields=id&context=email",
                    "?rows=10&perRow=50&fields=id&context=product:p1",
                    "?rows=10&perRow=50&fields=id&context=product:p-new9");

    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    /** After the trained orders, which end at {@code START} plus 40 days. */
    static final Instant AFTER_TRAINING = START.plusSeconds(45L * 86400);

    static Api trained;
    static Api other;

    @BeforeAll
    static void shops() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "owned");
        trained = new Api(APP.getLocalPort(), tenant[1]);
        shop(trained);
        TestApps.train(APP, tenant[0]);
        other = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "owned-other")[1]);
        shop(other);
    }

    /** Five products and customers who buy them in pairs over 40 days; c-x buys rugs and dates. */
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
        for (int day = 0; day < 40; day += 4) {
            for (int c = 0; c < 6; c++) {
                Instant at = START.plusSeconds(86400L * day + 3600L * c);
                events.add(Events.order("o-" + c + "-" + day, "c-" + c, at, baskets[c % 4]));
            }
        }
        events.add(Events.order("x-1", "c-x", START.plusSeconds(86400L * 10), "p1", "p3"));
        events.add(Events.order("x-2", "c-x", START.plusSeconds(86400L * 30), "p1"));
        api.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}");
    }

    /** Adds two products the model cannot know yet: Home products like the rug. */
    private static void newProducts(Api api) {
        for (String id : List.of("p-new9", "p-new10")) {
            String title = id.equals("p-new9") ? "New9" : "New10";
            assertThat(
                            api.put(
                                            "/v1/products/" + id,
                                            "{\"title\": \""
                                                    + title
                                                    + "\", \"categories\": [\"Home\"],"
                                                    + " \"price\": 3, \"currency\": \"USD\"}")
                                    .status())
                    .isLessThan(300);
        }
        // Serving reads the catalog within about a second: then the new product's page exists.
        await().atMost(WITHIN)
                .untilAsserted(
                        () ->
                                assertThat(api.get("/v1/products/p-new9/similar").status())
                                        .isEqualTo(200));
    }

    private static void buy(Api api, String orderId, String customer, String product) {
        Api.Reply posted =
                api.post(
                        "/v1/events",
                        "{\"events\": ["
                                + Events.order(orderId, customer, AFTER_TRAINING, product)
                                + "]}");
        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.json().at("/results/0/status").asText()).isEqualTo("accepted");
    }

    @Test
    void aNewProductJustBoughtLeavesEveryDiscoveryRowOfTheBuyerAtOnce() {
        newProducts(trained);
        buy(trained, "n9", "c-n9", "p-new9");
        buy(trained, "x-new10", "c-x", "p-new10");

        assertOwnedNowhere(trained, "c-n9", "p-new9");
        assertOwnedNowhere(trained, "c-x", "p-new10");

        // The new products sell, so rows show them to customers who did not buy them ...
        await().atMost(WITHIN)
                .untilAsserted(
                        () -> {
                            assertThat(discovery(trained, "stranger", PAGES.get(0)))
                                    .contains("p-new9", "p-new10");
                            assertThat(row(trained, "c-x", "new-for-you"))
                                    .as("new like the rug c-x bought")
                                    .containsExactly("p-new9");
                        });
        // ... but never to the customer who did.
        assertOwnedNowhere(trained, "c-n9", "p-new9");
        assertOwnedNowhere(trained, "c-x", "p-new10");
        assertThat(trained.get("/v1/customers/c-x/rows?fields=id").json().toString())
                .as("c-x still gets rows of their own")
                .contains("\"personalized\":true");
    }

    @Test
    void anotherTenantsCustomerOfTheSameIdStillSeesTheProduct() {
        newProducts(other);
        buy(other, "other-n9", "c-someone", "p-new9");

        await().atMost(WITHIN)
                .untilAsserted(
                        () ->
                                assertThat(discovery(other, "c-n9", PAGES.get(0)))
                                        .contains("p-new9"));
    }

    @Test
    void beforeAnyTrainingAProductJustBoughtIsNotRecommendedToItsBuyer() {
        Api untrained =
                new Api(
                        APP.getLocalPort(),
                        Api.newTenant(APP.getLocalPort(), "owned-untrained")[1]);
        shop(untrained);
        // Serving now holds the tenant's best sellers, built before the new product existed.
        assertThat(discovery(untrained, "stranger", PAGES.get(0))).contains("p1");
        newProducts(untrained);
        buy(untrained, "n9", "c-n9", "p-new9");

        assertOwnedNowhere(untrained, "c-n9", "p-new9");
        await().atMost(WITHIN)
                .untilAsserted(
                        () ->
                                assertThat(discovery(untrained, "stranger", PAGES.get(0)))
                                        .contains("p-new9"));
        assertOwnedNowhere(untrained, "c-n9", "p-new9");
    }

    /** Neither the customer's discovery rows on any page nor their recommendations hold it. */
    private static void assertOwnedNowhere(Api api, String customer, String product) {
        for (String page : PAGES) {
            assertThat(discovery(api, customer, page))
                    .as(customer + "'s rows " + page)
                    .doesNotContain(product);
        }
        JsonNode recommended =
                api.get("/v1/customers/" + customer + "/recommendations?limit=50&fields=id").json();
        List<String> ids = new ArrayList<>();
        recommended.get("items").forEach(item -> ids.add(item.get("productId").asText()));
        assertThat(ids).as(customer + "'s recommendations").doesNotContain(product);
    }

    /** The products of the customer's home page row {@code id}. */
    private static List<String> row(Api api, String customer, String id) {
        List<String> ids = new ArrayList<>();
        for (JsonNode row :
                api.get("/v1/customers/" + customer + "/rows?rows=10&perRow=50&fields=id")
                        .json()
                        .get("rows")) {
            if (row.get("id").asText().equals(id)) {
                row.get("items").forEach(item -> ids.add(item.get("productId").asText()));
            }
        }
        return ids;
    }

    /** The products of the customer's rows but "Time to restock", the one row of what they own. */
    private static List<String> discovery(Api api, String customer, String page) {
        Api.Reply reply = api.get("/v1/customers/" + customer + "/rows" + page);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode row : reply.json().get("rows")) {
            if (!row.get("id").asText().equals("time-to-restock")) {
                row.get("items").forEach(item -> ids.add(item.get("productId").asText()));
            }
        }
        return ids;
    }
}
