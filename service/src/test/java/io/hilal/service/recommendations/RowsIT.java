package io.hilal.service.recommendations;

import static io.hilal.service.testing.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class RowsIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    static Api api;

    @BeforeAll
    static void shop() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "rows");
        api = new Api(APP.getLocalPort(), tenant[1]);
        api.post(
                "/v1/products/batch",
                "{\"products\": [{\"id\": \"dates\", \"title\": \"Ajwa dates\", \"categories\": [\"Food\"]},"
                        + " {\"id\": \"coffee\", \"title\": \"Arabic coffee\", \"categories\": [\"Food\"]},"
                        + " {\"id\": \"cups\", \"title\": \"Finjan cups\", \"categories\": [\"Home\"]},"
                        + " {\"id\": \"retired\", \"title\": \"Old lamp\", \"hidden\": true}]}");
        List<String> events = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        for (int month = 0; month < 5; month++) {
            Instant at = start.plusSeconds(30L * 86400 * month);
            events.add(order("amina-" + month, "amina", at, "dates"));
            events.add(order("zaid-" + month, "zaid", at, "dates"));
            for (int other = 0; other < 4; other++) {
                events.add(
                        order(
                                "o-" + other + "-" + month,
                                "c-" + other,
                                at.plusSeconds(3600 * other),
                                "coffee",
                                "cups",
                                "retired"));
            }
        }
        events.add(order("latest", "c-9", start.plusSeconds(150L * 86400 - 86400 * 2), "coffee"));
        api.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}");
        TestApps.train(APP, tenant[0]);
    }

    @Test
    void servesARestockRowWithItsReasonToARegular() {
        Api.Reply reply = api.get("/v1/customers/amina/rows?rows=3&perRow=5");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode rows = reply.json();
        assertThat(rows.get("personalized").asBoolean()).isTrue();
        assertThat(rows.at("/rows/0/title").asText()).isEqualTo("Time to restock");
        assertThat(rows.at("/rows/0/items/0/productId").asText()).isEqualTo("dates");
        assertThat(rows.at("/rows/0/items/0/reason").asText())
                .startsWith("You buy this about every 30 days");
        assertThat(reply.body()).doesNotContain("retired");
    }

    @Test
    void aSearchJustPostedEarnsABecauseYouSearchedRowOfShowableMatches() {
        String search =
                "{\"messageId\": \"hala-search-1\", \"type\": \"search\", \"customerId\": \"hala\","
                        + " \"timestamp\": \"2026-05-30T09:00:00Z\", \"query\": \"finjan CUP\"}";
        String hidden =
                "{\"messageId\": \"hala-search-0\", \"type\": \"search\", \"customerId\": \"hala\","
                        + " \"timestamp\": \"2026-05-30T10:00:00Z\", \"query\": \"old lamp\"}";
        String noQuery =
                "{\"messageId\": \"hala-search-2\", \"type\": \"search\", \"customerId\": \"hala\","
                        + " \"timestamp\": \"2026-05-30T11:00:00Z\"}";
        Api.Reply posted = api.post("/v1/events", "{\"events\": [" + noQuery + "]}");
        assertThat(posted.json().at("/results/0/status").asText()).isEqualTo("rejected");
        assertThat(posted.json().at("/results/0/reason").asText()).contains("query");
        assertThat(api.get("/v1/customers/hala/rows").body())
                .doesNotContain("because-you-searched");

        api.post("/v1/events", "{\"events\": [" + search + ", " + hidden + "]}");

        // The newest search only finds a hidden product: the row answers the one before it.
        JsonNode rows = api.get("/v1/customers/hala/rows").json();
        JsonNode row = rows.at("/rows/0");
        assertThat(row.get("id").asText()).isEqualTo("because-you-searched");
        assertThat(row.get("title").asText())
                .isEqualTo("Because you searched for \u201cfinjan CUP\u201d");
        assertThat(row.at("/items/0/productId").asText()).isEqualTo("cups");
        assertThat(row.get("items")).hasSize(1);
        assertThat(rows.get("personalized").asBoolean()).isTrue();
        assertThat(rows.toString()).doesNotContain("retired");
        // Another tenant's customer of the same id searched nothing there.
        String[] other = Api.newTenant(APP.getLocalPort(), "rows-other");
        assertThat(new Api(APP.getLocalPort(), other[1]).get("/v1/customers/hala/rows").body())
                .doesNotContain("because-you-searched");
    }

    @Test
    void servesAnUnknownCustomerPopularRowsNotAnError() {
        JsonNode rows = api.get("/v1/customers/nobody/rows").json();
        assertThat(rows.get("personalized").asBoolean()).isFalse();
        assertThat(rows.at("/rows/0/id").asText()).isEqualTo("popular");
    }

    @Test
    void refusesRowCountsOutOfRange() {
        Api.Reply reply = api.get("/v1/customers/amina/rows?rows=11");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("code").asText()).isEqualTo("invalid_parameter");
    }

    @Test
    void listsRecommendationsWithCategoryAndExcludeFilters() {
        JsonNode all = api.get("/v1/customers/amina/recommendations?limit=5").json();
        assertThat(all.get("items")).isNotEmpty();
        JsonNode home = api.get("/v1/customers/amina/recommendations?category=Home").json();
        assertThat(home.get("items"))
                .allSatisfy(item -> assertThat(item.get("productId").asText()).isEqualTo("cups"));
        JsonNode without = api.get("/v1/customers/amina/recommendations?exclude=dates,cups").json();
        assertThat(without.toString()).doesNotContain("\"dates\"").doesNotContain("\"cups\"");
    }

    @Test
    void findsWhatIsBoughtWithAProductAnd404sForAnUnknownOne() {
        JsonNode similar = api.get("/v1/products/coffee/similar").json();
        assertThat(similar.at("/items/0/productId").asText()).isEqualTo("cups");
        assertThat(similar.toString()).doesNotContain("retired");
        assertThat(api.get("/v1/products/nothing/similar").status()).isEqualTo(404);
    }

    @Test
    void theProductPageOfAnUnknownProductIs404LikeItsSimilarProducts() {
        Api.Reply page = api.get("/v1/customers/amina/rows?context=product:nothing");
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.body()).contains("\"code\":\"not_found\"").contains("nothing");
        assertThat(api.get("/v1/products/nothing/similar").status()).isEqualTo(404);
        assertThat(api.get("/v1/customers/amina/rows?context=product:coffee").status())
                .isEqualTo(200);
    }

    @Test
    void aPurchaseJustPostedChangesTheRowsWithoutRetraining() {
        JsonNode before = api.get("/v1/customers/zaid/rows").json();
        assertThat(before.at("/rows/0/id").asText()).isEqualTo("time-to-restock");

        Instant justNow = Instant.parse("2026-05-30T09:00:00Z");
        api.post(
                "/v1/events",
                "{\"events\": [" + order("zaid-now", "zaid", justNow, "dates") + "]}");

        JsonNode after = api.get("/v1/customers/zaid/rows").json();
        assertThat(after.toString()).doesNotContain("time-to-restock");
    }

    @Test
    void keepsRowsToTheRequestedCategoriesAndRefusesAnUnknownContext() {
        JsonNode food = api.get("/v1/customers/amina/rows?category=Food").json();
        assertThat(food.get("rows")).isNotEmpty();
        assertThat(food.toString()).doesNotContain("\"cups\"");
        JsonNode noFood = api.get("/v1/customers/amina/rows?excludeCategory=Food").json();
        assertThat(noFood.toString()).doesNotContain("\"dates\"").doesNotContain("\"coffee\"");

        Api.Reply bad = api.get("/v1/customers/amina/rows?context=checkout");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("code").asText()).isEqualTo("invalid_parameter");
    }

    @Test
    void aStrangerOnAProductPageGetsWhatGoesWithItMarkedNotPersonalized() {
        JsonNode rows = api.get("/v1/customers/nobody/rows?context=product:coffee").json();
        assertThat(rows.at("/rows/0/id").asText()).isEqualTo("often-bought-together");
        assertThat(rows.at("/rows/0/items/0/productId").asText()).isEqualTo("cups");
        assertThat(rows.get("personalized").asBoolean()).isFalse();
    }

    @Test
    void aThumbsDownJustPostedTakesTheProductOffTheCustomersRowsAtOnce() {
        assertThat(api.get("/v1/customers/c-1/rows?context=product:coffee").body())
                .contains("\"cups\"");
        api.post(
                "/v1/events",
                "{\"events\": [{\"messageId\": \"no-cups\", \"type\": \"product_rated\","
                        + " \"customerId\": \"c-1\", \"productId\": \"cups\", \"rating\": \"down\"}]}");

        assertThat(api.get("/v1/customers/c-1/rows?context=product:coffee").body())
                .doesNotContain("\"cups\"");
        assertThat(api.get("/v1/customers/c-2/rows?context=product:coffee").body())
                .as("only for that customer")
                .contains("\"cups\"");
    }

    @Test
    void aCustomerWhoseOlderHistoryArrivesAfterTrainingIsPersonalizedAtOnce() {
        assertThat(api.get("/v1/customers/latecomer/rows").json().get("personalized").asBoolean())
                .isFalse();

        api.post("/v1/events", "{\"events\": [" + monthlyDates("latecomer") + "]}");

        JsonNode rows = api.get("/v1/customers/latecomer/rows").json();
        assertThat(rows.get("personalized").asBoolean()).isTrue();
        assertThat(rows.at("/rows/0/id").asText()).isEqualTo("time-to-restock");
        assertThat(rows.at("/rows/0/items/0/productId").asText()).isEqualTo("dates");
    }

    @Test
    void aRefundedPurchaseStopsCountingAsOwned() {
        api.post("/v1/events", "{\"events\": [" + monthlyDates("refunder") + "]}");
        assertThat(api.get("/v1/customers/refunder/rows").body()).contains("time-to-restock");

        api.post(
                "/v1/events",
                "{\"events\": [{\"messageId\": \"refunder-back\", \"type\": \"order_refunded\","
                        + " \"customerId\": \"refunder\", \"orderId\": \"C-refunder\","
                        + " \"timestamp\": \"2026-05-20T10:00:00Z\", \"lines\": [{\"productId\":"
                        + " \"dates\", \"quantity\": 4, \"unitPrice\": 10, \"currency\": \"SAR\"}]}]}");

        JsonNode rows = api.get("/v1/customers/refunder/rows").json();
        assertThat(rows.toString()).doesNotContain("time-to-restock");
        assertThat(rows.get("personalized").asBoolean()).isFalse();
    }

    @Test
    void anUntrainedTenantGetsItsBestSellersAndATrainingQueuedForTheWorkerNeverATrainingHere() {
        Api fresh = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "untrained")[1]);
        fresh.post(
                "/v1/products/batch",
                "{\"products\": [{\"id\": \"tea\", \"title\": \"Mint tea\"},"
                        + " {\"id\": \"cups\", \"title\": \"Finjan cups\"}]}");
        fresh.post(
                "/v1/events",
                "{\"events\": ["
                        + order("u1", "u-1", Instant.parse("2026-01-01T10:00:00Z"), "tea", "cups")
                        + ","
                        + order("u2", "u-2", Instant.parse("2026-01-02T10:00:00Z"), "tea")
                        + "]}");

        JsonNode rows = fresh.get("/v1/customers/someone/rows").json();

        assertThat(rows.at("/rows/0/id").asText()).isEqualTo("popular");
        assertThat(rows.at("/rows/0/items/0/productId").asText()).isEqualTo("tea");
        JsonNode models = fresh.get("/v1/models").json();
        assertThat(models.get("items")).as("nothing trained in the service").isEmpty();
        assertThat(models.at("/training/0/status").asText()).isEqualTo("PENDING");
        assertThat(fresh.get("/v1/products/cups/similar").json().get("items")).isEmpty();
    }

    /** Dates bought once a month, the last about four weeks before the shop's latest order. */
    private static String monthlyDates(String customer) {
        List<String> orders = new ArrayList<>();
        for (int month = 1; month <= 4; month++) {
            orders.add(
                    order(
                            customer + "-" + month,
                            customer,
                            Instant.parse("2026-01-01T12:00:00Z").plusSeconds(30L * 86400 * month),
                            "dates"));
        }
        return String.join(",", orders);
    }
}
