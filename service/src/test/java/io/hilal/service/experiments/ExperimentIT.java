package io.hilal.service.experiments;

import static io.hilal.service.testing.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.ease.EaseModel;
import io.hilal.core.testing.TestDatabase;
import io.hilal.sdk.Callback;
import io.hilal.sdk.Event;
import io.hilal.sdk.HilalClient;
import io.hilal.sdk.RecommendationsParams;
import io.hilal.sdk.RowsParams;
import io.hilal.sdk.model.Recommendations;
import io.hilal.sdk.model.RecommendedItem;
import io.hilal.sdk.model.Rows;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.math.BigDecimal;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.jdbi.v3.core.Jdbi;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Impression ids on the rows and recommendations APIs, clicks and orders that name them, and model
 * experiments (split and team-draft interleaving) over real HTTP and the real database: serving by
 * arm, attribution, the report with its always-valid intervals, stopping, and tenant isolation.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ExperimentIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    static final Instant START = Instant.parse("2026-01-01T10:00:00Z");
    static final int CUSTOMERS = 24;

    static Api plain;
    static Api split;
    static Api interleaved;
    static Api other;
    static int messages;
    static final Map<String, String> KEYS = new HashMap<>();

    @BeforeAll
    static void shops() {
        plain = shop("exp-plain");
        split = shop("exp-split");
        interleaved = shop("exp-interleave");
        other = shop("exp-other");
    }

    /**
     * A shop of six product pairs, each customer buying two pairs, with two stored EASE versions
     * (the second keeping fewer weights), the first active.
     */
    static Api shop(String name) {
        String[] tenant = Api.newTenant(APP.getLocalPort(), name);
        Api api = new Api(APP.getLocalPort(), tenant[1]);
        KEYS.put(name, tenant[1]);
        List<String> catalog = new ArrayList<>();
        for (int pair = 0; pair < 6; pair++) {
            for (String side : new String[] {"a", "b"}) {
                catalog.add(
                        "{\"id\": \"" + side + pair + "\", \"title\": \"" + side + pair + "\"}");
            }
        }
        api.post("/v1/products/batch", "{\"products\": [" + String.join(",", catalog) + "]}");
        List<String> events = new ArrayList<>();
        Map<String, List<String>> baskets = new LinkedHashMap<>();
        for (int customer = 0; customer < CUSTOMERS; customer++) {
            int pair = customer % 6;
            int next = (customer + 1) % 6;
            // Each customer owns half of one pair and of the next: the other halves are to find.
            List<String> products = List.of("a" + pair, "b" + next);
            baskets.put("c" + customer, products);
            for (int day = 0; day < products.size(); day++) {
                events.add(
                        order(
                                name + "-o" + customer + "-" + day,
                                "c" + customer,
                                START.plusSeconds(86400L * day),
                                products.get(day)));
            }
        }
        for (int customer = 0; customer < 12; customer++) {
            baskets.put(
                    "t" + customer,
                    List.of("a" + customer % 6, "b" + customer % 6, "b" + (customer + 1) % 6));
        }
        api.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}");
        Jdbi jdbi =
                HilalJdbi.configure(
                        Jdbi.create(
                                TestDatabase.dataSource(
                                        APP.getConfiguration().getDatabase().getUrl())));
        ModelStore store = new ModelStore(jdbi, Clock.systemUTC());
        for (int keep : new int[] {2, 5}) {
            store.saveAndActivate(
                    tenant[0],
                    new ModelStore.Trained(
                            TrainingService.EASE_KIND,
                            null,
                            START.plusSeconds(86400L * 10),
                            "{\"keepPerProduct\": " + keep + "}",
                            "{\"chosenModel\": \"ease\", \"beatsPopularity\": true}",
                            EaseModel.train(baskets, 1.0, 1, keep).toBytes()),
                    TrainingService.PERSONAL_KINDS);
        }
        TestApps.train(APP, tenant[0]);
        return api;
    }

    static String click(String customer, String impressionId, String productId) {
        return "{\"messageId\": \"click-"
                + (++messages)
                + "\", \"type\": \"recommendation_clicked\", \"customerId\": \""
                + customer
                + "\", \"productId\": \""
                + productId
                + "\", \"impressionId\": \""
                + impressionId
                + "\"}";
    }

    static JsonNode send(Api api, String... events) {
        Api.Reply reply =
                api.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("results");
    }

    static JsonNode row(JsonNode rows, String id) {
        return StreamSupport.stream(rows.get("rows").spliterator(), false)
                .filter(row -> row.get("id").asText().equals(id))
                .findFirst()
                .orElse(null);
    }

    @Nested
    class Impressions {
        @Test
        void everyRowsAndRecommendationsResponseCarriesAnImpressionIdAndPositions() {
            JsonNode first = plain.get("/v1/customers/c1/rows?rows=3&perRow=4").json();
            JsonNode second = plain.get("/v1/customers/c1/rows?rows=3&perRow=4").json();
            JsonNode list = plain.get("/v1/customers/c1/recommendations?limit=5").json();

            assertThat(first.get("impressionId").asText()).startsWith("imp_").hasSize(34);
            assertThat(second.get("impressionId").asText())
                    .isNotEqualTo(first.get("impressionId").asText());
            assertThat(list.get("impressionId").asText()).startsWith("imp_");
            for (JsonNode row : first.get("rows")) {
                for (int i = 0; i < row.get("items").size(); i++) {
                    assertThat(row.at("/items/" + i + "/position").asInt()).isEqualTo(i + 1);
                }
            }
            assertThat(list.at("/items/0/position").asInt()).isEqualTo(1);
        }

        @Test
        void acceptsAClickOnAServedImpressionAndRejectsOthersWithAReason() {
            String served = plain.get("/v1/customers/c2/rows").json().get("impressionId").asText();
            String otherShops =
                    other.get("/v1/customers/c2/rows").json().get("impressionId").asText();
            String mistyped = served.substring(0, served.length() - 1) + "A";

            JsonNode results =
                    send(
                            plain,
                            click("c2", served, "b2"),
                            click("c2", otherShops, "b2"),
                            click("c2", mistyped.equals(served) ? served + "x" : mistyped, "b2"),
                            click("c2", "nonsense", "b2"));

            assertThat(results.at("/0/status").asText()).isEqualTo("accepted");
            assertThat(results.at("/1/status").asText()).isEqualTo("rejected");
            assertThat(results.at("/1/reason").asText())
                    .isEqualTo("impressionId was not issued to this shop (check the API key)");
            assertThat(results.at("/2/status").asText()).isEqualTo("rejected");
            assertThat(results.at("/2/reason").asText()).startsWith("impressionId is not");
            assertThat(results.at("/3/reason").asText())
                    .isEqualTo(
                            "impressionId is not an impression id Hilal issued (imp_ and 30"
                                    + " characters)");
        }

        @Test
        void storesAnOrderWhoseImpressionIdIsUnknownAndSaysItWasIgnored() {
            String otherShops =
                    other.get("/v1/customers/c3/rows").json().get("impressionId").asText();
            String order =
                    order("imp-order-1", "c3", Instant.parse("2026-02-01T10:00:00Z"), "a4")
                            .replace(
                                    "\"type\"",
                                    "\"impressionId\": \"" + otherShops + "\", \"type\"");

            JsonNode results = send(plain, order);

            assertThat(results.at("/0/status").asText()).isEqualTo("accepted");
            assertThat(results.at("/0/reason").asText())
                    .isEqualTo(
                            "impressionId was not issued to this shop (check the API key); the"
                                    + " order is stored without it");
            assertThat(send(plain, order).at("/0/status").asText()).isEqualTo("duplicate");
        }

        @Test
        void aClickNeedsItsImpressionAndOnlyClicksAndOrdersCarryOne() {
            JsonNode results =
                    send(
                            plain,
                            "{\"messageId\": \"bad-click\", \"type\": \"recommendation_clicked\","
                                    + " \"customerId\": \"c1\", \"productId\": \"a1\"}",
                            "{\"messageId\": \"bad-view\", \"type\": \"product_viewed\","
                                    + " \"customerId\": \"c1\", \"productId\": \"a1\","
                                    + " \"impressionId\": \"imp_x\"}");

            assertThat(results.at("/0/reason").asText()).contains("impressionId");
            assertThat(results.at("/1/reason").asText())
                    .contains("only recommendation_clicked and order_completed carry one");
        }
    }

    @Nested
    class Split {
        @Test
        void servesEachCustomerOneArmAndReportsTheDifferenceAndStops() {
            String body =
                    "{\"name\": \"EASE or popularity\", \"a\": {\"kind\": \"popularity\"},"
                            + " \"b\": {\"kind\": \"ease\", \"version\": 1}}";
            Api.Reply created = split.post("/v1/experiments", body);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("experimentId").asText();
            assertThat(created.json().at("/b/version").asInt()).isEqualTo(1);
            Api.Reply again = split.post("/v1/experiments", body);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().get("code").asText()).isEqualTo("experiment_running");

            Map<String, Boolean> picked = new HashMap<>();
            List<String> clicks = new ArrayList<>();
            for (int customer = 0; customer < CUSTOMERS; customer++) {
                String customerId = "c" + customer;
                JsonNode rows = split.get("/v1/customers/" + customerId + "/rows").json();
                JsonNode repeat = split.get("/v1/customers/" + customerId + "/rows").json();
                boolean hasPicked = row(rows, "picked-for-you") != null;
                // The same customer sees the same arm on every request.
                assertThat(row(repeat, "picked-for-you") != null).isEqualTo(hasPicked);
                picked.put(customerId, hasPicked);
                if (hasPicked) {
                    clicks.add(
                            click(
                                    customerId,
                                    rows.get("impressionId").asText(),
                                    row(rows, "picked-for-you").at("/items/0/productId").asText()));
                }
            }
            assertThat(picked.values()).contains(true, false);
            send(split, clicks.toArray(String[]::new));

            JsonNode report = split.get("/v1/experiments/" + id).json();
            long armB = picked.values().stream().filter(value -> value).count();
            assertThat(report.at("/arms/0/customers").asLong()).isEqualTo(CUSTOMERS - armB);
            assertThat(report.at("/arms/1/customers").asLong()).isEqualTo(armB);
            assertThat(report.at("/arms/1/model").asText()).isEqualTo("ease v1");
            assertThat(report.at("/arms/1/impressions").asLong()).isEqualTo(2 * armB);
            assertThat(report.at("/arms/1/clicks").asLong()).isEqualTo(armB);
            assertThat(report.at("/arms/0/clicks").asLong()).isZero();
            assertThat(report.at("/clickThrough/difference").asDouble()).isEqualTo(1.0);
            assertThat(report.at("/clickThrough/low").asDouble()).isGreaterThan(0);
            assertThat(report.get("verdict").asText())
                    .startsWith("B (ease v1) raised click-through over A (popularity)");

            Api.Reply stopped = split.post("/v1/experiments/" + id + "/stop", "");
            assertThat(stopped.json().get("status").asText()).isEqualTo("stopped");
            split.get("/v1/customers/c1/rows");
            JsonNode after = split.get("/v1/experiments/" + id).json();
            assertThat(
                            after.at("/arms/0/impressions").asLong()
                                    + after.at("/arms/1/impressions").asLong())
                    .isEqualTo(2L * CUSTOMERS);
            assertThat(split.get("/v1/experiments").json().at("/items/0/status").asText())
                    .isEqualTo("stopped");
        }

        @Test
        void anotherShopNeitherSeesNorStopsNorAttributesToIt() {
            Api owner = shop("exp-isolated");
            Api.Reply created =
                    owner.post(
                            "/v1/experiments",
                            "{\"name\": \"mine\", \"a\": {\"kind\": \"ease\", \"version\": 1},"
                                    + " \"b\": {\"kind\": \"ease\", \"version\": 2}}");
            String id = created.json().get("experimentId").asText();
            String impression =
                    owner.get("/v1/customers/c1/rows").json().get("impressionId").asText();

            assertThat(other.get("/v1/experiments/" + id).status()).isEqualTo(404);
            assertThat(other.post("/v1/experiments/" + id + "/stop", "").status()).isEqualTo(404);
            assertThat(other.get("/v1/experiments").json().get("items")).isEmpty();
            assertThat(send(other, click("c1", impression, "a1")).at("/0/status").asText())
                    .isEqualTo("rejected");
            assertThat(owner.get("/v1/experiments/" + id).json().at("/arms/0/clicks").asLong())
                    .isZero();
            assertThat(
                            owner.get("/v1/experiments/" + id)
                                    .json()
                                    .get("experiment")
                                    .get("status")
                                    .asText())
                    .isEqualTo("running");
        }

        @Test
        void rejectsVersionsTheShopDoesNotHaveAndUnknownModes() {
            Api.Reply missing =
                    other.post(
                            "/v1/experiments",
                            "{\"name\": \"x\", \"a\": {\"kind\": \"ease\", \"version\": 9},"
                                    + " \"b\": {\"kind\": \"popularity\"}}");
            Api.Reply mode =
                    other.post(
                            "/v1/experiments",
                            "{\"name\": \"x\", \"mode\": \"bandit\", \"a\": {\"kind\": \"ease\"},"
                                    + " \"b\": {\"kind\": \"als\"}}");

            assertThat(missing.status()).isEqualTo(422);
            assertThat(missing.contentType()).startsWith("application/problem+json");
            assertThat(missing.json().at("/errors/0/field").asText()).isEqualTo("a.version");
            assertThat(mode.status()).isEqualTo(422);
            assertThat(mode.json().at("/errors/0/field").asText()).isEqualTo("mode");
            assertThat(other.get("/v1/experiments").json().get("items")).isEmpty();
        }
    }

    /** The SDK's impression id on responses and its click helper, against this service. */
    @Nested
    class Sdk {
        @Test
        void reportsAClickAndAnOrderOnAnImpressionAndHearsOfAForeignOne() throws Exception {
            Api shop = shop("exp-sdk");
            String id =
                    shop.post(
                                    "/v1/experiments",
                                    "{\"name\": \"sdk\", \"a\": {\"kind\": \"ease\", \"version\": 1},"
                                            + " \"b\": {\"kind\": \"ease\", \"version\": 2}}")
                            .json()
                            .get("experimentId")
                            .asText();
            Tally tally = new Tally();
            try (HilalClient hilal =
                    HilalClient.builder(KEYS.get("exp-sdk"))
                            .endpoint(URI.create("http://127.0.0.1:" + APP.getLocalPort()))
                            .callback(tally)
                            .build()) {
                Rows rows = hilal.recommendations().rows("c4", RowsParams.builder().build());
                Recommendations list =
                        hilal.recommendations()
                                .forCustomer("c4", RecommendationsParams.builder().build());
                RecommendedItem item = rows.rows().get(0).items().get(0);
                String foreign =
                        other.get("/v1/customers/c4/rows").json().get("impressionId").asText();

                assertThat(rows.impressionId()).startsWith("imp_");
                assertThat(list.impressionId()).startsWith("imp_");
                assertThat(item.position()).isEqualTo(1);
                hilal.track(
                        Event.recommendationClicked("c4", rows.impressionId(), item.productId())
                                .messageId("sdk-click")
                                .build());
                hilal.track(
                        Event.orderCompleted("c4", "sdk-order")
                                .messageId("sdk-order")
                                .impressionId(rows.impressionId())
                                .line(item.productId(), 1, BigDecimal.TEN, "SAR")
                                .build());
                hilal.track(
                        Event.recommendationClicked("c4", foreign, item.productId())
                                .messageId("sdk-foreign")
                                .build());
                hilal.flush();
            }

            assertThat(tally.accepted).containsExactlyInAnyOrder("sdk-click", "sdk-order");
            assertThat(tally.rejected)
                    .containsEntry(
                            "sdk-foreign",
                            "impressionId was not issued to this shop (check the API key)");
            JsonNode report = shop.get("/v1/experiments/" + id).json();
            long clicks =
                    report.at("/arms/0/clicks").asLong() + report.at("/arms/1/clicks").asLong();
            long orders =
                    report.at("/arms/0/orders").asLong() + report.at("/arms/1/orders").asLong();
            assertThat(clicks).isEqualTo(1);
            assertThat(orders).isEqualTo(1);
        }
    }

    /** The Models page's experiments section, rendered by the real service and parsed. */
    @Nested
    class Dashboard {
        @Test
        void listsEachExperimentWithItsArmsAndResultForItsOwnShopOnly() throws Exception {
            Api shop = shop("exp-dashboard");
            String id =
                    shop.post(
                                    "/v1/experiments",
                                    "{\"name\": \"Picked by EASE\", \"a\": {\"kind\":"
                                            + " \"popularity\"}, \"b\": {\"kind\": \"ease\","
                                            + " \"version\": 1}}")
                            .json()
                            .get("experimentId")
                            .asText();
            for (int customer = 0; customer < 8; customer++) {
                shop.get("/v1/customers/c" + customer + "/rows");
            }
            JsonNode report = shop.get("/v1/experiments/" + id).json();

            Document page = Jsoup.parse(dashboard(KEYS.get("exp-dashboard"), "/dashboard/models"));
            Element experiment = page.getElementById("experiment-" + id);

            assertThat(experiment).as(page.select("main").text()).isNotNull();
            assertThat(experiment.selectFirst("h3").text()).isEqualTo("Picked by EASE running");
            assertThat(experiment.select(".experiment-arms tbody tr"))
                    .extracting(row -> row.select("td").get(1).text())
                    .containsExactly("popularity", "ease v1");
            assertThat(experiment.select(".experiment-arms tbody tr td:eq(2)"))
                    .extracting(Element::text)
                    .containsExactly(
                            report.at("/arms/0/customers").asText(),
                            report.at("/arms/1/customers").asText());
            assertThat(experiment.selectFirst(".verdict").text())
                    .isEqualTo(report.get("verdict").asText());
            Document otherPage = Jsoup.parse(dashboard(KEYS.get("exp-other"), "/dashboard/models"));
            assertThat(otherPage.getElementById("experiment-" + id)).isNull();
            assertThat(otherPage.getElementById("experiments-heading")).isNotNull();
        }

        /** Signs in with the key through the form, as a person would, and reads a page. */
        private String dashboard(String key, String path) throws Exception {
            String base = "http://127.0.0.1:" + APP.getLocalPort();
            HttpClient http =
                    HttpClient.newBuilder()
                            .cookieHandler(new CookieManager())
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
            String signIn =
                    http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/dashboard/sign-in"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            String csrf = Jsoup.parse(signIn).selectFirst("input[name=csrf]").attr("value");
            HttpResponse<String> signedIn =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/dashboard/sign-in"))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .header("Origin", base)
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "method=key&apiKey="
                                                            + URLEncoder.encode(
                                                                    key, StandardCharsets.UTF_8)
                                                            + "&csrf="
                                                            + csrf))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).isEqualTo(303);
            HttpResponse<String> answer =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            return answer.body();
        }
    }

    static final class Tally implements Callback {
        final Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Map<String, String> rejected = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void accepted(io.hilal.sdk.Event event) {
            accepted.add(event.messageId());
        }

        @Override
        public void rejected(io.hilal.sdk.Event event, String reason) {
            rejected.put(event.messageId(), reason);
        }
    }

    @Nested
    class Interleaving {
        @Test
        void interleavesBothArmsAndCreditsClicksToTheTeamThatContributedTheProduct() {
            Api.Reply created =
                    interleaved.post(
                            "/v1/experiments",
                            "{\"name\": \"EASE against popularity\", \"mode\": \"interleave\","
                                    + " \"a\": {\"kind\": \"popularity\"},"
                                    + " \"b\": {\"kind\": \"ease\", \"version\": 2}}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("experimentId").asText();
            JsonNode popular =
                    plain.get("/v1/customers/nobody/recommendations?limit=20").json().get("items");
            Set<String> popularIds = new HashSet<>();
            popular.forEach(item -> popularIds.add(item.get("productId").asText()));

            List<String> clicks = new ArrayList<>();
            int served = 0;
            for (int customer = 0; customer < CUSTOMERS; customer++) {
                String customerId = "c" + customer;
                JsonNode rows =
                        interleaved.get("/v1/customers/" + customerId + "/rows?perRow=4").json();
                JsonNode picked = row(rows, "picked-for-you");
                assertThat(picked).as(rows.toString()).isNotNull();
                served++;
                // Click what the personal model found: the half pairs the customer lacks.
                for (JsonNode item : picked.get("items")) {
                    String product = item.get("productId").asText();
                    if (product.equals("b" + customer % 6)) {
                        clicks.add(click(customerId, rows.get("impressionId").asText(), product));
                    }
                }
            }
            assertThat(clicks).isNotEmpty();
            send(interleaved, clicks.toArray(String[]::new));

            JsonNode report = interleaved.get("/v1/experiments/" + id).json();
            assertThat(report.at("/arms/0/customers").asInt()).isEqualTo(served);
            assertThat(report.at("/arms/0/clicks").asLong() + report.at("/arms/1/clicks").asLong())
                    .isEqualTo(clicks.size());
            assertThat(report.at("/arms/1/clicks").asLong())
                    .isGreaterThan(report.at("/arms/0/clicks").asLong());
            assertThat(report.at("/preference/customers").asLong()).isEqualTo(clicks.size());
            assertThat(report.at("/preference/difference").asDouble()).isGreaterThan(0);
            assertThat(report.get("verdict").asText()).contains("preference");
        }
    }

    /**
     * Orders in the report: every order an exposed customer places after first being served counts
     * for their arm, named impression or not; interleaved, for the team that showed its product.
     */
    @Nested
    class Orders {
        @Test
        void aSplitCountsEveryOrderAfterExposureForTheCustomersArmAndNoOthers() throws Exception {
            Api shop = shop("exp-orders");
            String id =
                    shop.post(
                                    "/v1/experiments",
                                    "{\"name\": \"orders\", \"a\": {\"kind\": \"popularity\"},"
                                            + " \"b\": {\"kind\": \"ease\", \"version\": 1}}")
                            .json()
                            .get("experimentId")
                            .asText();
            Map<String, String> armOf = new HashMap<>();
            Map<String, String> impressionOf = new HashMap<>();
            // Eight customers, more while an arm has fewer than two: the split is by a hash of
            // the random experiment id, and an arm of one has no orders per customer to compare
            // (one run in 14 drew that with eight customers).
            for (int customer = 0;
                    customer < 20
                            && (customer < 8
                                    || Collections.frequency(armOf.values(), "A") < 2
                                    || Collections.frequency(armOf.values(), "B") < 2);
                    customer++) {
                JsonNode rows = shop.get("/v1/customers/c" + customer + "/rows").json();
                armOf.put("c" + customer, row(rows, "picked-for-you") == null ? "A" : "B");
                impressionOf.put("c" + customer, rows.get("impressionId").asText());
            }
            // c20 stays unexposed, below.
            assertThat(Collections.frequency(armOf.values(), "A")).isGreaterThanOrEqualTo(2);
            assertThat(Collections.frequency(armOf.values(), "B")).isGreaterThanOrEqualTo(2);
            Instant after = Instant.now();
            List<String> orders = new ArrayList<>();
            for (String customer : armOf.keySet()) {
                // Ordered after being served, without naming the impression.
                orders.add(order("after-" + customer, customer, after, "a1", "b2"));
            }
            // c0's second order names its impression: attributed, and counted once.
            orders.add(
                    order("named-c0", "c0", after, "a3")
                            .replace(
                                    "\"type\"",
                                    "\"impressionId\": \""
                                            + impressionOf.get("c0")
                                            + "\", \"type\""));
            // Never served in the experiment: not counted.
            orders.add(order("unexposed-c20", "c20", after, "a1"));
            send(shop, orders.toArray(String[]::new));
            // The same customer ids ordering in another shop change nothing here.
            send(other, order("exp-orders-other-c1", "c1", after, "a1"));

            JsonNode report = shop.get("/v1/experiments/" + id).json();

            for (int arm = 0; arm < 2; arm++) {
                String name = arm == 0 ? "A" : "B";
                long customers = armOf.values().stream().filter(name::equals).count();
                long named = armOf.get("c0").equals(name) ? 1 : 0;
                JsonNode result = report.at("/arms/" + arm);
                assertThat(result.get("customers").asLong()).isEqualTo(customers);
                // The history each customer bought before the experiment does not count.
                assertThat(result.get("orders").asLong())
                        .as(report.toString())
                        .isEqualTo(customers + named);
                assertThat(result.get("attributedOrders").asLong()).isEqualTo(named);
                assertThat(result.get("ordersPerCustomer").asDouble())
                        .isCloseTo((customers + named) / (double) customers, within(1e-9));
            }
            assertThat(report.at("/ordersPerCustomer/customers").asLong()).isEqualTo(armOf.size());
            Element onPage =
                    Jsoup.parse(
                                    new Dashboard()
                                            .dashboard(KEYS.get("exp-orders"), "/dashboard/models"))
                            .getElementById("experiment-" + id);
            assertThat(onPage.select(".experiment-arms tbody tr td:eq(6)"))
                    .extracting(Element::text)
                    .containsExactly(
                            report.at("/arms/0/orders").asText(),
                            report.at("/arms/1/orders").asText());
            assertThat(onPage.select(".experiment-arms tbody tr td:eq(7)"))
                    .extracting(Element::text)
                    .containsExactly(
                            report.at("/arms/0/attributedOrders").asText(),
                            report.at("/arms/1/attributedOrders").asText());

            shop.post("/v1/experiments/" + id + "/stop", "");
            JsonNode stopped = shop.get("/v1/experiments/" + id).json();
            send(shop, order("after-stop-c1", "c1", Instant.now(), "a1"));
            JsonNode later = shop.get("/v1/experiments/" + id).json();
            assertThat(later.get("arms")).isEqualTo(stopped.get("arms"));
        }

        @Test
        void interleavingCreditsAnOrderToTheTeamThatShowedItsProductLast() {
            Api shop = shop("exp-interleave-orders");
            String id =
                    shop.post(
                                    "/v1/experiments",
                                    "{\"name\": \"orders\", \"mode\": \"interleave\","
                                            + " \"a\": {\"kind\": \"popularity\"},"
                                            + " \"b\": {\"kind\": \"ease\", \"version\": 2}}")
                            .json()
                            .get("experimentId")
                            .asText();
            Jdbi jdbi =
                    HilalJdbi.configure(
                            Jdbi.create(
                                    TestDatabase.dataSource(
                                            APP.getConfiguration().getDatabase().getUrl())));
            long[] expected = new long[2];
            List<String> orders = new ArrayList<>();
            Instant after = null;
            for (int customer = 0; customer < 8; customer++) {
                String customerId = "c" + customer;
                shop.get("/v1/customers/" + customerId + "/rows?perRow=4");
                // Served twice: the latest list decides the credit.
                JsonNode rows = shop.get("/v1/customers/" + customerId + "/rows?perRow=4").json();
                String impression = rows.get("impressionId").asText();
                Map<String, Object> stored =
                        jdbi.withHandle(
                                handle ->
                                        handle.createQuery(
                                                        "SELECT products, teams FROM impressions"
                                                                + " WHERE impression_id = :id")
                                                .bind("id", impression)
                                                .mapToMap()
                                                .one());
                String[] products = stored.get("products").toString().split("\t");
                String teams = stored.get("teams").toString();
                int pick = customer % products.length;
                expected[teams.charAt(pick) == 'A' ? 0 : 1]++;
                after = Instant.now();
                orders.add(
                        order("il-" + customerId, customerId, after, products[pick], "not-shown"));
            }
            orders.add(order("il-unexposed", "c20", after, "a1", "b1"));
            send(shop, orders.toArray(String[]::new));
            send(other, order("il-other-c0", "c0", after, "a1", "b1", "a2", "b2"));

            JsonNode report = shop.get("/v1/experiments/" + id).json();

            assertThat(report.at("/arms/0/customers").asLong()).isEqualTo(8);
            assertThat(report.at("/arms/0/orders").asLong())
                    .as(report.toString())
                    .isEqualTo(expected[0]);
            assertThat(report.at("/arms/1/orders").asLong()).isEqualTo(expected[1]);
            assertThat(report.at("/arms/1/ordersPerCustomer").asDouble())
                    .isCloseTo(expected[1] / 8.0, within(1e-9));
            // Each customer's one credited order is their vote.
            assertThat(report.at("/orderPreference/customers").asLong()).isEqualTo(8);
            assertThat(report.at("/orderPreference/difference").asDouble())
                    .isCloseTo((expected[1] - expected[0]) / 8.0, within(1e-9));
        }
    }
}
