package io.hilal.service.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.ease.EaseModel;
import io.hilal.core.reco.graph.Rp3betaModel;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.dashboard.DashboardClient;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.Events;
import io.hilal.service.testing.TestApps;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tenants whose worker chose EASE, or RP3beta, for "Picked for you" (the choice itself is tested in
 * core's TrainingServiceIT): the rows API serves the row from the stored version, and the models
 * API and the dashboard's Models page show the choice and its validation figures with that version.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PersonalModelIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    static final String REASON =
            "ease: validation Recall@20 EASE 0.9000, ALS 0.4000 (popularity 0.0500) on each"
                    + " customer's newest 20% of purchases";
    static final String GRAPH_REASON =
            "rp3beta: validation Recall@20 RP3beta 0.9500 is above ease's 0.9000 (ease: validation"
                    + " Recall@20 EASE 0.9000, ALS 0.4000 (popularity 0.0500) on each customer's"
                    + " newest 20% of purchases)";
    static Api api;
    static Api graphApi;
    static String graphKey;

    @BeforeAll
    static void shopsServedByItemToItemModels() {
        api =
                shop(
                        "pairs",
                        TrainingService.EASE_KIND,
                        "{\"lambda\": 1.0, \"keepPerProduct\": 5}",
                        REASON,
                        baskets -> EaseModel.train(baskets, 1.0, 1, 5).toBytes());
        graphApi =
                shop(
                        "graph",
                        TrainingService.RP3BETA_KIND,
                        "{\"alpha\": 0.5, \"beta\": 0.5, \"keepPerProduct\": 5}",
                        GRAPH_REASON,
                        baskets -> Rp3betaModel.train(baskets, 0.5, 0.5, 5, 1).toBytes());
    }

    /**
     * A shop whose customers buy products in pairs, with a personal model of {@code kind} stored
     * and active as the worker stores its choice (TrainingService#trainPersonal).
     */
    private static Api shop(
            String name,
            String kind,
            String params,
            String reason,
            Function<Map<String, List<String>>, byte[]> artifact) {
        String[] tenant = Api.newTenant(APP.getLocalPort(), name);
        Api api = new Api(APP.getLocalPort(), tenant[1]);
        if (kind.equals(TrainingService.RP3BETA_KIND)) {
            graphKey = tenant[1];
        }
        List<String> catalog = new ArrayList<>();
        for (int pair = 0; pair < 6; pair++) {
            for (String side : new String[] {"a", "b"}) {
                catalog.add(
                        "{\"id\": \"" + side + pair + "\", \"title\": \"" + side + pair + "\"}");
            }
        }
        api.post("/v1/products/batch", "{\"products\": [" + String.join(",", catalog) + "]}");
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        List<String> events = new ArrayList<>();
        Map<String, List<String>> baskets = new LinkedHashMap<>();
        for (int customer = 0; customer < 12; customer++) {
            int pair = customer % 6;
            int other = (customer + 1) % 6;
            List<String> products = List.of("a" + pair, "b" + pair, "a" + other, "b" + other);
            baskets.put("c" + customer, products);
            for (int day = 0; day < products.size(); day++) {
                events.add(
                        Events.order(
                                "o" + customer + "-" + day,
                                "c" + customer,
                                start.plusSeconds(86400L * day),
                                products.get(day)));
            }
        }
        events.add(Events.order("z-0", "zara", start.plusSeconds(86400L * 10), "a3"));
        api.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}");

        Jdbi jdbi =
                HilalJdbi.configure(
                        Jdbi.create(
                                TestDatabase.dataSource(
                                        APP.getConfiguration().getDatabase().getUrl())));
        new ModelStore(jdbi, Clock.systemUTC())
                .saveAndActivate(
                        tenant[0],
                        new ModelStore.Trained(
                                kind,
                                null,
                                start.plusSeconds(86400L * 10),
                                params,
                                "{\"chosenModel\": \""
                                        + kind
                                        + "\", \"choiceReason\": \""
                                        + reason
                                        + "\", \"easeValidationRecall@20\": 0.9,"
                                        + " \"alsValidationRecall@20\": 0.4, \"beatsPopularity\": true}",
                                artifact.apply(baskets)),
                        TrainingService.PERSONAL_KINDS);
        TestApps.train(APP, tenant[0]);
        return api;
    }

    @Test
    void showsTheChoiceAndWhyWithTheModelVersion() {
        JsonNode models = api.get("/v1/models").json();
        JsonNode ease =
                StreamSupport.stream(models.get("items").spliterator(), false)
                        .filter(version -> version.get("kind").asText().equals("ease"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no EASE version in " + models));

        assertThat(ease.get("active").asBoolean()).isTrue();
        assertThat(ease.at("/metrics/chosenModel").asText()).isEqualTo("ease");
        assertThat(ease.at("/metrics/choiceReason").asText()).isEqualTo(REASON);
    }

    @Test
    void servesPickedForYouFromTheEaseModel() {
        JsonNode rows = api.get("/v1/customers/zara/rows?rows=6&perRow=5").json();
        JsonNode picked =
                StreamSupport.stream(rows.get("rows").spliterator(), false)
                        .filter(row -> row.get("id").asText().equals("picked-for-you"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no picked-for-you row in " + rows));

        assertThat(rows.get("personalized").asBoolean()).isTrue();
        assertThat(picked.at("/items/0/productId").asText()).isEqualTo("b3");
        assertThat(picked.at("/items/0/reason").asText()).isEqualTo("Goes with the a3 you bought");
        assertThat(picked.get("items").toString()).doesNotContain("\"a3\"");
    }

    @Test
    void showsTheRp3betaChoiceAndWhyInTheModelsApiAndOnTheModelsPage() {
        JsonNode models = graphApi.get("/v1/models").json();
        JsonNode graph =
                StreamSupport.stream(models.get("items").spliterator(), false)
                        .filter(version -> version.get("kind").asText().equals("rp3beta"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no RP3beta version in " + models));
        assertThat(graph.get("active").asBoolean()).isTrue();
        assertThat(graph.at("/metrics/chosenModel").asText()).isEqualTo("rp3beta");
        assertThat(graph.at("/metrics/choiceReason").asText()).isEqualTo(GRAPH_REASON);
        assertThat(graph.at("/params/beta").asDouble()).isEqualTo(0.5);

        DashboardClient browser = new DashboardClient(APP.getLocalPort());
        assertThat(browser.signInWithKey(graphKey).statusCode()).isEqualTo(303);
        HttpResponse<String> page = browser.get("/dashboard/models");
        assertThat(page.statusCode()).isEqualTo(200);
        String versions = page.body().substring(page.body().indexOf("id=\"model-versions\""));
        assertThat(versions)
                .contains("rp3beta <span class=\"badge active\">active</span>")
                .contains("rp3beta: validation Recall@20 RP3beta 0.9500 is above ease")
                .contains("0.9000 (ease: validation Recall@20 EASE 0.9000");
    }

    @Test
    void servesPickedForYouFromTheRp3betaModelWithTheOwnedProductThatExplainsIt() {
        JsonNode rows = graphApi.get("/v1/customers/zara/rows?rows=6&perRow=5").json();
        JsonNode picked =
                StreamSupport.stream(rows.get("rows").spliterator(), false)
                        .filter(row -> row.get("id").asText().equals("picked-for-you"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no picked-for-you row in " + rows));

        assertThat(rows.get("personalized").asBoolean()).isTrue();
        assertThat(picked.at("/items/0/productId").asText()).isEqualTo("b3");
        assertThat(picked.at("/items/0/reason").asText()).isEqualTo("Goes with the a3 you bought");
        assertThat(picked.get("items").toString()).doesNotContain("\"a3\"");
    }

    @Test
    void theStudioShowsTheRowsTheCampaignEmailShowsNotThoseOfTheRowsApi() {
        // The rows API serves zara a "Picked for you" row from the personal model ...
        JsonNode served = graphApi.get("/v1/customers/zara/rows?context=email&rows=2").json();
        assertThat(served.at("/rows/0/id").asText()).isEqualTo("picked-for-you");
        Api.Reply created =
                graphApi.post(
                        "/v1/campaigns",
                        """
                        {"name": "Pairs", "holdoutShare": 0.1,
                         "offer": {"subject": "Hi", "html": "<p>Hi</p>{{{productBlock}}}",
                                   "text": "Hi\\n{{productBlock}}",
                                   "products": {"context": "email", "rows": 2, "perRow": 3}},
                         "schedule": {"type": "at", "date": "2030-04-06", "localTime": "10:00"}}
                        """);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        String email =
                graphApi.post("/v1/campaigns/" + id + "/preview", "{\"customerId\": \"zara\"}")
                        .json()
                        .at("/email/text")
                        .asText();

        // ... which the campaign's email, composed without it, does not show: nor may the studio,
        // whose panel says it shows the rows of the email beside it.
        DashboardClient browser = new DashboardClient(APP.getLocalPort());
        assertThat(browser.signInWithKey(graphKey).statusCode()).isEqualTo(303);
        org.jsoup.nodes.Document page =
                org.jsoup.Jsoup.parse(
                        browser.get("/dashboard/studio/" + id + "?customer=zara").body());
        List<String> titles = page.select("#customer-rows h4").eachText();
        assertThat(titles).isNotEmpty().doesNotContain("Picked for you");
        for (String title : titles) {
            assertThat(email).contains(title);
        }
        for (String product : page.select("#customer-rows li").eachAttr("data-product")) {
            assertThat(email).contains(product);
        }
    }
}
