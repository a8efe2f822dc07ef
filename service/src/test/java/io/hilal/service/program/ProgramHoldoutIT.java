package io.hilal.service.program;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.journeys.JourneyPlanner;
import io.hilal.core.json.HilalJson;
import io.hilal.core.program.ProgramHoldout;
import io.hilal.core.program.ProgramHoldoutService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The program holdout over the API: set per tenant, never emailed by a campaign or a journey, and
 * measured as a whole; a campaign of a shop too small for its own lift points to it.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProgramHoldoutIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app(DATABASE);
    private static final int CUSTOMERS = 40;

    private static String tenantId;
    private static Api api;
    private static Api other;
    private static Jdbi jdbi;

    @BeforeAll
    static void shops() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "Small Souq");
        tenantId = tenant[0];
        api = new Api(APP.getLocalPort(), tenant[1]);
        other = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "Other Souq")[1]);
        jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(DATABASE)));
        for (Api shop : List.of(api, other)) {
            shop.put(
                    "/v1/sender-identity",
                    "{\"fromAddress\": \"offers@souq.example\", \"fromName\": \"Souq\","
                            + " \"postalAddress\": \"1 Souq St\"}");
            for (int i = 0; i < CUSTOMERS; i++) {
                shop.put(
                        "/v1/customers/c-" + i,
                        "{\"email\": \"c"
                                + i
                                + "@example.invalid\", \"timeZone\": \"UTC\", \"emailConsent\":"
                                + " {\"status\": \"granted\", \"source\": \"test\"}}");
            }
        }
        Api.Reply set = api.put("/v1/program-holdout", "{\"share\": 0.2}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    private static Set<String> programHeldOut() {
        ProgramHoldout holdout = new ProgramHoldoutService(jdbi, Clock.systemUTC()).get(tenantId);
        Set<String> held = new HashSet<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            if (holdout.heldOut("c-" + i)) {
                held.add("c-" + i);
            }
        }
        return held;
    }

    private static Set<String> ledger(Api shop, String campaignId) {
        Set<String> customers = new HashSet<>();
        shop.get("/v1/campaigns/" + campaignId + "/sends?limit=100")
                .json()
                .get("items")
                .forEach(send -> customers.add(send.get("customerId").asText()));
        return customers;
    }

    /** An email for 6 April 2030 at 10:00 each customer's time. */
    private static final String CAMPAIGN =
            """
            {"name": "Eid", "holdoutShare": 0.1,
             "offer": {"subject": "Hi", "html": "<p>Hi</p>", "text": "Hi"},
             "schedule": {"type": "at", "date": "2030-04-06", "localTime": "10:00"}}
            """;

    /** The same at each customer's best time, with two offer variants. */
    private static final String BEST_TIME_WITH_VARIANTS =
            """
            {"name": "Eid at the best time", "holdoutShare": 0.1,
             "offer": {"subject": "Hi", "html": "<p>Hi</p>", "text": "Hi",
                       "variants": [{"name": "plain", "subject": "Hello"},
                                    {"name": "coupon", "couponCode": "EID10"}]},
             "schedule": {"type": "at", "date": "2030-04-06", "localTime": "10:00",
                          "sendTime": "best_time", "fixedTimeShare": 0.3, "validFor": "P1D"}}
            """;

    private static String launch(Api shop) {
        return launch(shop, CAMPAIGN);
    }

    private static String launch(Api shop, String campaign) {
        Api.Reply created = shop.post("/v1/campaigns", campaign);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        Api.Reply launched = shop.post("/v1/campaigns/" + id + "/launch", null);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        return id;
    }

    @Test
    void noCampaignPlansAProgramHoldoutCustomerAndAnotherTenantIsUntouched() {
        JsonNode setting = api.get("/v1/program-holdout").json();
        assertThat(setting.get("share").asDouble()).isEqualTo(0.2);
        assertThat(setting.get("on").asBoolean()).isTrue();
        assertThat(setting.has("salt")).isFalse();
        Set<String> held = programHeldOut();
        // A share of 0.2 over 40 customers holds some out but for about 1 in 7,500.
        assertThat(held).isNotEmpty();

        Set<String> planned = ledger(api, launch(api));
        assertThat(planned).doesNotContainAnyElementsOf(held).hasSize(CUSTOMERS - held.size());
        Set<String> bestTime = ledger(api, launch(api, BEST_TIME_WITH_VARIANTS));
        assertThat(bestTime).doesNotContainAnyElementsOf(held).hasSize(CUSTOMERS - held.size());

        // The other shop never set one: all of its customers are planned.
        assertThat(other.get("/v1/program-holdout").json().get("on").asBoolean()).isFalse();
        assertThat(ledger(other, launch(other))).hasSize(CUSTOMERS);
    }

    @Test
    void aSmallShopsCampaignReportPointsToTheProgramReport() {
        String id = launch(api);
        JsonNode lift = api.get("/v1/campaigns/" + id + "/lift").json();
        assertThat(lift.get("status").asText()).isEqualTo("NOT_ENOUGH_DATA");
        assertThat(lift.get("statusDetail").asText())
                .contains("This campaign holds out ")
                .contains("GET /v1/program-holdout/report");
        assertThat(lift.get("verdict").asText()).isEqualTo(lift.get("statusDetail").asText());

        JsonNode report = api.get("/v1/program-holdout/report").json();
        assertThat(report.get("on").asBoolean()).isTrue();
        JsonNode latest = report.get("latest");
        assertThat(latest.get("holdoutCustomers").asInt()).isEqualTo(programHeldOut().size());
        assertThat(latest.get("emailedCustomers").asInt())
                .isEqualTo(CUSTOMERS - programHeldOut().size());
        assertThat(latest.get("notEnoughData").asText()).isNotEmpty();
        assertThat(report.get("overTime")).hasSize(1);

        JsonNode otherReport = other.get("/v1/program-holdout/report").json();
        assertThat(otherReport.get("on").asBoolean()).isFalse();
    }

    @Test
    void noJourneyEntersAProgramHoldoutCustomer() throws Exception {
        Api.Reply journey =
                api.post(
                        "/v1/journeys",
                        "{\"name\": \"Browse\", \"kind\": \"browse_abandonment\", \"delay\":"
                                + " \"PT1M\", \"holdoutShare\": 0.1, \"offer\": {\"subject\":"
                                + " \"Hi\", \"html\": \"<p>Hi</p>\", \"text\": \"Hi\"}}");
        assertThat(journey.status()).as(journey.body()).isEqualTo(201);
        String journeyId = journey.json().get("id").asText();
        StringBuilder events = new StringBuilder("{\"events\": [");
        Instant viewed = Instant.now().minusSeconds(90);
        for (int i = 0; i < CUSTOMERS; i++) {
            events.append(i == 0 ? "" : ",")
                    .append("{\"messageId\": \"v-")
                    .append(i)
                    .append("\", \"type\": \"product_viewed\", \"customerId\": \"c-")
                    .append(i)
                    .append("\", \"productId\": \"p1\", \"timestamp\": \"")
                    .append(viewed)
                    .append("\"}");
        }
        assertThat(api.post("/v1/events", events.append("]}").toString()).status()).isEqualTo(200);
        ObjectMapper mapper = HilalJson.newMapper();
        Clock clock = Clock.systemUTC();
        new JourneyPlanner(
                        jdbi,
                        mapper,
                        clock,
                        new SendLedger(jdbi, clock, "mail.hilal.invalid"),
                        t -> null,
                        Duration.ofMinutes(5))
                .plan(tenantId);
        Set<String> entered =
                new HashSet<>(
                        jdbi.withHandle(
                                handle ->
                                        handle.createQuery(
                                                        "SELECT customer_id FROM campaign_sends"
                                                                + " WHERE tenant_id = :tenantId"
                                                                + " AND campaign_id = :journeyId")
                                                .bind("tenantId", tenantId)
                                                .bind("journeyId", journeyId)
                                                .mapTo(String.class)
                                                .list()));
        // Everyone else who browsed entered (held out by the journey or not).
        assertThat(entered).isNotEmpty().doesNotContainAnyElementsOf(programHeldOut());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"share\": 0.7}",
                "{\"share\": -0.1}",
                "{}",
                "{\"share\": \"lots\"}",
                "{\"share\": 0.1",
                "[0.1]"
            })
    void aBadShareIsAProblemAndChangesNothing(String body) {
        JsonNode before = api.get("/v1/program-holdout").json();
        Api.Reply wrong = api.put("/v1/program-holdout", body);
        assertThat(wrong.status()).as(wrong.body()).isIn(400, 422);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(wrong.json().get("code").asText()).isNotEmpty();
        assertThat(api.get("/v1/program-holdout").json()).isEqualTo(before);
    }

    @Test
    void aShareOutOfRangeNamesTheField() {
        Api.Reply wrong = api.put("/v1/program-holdout", "{\"share\": 0.7}");
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.json().at("/errors/0/field").asText()).isEqualTo("share");
    }

    @Test
    void anotherTenantsChangeAndKeysReachNothingOfThisTenant() {
        JsonNode before = api.get("/v1/program-holdout").json();
        Set<String> held = programHeldOut();
        Api third = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "Third")[1]);
        assertThat(third.put("/v1/program-holdout", "{\"share\": 0.05}").status()).isEqualTo(200);
        assertThat(third.get("/v1/program-holdout").json().get("share").asDouble()).isEqualTo(0.05);
        assertThat(api.get("/v1/program-holdout").json()).isEqualTo(before);
        assertThat(programHeldOut()).isEqualTo(held);
        // The third shop has no customers: its report counts none of this one's.
        JsonNode report = third.get("/v1/program-holdout/report").json();
        assertThat(report.at("/latest/emailedCustomers").asInt()).isZero();
        assertThat(report.at("/latest/holdoutCustomers").asInt()).isZero();
    }

    @Test
    void aLargerShareKeepsWhoIsHeldOutAndStartsANewMeasurement() {
        Set<String> atTwentyPercent = programHeldOut();
        JsonNode smaller = api.put("/v1/program-holdout", "{\"share\": 0.1}").json();
        Set<String> atTenPercent = programHeldOut();
        assertThat(atTwentyPercent).containsAll(atTenPercent);
        JsonNode larger = api.put("/v1/program-holdout", "{\"share\": 0.2}").json();
        assertThat(programHeldOut()).isEqualTo(atTwentyPercent);
        assertThat(Instant.parse(larger.get("startedAt").asText()))
                .isAfter(Instant.parse(smaller.get("startedAt").asText()));
        // The same share again is no change: the measurement goes on.
        JsonNode again = api.put("/v1/program-holdout", "{\"share\": 0.2}").json();
        assertThat(again.get("startedAt")).isEqualTo(larger.get("startedAt"));
    }
}
