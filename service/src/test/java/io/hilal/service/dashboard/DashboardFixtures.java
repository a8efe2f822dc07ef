package io.hilal.service.dashboard;

import io.dropwizard.testing.ConfigOverride;
import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.dashboard.DashboardAuth;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.testing.Api;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Test data for the dashboard: purchases sent through the API, and a campaign (created through the
 * campaigns API with a 50% holdout) whose send ledger splits 40 treated from 40 held-out customers
 * 40 days ago. 20 treated and 8 held-out customers buy again within the 30-day window, so the
 * repeat rates are 50% and 20%: +30 pp. The lift reports of these tests accept 20 customers and 5
 * buyers per arm ({@link #LIFT_SETTINGS}); the shipped minimum of 100 would call this "not enough
 * data".
 */
final class DashboardFixtures {
    static final int GROUP = 40;
    static final int TREATED_BUYERS = 20;
    static final int HOLDOUT_BUYERS = 8;
    static final String[] PRODUCTS = {
        "Ajwa dates 1 kg",
        "Medjool dates 500 g",
        "Sukkari dates gift box",
        "Date syrup 400 ml",
        "Mamoul cookies",
        "Arabic coffee 250 g"
    };

    /** Lift settings small enough for this fixture's 40 + 40 customers. */
    static final ConfigOverride[] LIFT_SETTINGS = {
        ConfigOverride.config("lift.minCustomersPerArm", "20"),
        ConfigOverride.config("lift.minBuyersPerArm", "5")
    };

    /** A campaign definition for the campaigns API, named {@code name}. */
    static String campaignJson(String name, double holdoutShare) {
        return "{\"name\": \""
                + name
                + "\", \"audience\": {\"bought\": {\"category\": \"Dates\"}},"
                + " \"holdoutShare\": "
                + holdoutShare
                + ", \"offer\": {\"subject\": \"Eid Mubarak\", \"html\":"
                + " \"<p>Eid Mubarak</p>{{{productBlock}}}\", \"text\": \"Eid Mubarak\\n"
                + "{{productBlock}}\"}, \"schedule\": {\"type\": \"anchor\", \"anchor\":"
                + " {\"holiday\": \"eid_al_fitr\", \"hijriYear\": 1432}, \"offsetDays\": 7,"
                + " \"localTime\": \"10:00\"}}";
    }

    private final Jdbi jdbi;

    DashboardFixtures(String databaseUrl) {
        this.jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(databaseUrl)));
    }

    SendLedger ledger() {
        return new SendLedger(jdbi, Clock.systemUTC(), "test.hilal.example");
    }

    DashboardAuth auth() {
        return new DashboardAuth(
                jdbi, new TenantService(jdbi, Clock.systemUTC()), Clock.systemUTC());
    }

    /**
     * One order per customer 60 days ago (so all are known buyers), then the campaign's send 40
     * days ago, then the repeat purchases of the chosen few. The campaign is created through the
     * API (so its holdout share is on record) and marked completed, as its launch 40 days ago would
     * have left it; returns its id.
     */
    String campaignWithLift(Api tenant, String tenantId, String name) {
        Api.Reply created = tenant.post("/v1/campaigns", campaignJson(name, 0.5));
        if (created.status() != 201 && created.status() != 200) {
            throw new IllegalStateException("campaign not created: " + created.body());
        }
        String campaignId = created.json().get("id").asText();
        for (int p = 0; p < PRODUCTS.length; p++) {
            tenant.put(
                    "/v1/products/p" + p,
                    "{\"title\": \""
                            + PRODUCTS[p]
                            + "\", \"categories\": [\"Food\", \"Dates\"], \"price\": 9.5,"
                            + " \"currency\": \"USD\"}");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant sendAt = now.minus(Duration.ofDays(40));
        List<String> events = new ArrayList<>();
        List<PlannedSend> sends = new ArrayList<>();
        for (int i = 0; i < 2 * GROUP; i++) {
            boolean heldOut = i >= GROUP;
            String customer = (heldOut ? "h-" : "t-") + i;
            sends.add(new PlannedSend(customer, sendAt, sendAt.plus(Duration.ofDays(3)), heldOut));
            events.add(
                    order(
                            customer,
                            "o-" + i + "-a",
                            now.minus(Duration.ofDays(60 + i % 7)),
                            "p" + i % PRODUCTS.length));
            int index = heldOut ? i - GROUP : i;
            if (index < (heldOut ? HOLDOUT_BUYERS : TREATED_BUYERS)) {
                events.add(
                        order(
                                customer,
                                "o-" + i + "-b",
                                sendAt.plus(Duration.ofDays(2 + index % 20)),
                                "p" + (i + index) % PRODUCTS.length));
            }
        }
        Api.Reply reply =
                tenant.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}");
        if (reply.status() != 200 || reply.json().get("accepted").asInt() != events.size()) {
            throw new IllegalStateException("events not accepted: " + reply.body());
        }
        SendLedger ledger = new SendLedger(jdbi, Clock.systemUTC(), "test.hilal.example");
        SendLedger.Run run = new SendLedger.Run(tenantId, campaignId, "run-1");
        ledger.plan(run, sends);
        for (int i = 0; i < GROUP; i++) {
            ledger.claim(run, "t-" + i, "worker-1");
            ledger.sent(run, "t-" + i, "worker-1");
        }
        jdbi.useHandle(
                handle ->
                        handle.createUpdate(
                                        "UPDATE campaigns SET status = 'completed', launched_at ="
                                                + " :at WHERE tenant_id = :tenantId AND"
                                                + " campaign_id = :campaignId")
                                .bind("at", sendAt)
                                .bind("tenantId", tenantId)
                                .bind("campaignId", campaignId)
                                .execute());
        return campaignId;
    }

    private static String order(String customer, String orderId, Instant at, String product) {
        return "{\"messageId\": \"m-"
                + orderId
                + "\", \"type\": \"order_completed\", \"customerId\": \""
                + customer
                + "\", \"timestamp\": \""
                + at
                + "\", \"orderId\": \""
                + orderId
                + "\", \"lines\": [{\"productId\": \""
                + product
                + "\", \"quantity\": 1, \"unitPrice\": 9.5, \"currency\": \"USD\"}]}";
    }
}
