package io.hilal.service.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lift reports over HTTP, from a ledger planned 40 days ago (so the 30-day window has closed) and
 * purchases ingested through {@code POST /v1/events}: 400 customers, every fourth held out; 60% of
 * the treated and 20% of the held-out customers order in the window (a known effect of +40 points
 * on the repeat-purchase rate), 40 treated orders are refunded in part.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LiftIT {
    static final String URL = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(URL, ConfigOverride.config("lift.defaultHoldoutShare", "0.25"));
    static final Instant SEND =
            Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(40));

    static Api api;
    static Api other;
    static String tenantId;

    @BeforeAll
    static void ledgerAndPurchases() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "lift");
        tenantId = tenant[0];
        api = new Api(APP.getLocalPort(), tenant[1]);
        other = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "other")[1]);
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(URL)));
        SendLedger ledger = new SendLedger(jdbi, Clock.systemUTC(), "test");
        List<PlannedSend> sends = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            sends.add(new PlannedSend("c" + i, SEND, SEND.plus(Duration.ofDays(1)), i % 4 == 0));
        }
        for (String campaign : List.of("eid", "recomputed", "bad-window", "csv")) {
            ledger.plan(new SendLedger.Run(tenantId, campaign, "r1"), sends);
        }
        StringBuilder events = new StringBuilder("{\"events\": [");
        int count = 0;
        for (int i = 0; i < 400; i++) {
            boolean held = i % 4 == 0;
            // Held out: one in five orders. Treated: i % 10 < 6 picks 60% of them.
            boolean buys = held ? (i / 4) % 5 == 0 : i % 10 < 6;
            if (buys) {
                Instant at = SEND.plus(Duration.ofDays(1 + i % 25));
                events.append(count++ == 0 ? "" : ",")
                        .append(order("m" + i, "o" + i, "c" + i, at, 2));
                if (!held && i % 10 == 1) {
                    events.append(",")
                            .append(
                                    "{\"messageId\": \"r"
                                            + i
                                            + "\", \"type\": \"order_refunded\", \"customerId\":"
                                            + " \"c"
                                            + i
                                            + "\", \"orderId\": \"o"
                                            + i
                                            + "\", \"timestamp\": \""
                                            + at.plus(Duration.ofHours(2))
                                            + "\", \"lines\": [{\"productId\": \"p1\","
                                            + " \"quantity\": 1, \"unitPrice\": 10,"
                                            + " \"currency\": \"USD\"}]}");
                }
            }
            if (i % 3 == 0) {
                events.append(count++ == 0 ? "" : ",")
                        .append(
                                order(
                                        "pre" + i,
                                        "q" + i,
                                        "c" + i,
                                        SEND.minus(Duration.ofDays(20)),
                                        1));
            }
        }
        events.append("]}");
        Api.Reply ingested = api.post("/v1/events", events.toString());
        assertThat(ingested.status()).as(ingested.body()).isEqualTo(200);
        assertThat(ingested.json().get("rejected").asInt()).isZero();
    }

    private static String order(
            String messageId, String orderId, String customerId, Instant at, int quantity) {
        return "{\"messageId\": \""
                + messageId
                + "\", \"type\": \"order_completed\", \"customerId\": \""
                + customerId
                + "\", \"orderId\": \""
                + orderId
                + "\", \"timestamp\": \""
                + at
                + "\", \"lines\": [{\"productId\": \"p1\", \"quantity\": "
                + quantity
                + ", \"unitPrice\": 10, \"currency\": \"USD\"}]}";
    }

    @Test
    void reportsTheKnownEffectWithItsIntervalOnceTheWindowHasClosed() {
        Api.Reply reply = api.get("/v1/campaigns/eid/lift?window=30");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode report = reply.json();
        assertThat(report.get("status").asText()).isEqualTo("FINAL");
        assertThat(report.at("/assignment/treatedCustomers").asLong()).isEqualTo(300);
        assertThat(report.at("/assignment/holdoutCustomers").asLong()).isEqualTo(100);
        assertThat(report.at("/assignment/definition").asText()).startsWith("Intention-to-treat");
        assertThat(report.at("/peeking/finalLook").asBoolean()).isTrue();
        JsonNode repeat = report.at("/metrics/repeatPurchaseRate");
        assertThat(repeat.at("/unadjusted/treated").asDouble()).isCloseTo(0.6, within(1e-12));
        assertThat(repeat.at("/unadjusted/holdout").asDouble()).isCloseTo(0.2, within(1e-12));
        assertThat(repeat.get("low").asDouble()).isGreaterThan(0.2).isLessThan(0.4);
        assertThat(repeat.get("high").asDouble()).isGreaterThan(0.4).isLessThan(0.6);
        assertThat(repeat.get("pValue").asDouble()).isLessThan(1e-6);
        assertThat(repeat.get("significant").asBoolean()).isTrue();
        assertThat(repeat.has("minimumDetectableEffect")).isTrue();
        assertThat(repeat.has("varianceReduction")).isTrue();
        // Orders of 2 × 10; 40 treated customers got 10 back.
        JsonNode revenue = report.at("/metrics/revenuePerCustomer/unadjusted");
        assertThat(revenue.get("treated").asDouble())
                .isCloseTo((180 * 20.0 - 40 * 10.0) / 300, within(1e-9));
        assertThat(revenue.get("holdout").asDouble()).isCloseTo(0.2 * 20, within(1e-9));
        assertThat(report.at("/incrementalRevenue/low").asDouble()).isGreaterThan(0);
        assertThat(report.at("/sampleRatio/expectedHoldoutShare").asDouble()).isEqualTo(0.25);
        assertThat(report.at("/sampleRatio/mismatch").asBoolean()).isFalse();

        // The stored report is served again, not recomputed.
        assertThat(api.get("/v1/campaigns/eid/lift?window=30").json().get("computedAt"))
                .isEqualTo(report.get("computedAt"));
    }

    @Test
    void exportsTheReportAsCsvByAcceptHeaderOrPath() {
        Api.Reply byPath = api.get("/v1/campaigns/csv/lift.csv?window=30");
        assertThat(byPath.status()).as(byPath.body()).isEqualTo(200);
        assertThat(byPath.contentType()).startsWith("text/csv");
        assertThat(byPath.header("Content-Disposition")).contains("lift-csv-30d.csv");
        List<String> lines = byPath.body().lines().toList();
        assertThat(lines.get(0)).startsWith("campaign_id,window_days,computed_at,status,metric");
        assertThat(lines)
                .hasSize(1 + 7)
                .anyMatch(
                        line ->
                                line.startsWith("csv,30,")
                                        && line.contains(
                                                ",FINAL,repeat_purchase_rate,cuped,300,100,"))
                .anyMatch(line -> line.contains(",incremental_revenue,"));

        assertThat(api.getAccepting("/v1/campaigns/csv/lift?window=30", "text/csv").body())
                .isEqualTo(byPath.body());

        // The same verdict as the JSON report (one class writes it), the look and the roles.
        String verdict = api.get("/v1/campaigns/csv/lift?window=30").json().get("verdict").asText();
        assertThat(verdict).startsWith("The campaign raised repeat purchases: the 96% interval");
        assertThat(lines.get(0))
                .endsWith(",look,interval_confidence,role,adjusted_p_value,data_cutoff,verdict");
        assertThat(lines)
                .anyMatch(
                        line ->
                                line.contains(",repeat_purchase_rate,cuped,")
                                        && line.contains(",FINAL,0.96,primary,")
                                        && line.endsWith(",\"" + verdict + "\""))
                .anyMatch(
                        line ->
                                line.contains(",revenue_per_customer,cuped,")
                                        && line.contains(",FINAL,0.96,secondary,"));
    }

    @Test
    void recomputesOnDemandAndListsTheLiftOverTime() {
        assertThat(api.post("/v1/campaigns/recomputed/lift?window=60", null).status())
                .isEqualTo(200);
        Api.Reply again = api.post("/v1/campaigns/recomputed/lift?window=60", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("INTERIM");
        assertThat(again.json().at("/peeking/note").asText()).contains("always-valid");
        assertThat(again.json().at("/peeking/correctedForPeeking").asBoolean()).isTrue();
        assertThat(again.json().at("/look/kind").asText()).isEqualTo("INTERIM");
        assertThat(again.json().get("verdict").asText()).contains("Interim look, day ");
        assertThat(again.json().get("computedAt").isTextual()).isTrue();

        JsonNode overview = api.get("/v1/lift?campaign=recomputed").json();
        assertThat(overview.get("items")).hasSize(1);
        JsonNode item = overview.get("items").get(0);
        assertThat(item.get("windowDays").asInt()).isEqualTo(60);
        assertThat(item.get("history")).hasSize(2);
        assertThat(item.at("/latest/computedAt")).isEqualTo(again.json().get("computedAt"));
        assertThat(item.at("/latest/repeatPurchaseRate/low").isNumber()).isTrue();

        String csv = api.getAccepting("/v1/lift?campaign=recomputed", "text/csv").body();
        assertThat(csv.lines()).hasSize(3).first().asString().startsWith("campaign_id,window_days");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "366", "30.5", "thirty", "1e3"})
    void rejectsBadWindowsWithAProblemAndStoresNothing(String window) {
        for (String path :
                List.of("/v1/campaigns/bad-window/lift", "/v1/campaigns/bad-window/lift.csv")) {
            Api.Reply reply = api.get(path + "?window=" + window);
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            assertThat(reply.json().get("code").asText()).isEqualTo("invalid_parameter");
            assertThat(reply.json().get("detail").asText()).contains("window");
        }
        assertThat(api.post("/v1/campaigns/bad-window/lift?window=" + window, null).status())
                .isEqualTo(400);
        assertThat(api.get("/v1/lift?window=" + window).status()).isEqualTo(400);
        assertThat(api.get("/v1/lift?campaign=bad-window").json().get("items")).isEmpty();
    }

    @Test
    void aCampaignWithoutLedgerRowsIsNotFoundAsOnEveryOtherCampaignRoute() {
        Api.Reply reply = api.get("/v1/campaigns/never-planned/lift");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.json().get("code").asText()).isEqualTo("not_found");
        // A client branches on one problem for an unknown campaign, whichever route it called.
        Api.Reply campaign = api.get("/v1/campaigns/never-planned");
        assertThat(campaign.status()).isEqualTo(404);
        for (String field : List.of("type", "title", "code")) {
            assertThat(reply.json().get(field)).as(field).isEqualTo(campaign.json().get(field));
        }
    }

    @Test
    void anotherTenantSeesNeitherTheReportNorTheOverview() {
        api.get("/v1/campaigns/eid/lift");
        Stream.of(
                        other.get("/v1/campaigns/eid/lift"),
                        other.get("/v1/campaigns/eid/lift.csv"),
                        other.post("/v1/campaigns/eid/lift", null))
                .forEach(
                        reply -> {
                            assertThat(reply.status()).isEqualTo(404);
                            assertThat(reply.json().get("code").asText()).isEqualTo("not_found");
                        });
        assertThat(other.get("/v1/lift").json().get("items")).isEmpty();
    }
}
