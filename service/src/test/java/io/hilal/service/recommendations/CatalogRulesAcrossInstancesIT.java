package io.hilal.service.recommendations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.Events;
import io.hilal.service.testing.TestApps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two service instances on one database, a model trained while every product was showable: a
 * product hidden, made unavailable, sold out or deleted through one instance leaves the other's
 * rows, recommendations, similar products and campaign emails within seconds, without retraining;
 * and the items served carry what the catalog says of them now.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CatalogRulesAcrossInstancesIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> SERVING = TestApps.app(DATABASE);
    static final DropwizardAppExtension<HilalConfiguration> INGESTING = TestApps.app(DATABASE);

    /** The catalog serving follows within a second; this leaves room for a busy machine. */
    static final Duration WITHIN = Duration.ofSeconds(10);

    /** Bought with coffee, each by its own shoppers: each test takes one off the shelf. */
    static final List<String> SIDES =
            List.of("cups", "saucers", "kettle", "tray", "cardamom", "sugar", "spoons");

    static Api serving;
    static Api ingesting;

    /** Another shop with the same catalog and history, where products are added and sold. */
    static Api freshServing;

    static Api freshIngesting;

    @BeforeAll
    static void shop() {
        String[] tenant = Api.newTenant(SERVING.getLocalPort(), "catalog-rules");
        serving = new Api(SERVING.getLocalPort(), tenant[1]);
        ingesting = new Api(INGESTING.getLocalPort(), tenant[1]);
        List<String> products = new ArrayList<>();
        products.add(product("coffee", "Arabic coffee", "Food"));
        products.add(product("dates", "Ajwa dates", "Food"));
        for (String side : SIDES) {
            products.add(product(side, "Finjan " + side, "Home"));
        }
        ingesting.post(
                "/v1/products/batch", "{\"products\": [" + String.join(",", products) + "]}");
        List<String> events = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        for (int shopper = 0; shopper < 6; shopper++) {
            for (String side : SIDES) {
                events.add(
                        Events.order(
                                side + "-" + shopper,
                                "c-" + shopper,
                                start.plusSeconds(86400L * shopper + SIDES.indexOf(side)),
                                "coffee",
                                side));
            }
        }
        events.add(Events.order("amina-1", "amina", start, "dates"));
        ingesting.put("/v1/customers/amina", "{\"locale\": \"ar-SA\"}");
        ingesting.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}");
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(DATABASE)));
        Clock clock = Clock.systemUTC();
        RecommendationTrainer trainer = new RecommendationTrainer(jdbi);
        TrainingService training =
                new TrainingService(
                        trainer, new ModelStore(jdbi, clock), new TenantService(jdbi, clock));
        training.train(tenant[0]);

        String[] fresh = Api.newTenant(SERVING.getLocalPort(), "fresh-sales");
        freshServing = new Api(SERVING.getLocalPort(), fresh[1]);
        freshIngesting = new Api(INGESTING.getLocalPort(), fresh[1]);
        freshIngesting.post(
                "/v1/products/batch", "{\"products\": [" + String.join(",", products) + "]}");
        freshIngesting.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}");
        training.train(fresh[0]);
    }

    /**
     * A product added after training and bought right after by several customers (through the other
     * instance) enters "Popular right now" at once, then "Trending this week" and its category's
     * row as its orders add up, with the rows' reasons; the same sales of a hidden new product show
     * nowhere; and nothing was trained again.
     */
    @Test
    void aProductAddedAfterTrainingSellsItsWayIntoPopularTrendingAndItsCategoryRow() {
        JsonNode models = freshServing.get("/v1/models").json().get("items");
        String home = "/v1/customers/visitor/rows?rows=10&perRow=20";
        String homeCategory = "/v1/customers/visitor/rows?rows=10&perRow=20&context=product:cups";
        // Served once before the products exist: the instance holds the model and its sales.
        assertThat(freshServing.get(home).status()).isEqualTo(200);
        assertThat(
                        freshIngesting
                                .put(
                                        "/v1/products/lantern",
                                        product("lantern", "Brass lantern", "Home"))
                                .status())
                .isEqualTo(200);
        String hidden = product("candle", "Oud candle", "Home");
        assertThat(
                        freshIngesting
                                .put(
                                        "/v1/products/candle",
                                        hidden.substring(0, hidden.length() - 1)
                                                + ", \"hidden\": true}")
                                .status())
                .isEqualTo(200);
        Instant now = Instant.now().minusSeconds(60);
        freshIngesting.post(
                "/v1/events",
                "{\"events\": ["
                        + Events.order("lantern-1", "buyer-1", now, "lantern", "candle")
                        + ","
                        + Events.order(
                                "lantern-2", "buyer-2", now.plusSeconds(1), "lantern", "candle")
                        + "]}");

        // Two orders: popular at once (nothing since training sold more), not trending yet.
        await().atMost(WITHIN)
                .untilAsserted(
                        () -> {
                            JsonNode rows = freshServing.get(home).json().get("rows");
                            assertThat(item(rows, "popular", "lantern"))
                                    .as(rows.toString())
                                    .isNotNull();
                            assertThat(item(rows, "popular", "lantern").get("reason").asText())
                                    .isEqualTo("Popular with shoppers right now");
                            assertThat(item(rows, "trending", "lantern")).isNull();
                        });

        freshIngesting.post(
                "/v1/events",
                "{\"events\": ["
                        + Events.order(
                                "lantern-3", "buyer-3", now.plusSeconds(2), "lantern", "candle")
                        + ","
                        + Events.order(
                                "lantern-4", "buyer-4", now.plusSeconds(3), "lantern", "candle")
                        + "]}");

        // Four orders this week and none before: trending, and first in its category's row.
        await().atMost(WITHIN)
                .untilAsserted(
                        () -> {
                            JsonNode rows = freshServing.get(home).json().get("rows");
                            assertThat(item(rows, "trending", "lantern"))
                                    .as(rows.toString())
                                    .isNotNull();
                            assertThat(item(rows, "trending", "lantern").get("reason").asText())
                                    .isEqualTo("New this week: in 4 orders");
                            JsonNode page = freshServing.get(homeCategory).json().get("rows");
                            assertThat(item(page, "popular-in-category", "lantern"))
                                    .as(page.toString())
                                    .isNotNull();
                            assertThat(
                                            row(page, "popular-in-category")
                                                    .at("/items/0/productId")
                                                    .asText())
                                    .isEqualTo("lantern");
                            assertThat(
                                            item(page, "popular-in-category", "lantern")
                                                    .get("reason")
                                                    .asText())
                                    .isEqualTo("Popular in Home this week");
                        });

        // The hidden product sold as much, in the same orders: it is in no row and no list.
        for (String path :
                List.of(
                        home,
                        homeCategory,
                        "/v1/customers/visitor/recommendations?limit=50",
                        "/v1/customers/c-1/rows?rows=10&perRow=20")) {
            Api.Reply reply = freshServing.get(path);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).as(path).contains("\"lantern\"").doesNotContain("\"candle\"");
        }
        // Served from the model trained before both products existed.
        assertThat(freshServing.get("/v1/models").json().get("items")).isEqualTo(models);
    }

    private static JsonNode row(JsonNode rows, String id) {
        for (JsonNode row : rows) {
            if (row.get("id").asText().equals(id)) {
                return row;
            }
        }
        return null;
    }

    /** The product's item in the row {@code id}, or null. */
    private static JsonNode item(JsonNode rows, String id, String productId) {
        JsonNode row = row(rows, id);
        if (row != null) {
            for (JsonNode item : row.get("items")) {
                if (item.get("productId").asText().equals(productId)) {
                    return item;
                }
            }
        }
        return null;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "cups    | \"hidden\": true",
                "saucers | \"available\": false",
                "kettle  | \"stock\": 0",
                "tray    | DELETE",
            })
    void aProductTakenOffThroughOneInstanceLeavesTheOthersAnswers(String productId, String change) {
        assertThat(shown(productId)).containsExactly(true, true, true);

        if (change.equals("DELETE")) {
            assertThat(ingesting.delete("/v1/products/" + productId).status()).isEqualTo(204);
        } else {
            assertThat(ingesting.put("/v1/products/" + productId, side(productId, change)).status())
                    .isEqualTo(200);
        }

        await().atMost(WITHIN)
                .untilAsserted(
                        () -> assertThat(shown(productId)).containsExactly(false, false, false));
    }

    @Test
    void aProductInStockOrShownAgainIsServed() {
        ingesting.put("/v1/products/sugar", side("sugar", "\"stock\": 0"));
        await().atMost(WITHIN).until(() -> !shown("sugar").get(0));

        ingesting.put("/v1/products/sugar", side("sugar", "\"stock\": 3"));

        await().atMost(WITHIN).until(() -> shown("sugar").get(0));
        assertThat(shown("sugar")).containsExactly(true, true, true);
    }

    @Test
    void aProductAddedAfterTrainingIsRecommendedAtOnceForWhatItIs() {
        assertThat(
                        ingesting
                                .put("/v1/products/mugs", product("mugs", "Finjan mugs", "Home"))
                                .status())
                .isEqualTo(200);

        await().atMost(WITHIN)
                .untilAsserted(
                        () -> {
                            JsonNode rows =
                                    serving.get("/v1/customers/c-1/rows?rows=10")
                                            .json()
                                            .get("rows");
                            JsonNode fresh = null;
                            for (JsonNode row : rows) {
                                if (row.get("id").asText().equals("new-for-you")) {
                                    fresh = row;
                                }
                            }
                            assertThat(fresh).as(rows.toString()).isNotNull();
                            assertThat(fresh.at("/items/0/productId").asText()).isEqualTo("mugs");
                            assertThat(fresh.at("/items/0/reason").asText())
                                    .startsWith("New in Home, like the Finjan ")
                                    .endsWith(" you bought");
                        });
    }

    @Test
    void aCampaignEmailRenderedRightAfterTheChangeLeavesTheProductOut() {
        String campaign =
                serving.post(
                                "/v1/campaigns",
                                """
                                {"name": "Coffee corner",
                                 "audience": {},
                                 "holdoutShare": 0.1,
                                 "offer": {"subject": "For you", "html": "<p>Hi</p>{{{productBlock}}}",
                                           "text": "Hi\\n{{productBlock}}",
                                           "products": {"context": "email", "rows": 5, "perRow": 10}},
                                 "schedule": {"type": "anchor", "anchor": {"date": "2030-01-10"},
                                              "localTime": "10:00", "validFor": "P3D"}}
                                """)
                        .json()
                        .get("id")
                        .asText();
        String preview = "/v1/campaigns/" + campaign + "/preview";
        assertThat(serving.post(preview, "{\"customerId\": \"amina\"}").body())
                .contains("Finjan spoons");

        ingesting.put("/v1/products/spoons", side("spoons", "\"hidden\": true"));

        await().atMost(WITHIN)
                .untilAsserted(
                        () ->
                                assertThat(serving.post(preview, "{\"customerId\": \"amina\"}"))
                                        .extracting(Api.Reply::body)
                                        .asString()
                                        .contains("Arabic coffee")
                                        .doesNotContain("Finjan spoons"));
    }

    @Test
    void deletingAProductThatIsNotThereIsNotFoundAndChangesNothing() {
        Api.Reply reply = ingesting.delete("/v1/products/nothing-here");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(serving.get("/v1/products/coffee").status()).isEqualTo(200);
    }

    @Test
    void anotherTenantCannotDeleteAProduct() {
        Api other =
                new Api(
                        INGESTING.getLocalPort(),
                        Api.newTenant(INGESTING.getLocalPort(), "other-shop")[1]);

        assertThat(other.delete("/v1/products/dates").status()).isEqualTo(404);
        assertThat(serving.get("/v1/products/dates").status()).isEqualTo(200);
    }

    @Test
    void itemsCarryWhatAPageShowsWithThePriceInTheCustomersLocale() {
        JsonNode rows =
                serving.get("/v1/customers/visitor/rows?context=product:coffee").json().get("rows");
        JsonNode recommended =
                serving.get("/v1/customers/amina/recommendations?limit=20").json().get("items");
        JsonNode similar = serving.get("/v1/products/coffee/similar").json().get("items");

        assertThat(rows).isNotEmpty();
        for (JsonNode row : rows) {
            for (JsonNode item : row.get("items")) {
                assertDressed(item, "SAR\u00a012.50"); // no locale known: English
            }
        }
        assertThat(recommended).isNotEmpty();
        recommended.forEach(item -> assertDressed(item, "١٢٫٥٠\u00a0ر.س.\u200f")); // amina's ar-SA
        assertThat(similar).isNotEmpty();
        similar.forEach(item -> assertDressed(item, "SAR\u00a012.50"));
        assertThat(
                        serving.get("/v1/customers/amina/recommendations?locale=de-DE")
                                .json()
                                .at("/items/0/formattedPrice")
                                .asText())
                .isEqualTo("12,50\u00a0SAR");
    }

    @Test
    void fieldsKeepsAnswersToWhatIsAskedFor() {
        JsonNode rows =
                serving.get("/v1/customers/visitor/rows?context=product:coffee&fields=id")
                        .json()
                        .get("rows");
        JsonNode recommended =
                serving.get("/v1/customers/amina/recommendations?fields=id,price")
                        .json()
                        .get("items");
        JsonNode similar =
                serving.get("/v1/products/coffee/similar?fields=title").json().get("items");

        assertThat(rows).isNotEmpty();
        assertThat(rows.get(0).get("title").asText()).startsWith("Often bought together");
        for (JsonNode row : rows) {
            row.get("items")
                    .forEach(
                            item ->
                                    assertThat(names(item))
                                            .containsExactly("productId", "position"));
        }
        assertThat(recommended).isNotEmpty();
        recommended.forEach(
                item ->
                        assertThat(names(item))
                                .containsExactly(
                                        "productId",
                                        "position",
                                        "price",
                                        "currency",
                                        "formattedPrice"));
        assertThat(similar).isNotEmpty();
        similar.forEach(
                item -> assertThat(names(item)).containsExactly("productId", "position", "title"));
    }

    @Test
    void anUnknownFieldOrLocaleIsABadRequest() {
        for (String path :
                List.of(
                        "/v1/customers/amina/rows?fields=id,colour",
                        "/v1/customers/amina/recommendations?fields=secret",
                        "/v1/products/coffee/similar?locale=not_a_tag")) {
            Api.Reply reply = serving.get(path);
            assertThat(reply.status()).as(path).isEqualTo(400);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().get("code").asText()).isEqualTo("invalid_parameter");
        }
    }

    private static void assertDressed(JsonNode item, String price) {
        String id = item.get("productId").asText();
        assertThat(names(item))
                .containsExactly(
                        "productId",
                        "position",
                        "score",
                        "reason",
                        "title",
                        "price",
                        "currency",
                        "formattedPrice",
                        "imageUrl",
                        "url");
        assertThat(item.get("title").asText())
                .isEqualTo(
                        switch (id) {
                            case "coffee" -> "Arabic coffee";
                            case "dates" -> "Ajwa dates";
                            default -> "Finjan " + id;
                        });
        assertThat(item.get("price").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(item.get("currency").asText()).isEqualTo("SAR");
        assertThat(item.get("formattedPrice").asText()).isEqualTo(price);
        assertThat(item.get("imageUrl").asText())
                .isEqualTo("https://souq.example/img/" + id + ".jpg");
        assertThat(item.get("url").asText()).isEqualTo("https://souq.example/p/" + id);
    }

    private static List<String> names(JsonNode item) {
        List<String> names = new ArrayList<>();
        item.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Whether the serving instance shows the product in a visitor's rows on the coffee page, in
     * their recommendations and among coffee's similar products.
     */
    private static List<Boolean> shown(String productId) {
        String quoted = "\"" + productId + "\"";
        List<Boolean> shown = new ArrayList<>();
        shown.add(
                serving.get("/v1/customers/visitor/rows?context=product:coffee&perRow=20")
                        .body()
                        .contains(quoted));
        shown.add(
                serving.get("/v1/customers/amina/recommendations?limit=50")
                        .body()
                        .contains(quoted));
        shown.add(serving.get("/v1/products/coffee/similar?limit=50").body().contains(quoted));
        return shown;
    }

    /** A side product as first sent, with {@code change} (JSON fields) added. */
    private static String side(String id, String change) {
        String product = product(id, "Finjan " + id, "Home");
        return product.substring(0, product.length() - 1) + ", " + change + "}";
    }

    private static String product(String id, String title, String category) {
        return "{\"id\": \""
                + id
                + "\", \"title\": \""
                + title
                + "\", \"categories\": [\""
                + category
                + "\"], \"price\": 12.5, \"currency\": \"SAR\", \"imageUrl\":"
                + " \"https://souq.example/img/"
                + id
                + ".jpg\", \"url\": \"https://souq.example/p/"
                + id
                + "\"}";
    }
}
