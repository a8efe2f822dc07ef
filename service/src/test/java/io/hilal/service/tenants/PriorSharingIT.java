package io.hilal.service.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Model priors shared across tenants only by the operator's leave, over HTTP: a tenant that
 * contributes has its aggregate priors (no ids) pooled, one that receives trains with them, one
 * that did neither has nothing of its data in anyone's model, and turning contributing off takes a
 * tenant out of the pool at once.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PriorSharingIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

    static String[] giver;
    static String[] taker;
    static String[] bystander;

    private static Api operator() {
        return new Api(APP.getLocalPort(), TestApps.OPERATOR_KEY);
    }

    private static Api tenant(String[] created) {
        return new Api(APP.getLocalPort(), created[1]);
    }

    private static String sharing(String[] tenant) {
        return "/v1/operator/tenants/" + tenant[0] + "/prior-sharing";
    }

    @BeforeAll
    static void shops() {
        giver = Api.newTenant(APP.getLocalPort(), "tea-house");
        taker = Api.newTenant(APP.getLocalPort(), "small-shop");
        bystander = Api.newTenant(APP.getLocalPort(), "coffee-roaster");
        // The giver's regulars re-buy tea monthly, the bystander's coffee weekly.
        shop(giver, "gv-sencha", "Tea", 30);
        shop(bystander, "by-mocha", "Coffee", 7);
        // The small shop sells both, each bought once: nothing of its own to time.
        shop(taker, "tk-oolong", "  tea ", 0);
        shop(taker, "tk-kona", "coffee", 0);
        assertThat(
                        operator()
                                .put(sharing(giver), "{\"contribute\": true, \"receive\": false}")
                                .status())
                .isEqualTo(200);
        assertThat(
                        operator()
                                .put(sharing(taker), "{\"contribute\": false, \"receive\": true}")
                                .status())
                .isEqualTo(200);
        TestApps.train(APP, giver[0]);
        TestApps.train(APP, bystander[0]);
        TestApps.train(APP, taker[0]);
    }

    /** Four regulars buying {@code product} every {@code gapDays} (0: once each). */
    private static void shop(String[] tenant, String product, String category, int gapDays) {
        Api api = tenant(tenant);
        assertThat(
                        api.put(
                                        "/v1/products/" + product,
                                        "{\"id\": \""
                                                + product
                                                + "\", \"title\": \"A "
                                                + product
                                                + "\", \"categories\": [\""
                                                + category
                                                + "\"], \"price\": 10, \"currency\": \"SAR\"}")
                                .status())
                .isEqualTo(200);
        List<String> events = new ArrayList<>();
        for (int regular = 0; regular < 4; regular++) {
            int times = gapDays == 0 ? 1 : 4;
            for (int time = 0; time < times; time++) {
                String order = product + "-cust" + regular + "-" + time;
                Instant at = START.plus(Duration.ofDays((long) gapDays * time + regular));
                events.add(
                        "{\"messageId\": \""
                                + order
                                + "\", \"type\": \"order_completed\", \"customerId\": \""
                                + product
                                + "-cust"
                                + regular
                                + "\", \"orderId\": \""
                                + order
                                + "\", \"timestamp\": \""
                                + at
                                + "\", \"lines\": [{\"productId\": \""
                                + product
                                + "\", \"quantity\": 1, \"unitPrice\": 10, \"currency\":"
                                + " \"SAR\"}]}");
            }
        }
        assertThat(
                        api.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}")
                                .status())
                .isEqualTo(200);
    }

    /** What the tenant's active recommender version says it borrowed. */
    private static JsonNode priors(String[] tenant) {
        for (JsonNode version : tenant(tenant).get("/v1/models").json().get("items")) {
            if (version.get("kind").asText().equals("recommender")
                    && version.get("active").asBoolean()) {
                return version.get("params").get("priors");
            }
        }
        throw new AssertionError("no active recommender for " + tenant[0]);
    }

    private static List<Map<String, Object>> pool() {
        return TestApps.jdbi(APP)
                .withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT * FROM shared_priors ORDER BY tenant_id,"
                                                        + " category")
                                        .mapToMap()
                                        .list());
    }

    @Test
    void onlyAnOptedInContributorsAggregatesReachAReceiversModel() {
        List<Map<String, Object>> pool = pool();

        assertThat(pool).extracting(row -> row.get("tenant_id")).containsOnly(giver[0]);
        assertThat(pool).extracting(row -> row.get("category")).containsExactly("tea");
        assertThat(pool.get(0).get("gap_days")).isEqualTo(30.0);
        assertThat(pool.toString())
                .as("aggregates only: no customer or product id")
                .doesNotContain("gv-sencha", "cust", "by-mocha", "tk-");
        JsonNode borrowed = priors(taker);
        assertThat(borrowed.get("pooledCategories").asInt())
                .as("the bystander's coffee is nowhere in the pool")
                .isEqualTo(1);
        assertThat(borrowed.get("pooledCategoriesInCatalog").asInt()).isEqualTo(1);
        assertThat(priors(bystander).get("pooledCategories").asInt())
                .as("a tenant that did not opt in to receiving borrows nothing")
                .isZero();
        assertThat(priors(giver).get("pooledCategories").asInt()).isZero();
    }

    @Test
    void theOperatorReadsTheChoiceAndTurningContributingOffEmptiesTheTenantsShare() {
        String[] leaving = Api.newTenant(APP.getLocalPort(), "leaving");
        assertThat(operator().get(sharing(leaving)).json().get("contribute").asBoolean())
                .as("off until the operator turns it on")
                .isFalse();
        operator().put(sharing(leaving), "{\"contribute\": true, \"receive\": true}");
        shop(leaving, "lv-dates", "Dates", 10);
        TestApps.train(APP, leaving[0]);
        assertThat(pool()).extracting(row -> row.get("tenant_id")).contains(leaving[0]);

        Api.Reply off =
                operator().put(sharing(leaving), "{\"contribute\": false, \"receive\": true}");

        assertThat(off.status()).isEqualTo(200);
        assertThat(off.json().get("contribute").asBoolean()).isFalse();
        assertThat(off.json().get("receive").asBoolean()).isTrue();
        assertThat(pool()).extracting(row -> row.get("tenant_id")).doesNotContain(leaving[0]);
        TestApps.train(APP, leaving[0]);
        assertThat(pool()).extracting(row -> row.get("tenant_id")).doesNotContain(leaving[0]);
        assertThat(priors(leaving).get("pooledCategories").asInt())
                .as("it still receives the giver's tea")
                .isEqualTo(1);
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        String path = sharing(taker);

        Api.Reply missing = operator().put(path, "{\"contribute\": true}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.contentType()).isEqualTo("application/problem+json");
        assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("receive");

        Api.Reply notBoolean =
                operator().put(path, "{\"contribute\": \"maybe\", \"receive\": true}");
        assertThat(notBoolean.status()).isEqualTo(400);
        assertThat(notBoolean.contentType()).isEqualTo("application/problem+json");

        Api.Reply empty = operator().put(path, "");
        assertThat(empty.status()).isIn(400, 422);
        assertThat(empty.contentType()).isEqualTo("application/problem+json");

        assertThat(operator().get(path).json().get("receive").asBoolean())
                .as("nothing changed")
                .isTrue();
        assertThat(operator().get(path).json().get("contribute").asBoolean()).isFalse();
        assertThat(tenant(taker).put(path, "{\"contribute\": true, \"receive\": true}").status())
                .as("a tenant's own key cannot opt itself in")
                .isEqualTo(401);
        Api.Reply unknown =
                operator()
                        .put(
                                "/v1/operator/tenants/ten_missing/prior-sharing",
                                "{\"contribute\": true, \"receive\": true}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).isEqualTo("application/problem+json");
    }
}
