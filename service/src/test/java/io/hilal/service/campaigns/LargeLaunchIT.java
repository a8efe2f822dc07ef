package io.hilal.service.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A launch whose audience spans several of the batches its sends are written in: the audience is
 * streamed and the ledger written as it is planned, yet every customer gets one row, the answer's
 * figures are the ledger's, and a launch that fails part-way leaves a draft and no row.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LargeLaunchIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app(DATABASE);

    /** Two full batches of the launch's writes and part of a third. */
    private static final int CUSTOMERS = 2345;

    /** An email for 6 April 2030 at 10:00 each customer's time. */
    private static final String CAMPAIGN =
            """
            {"name": "Eid for everyone", "holdoutShare": 0.1,
             "offer": {"subject": "Hi", "html": "<p>Hi</p>", "text": "Hi"},
             "schedule": {"type": "at", "date": "2030-04-06", "localTime": "10:00"}}
            """;

    private static Api api;
    private static String tenantId;
    private static Jdbi jdbi;

    @BeforeAll
    static void shop() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "Large shop");
        tenantId = tenant[0];
        api = new Api(APP.getLocalPort(), tenant[1]);
        jdbi = Jdbi.create(TestDatabase.dataSource(DATABASE));
        assertThat(
                        api.put(
                                        "/v1/sender-identity",
                                        "{\"fromAddress\": \"offers@large.example\", \"fromName\":"
                                                + " \"Large shop\", \"postalAddress\": \"1 Souq St,"
                                                + " Riyadh\"}")
                                .status())
                .isEqualTo(200);
        for (int from = 0; from < CUSTOMERS; from += 1000) {
            StringBuilder batch = new StringBuilder("{\"customers\": [");
            for (int i = from; i < Math.min(CUSTOMERS, from + 1000); i++) {
                batch.append(i == from ? "" : ",")
                        .append(
                                String.format(
                                        "{\"id\": \"c-%05d\", \"email\": \"c%d@example.invalid\","
                                                + " \"timeZone\": \"%s\", \"emailConsent\":"
                                                + " {\"status\": \"granted\", \"source\": \"test\"}}",
                                        i, i, i % 2 == 0 ? "Asia/Riyadh" : "Europe/London"));
            }
            Api.Reply reply = api.post("/v1/customers/batch", batch.append("]}").toString());
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.body()).doesNotContain("rejected");
        }
    }

    private static String draft() {
        Api.Reply created = api.post("/v1/campaigns", CAMPAIGN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static long rows(String sql, String campaignId) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(sql)
                                .bind("tenantId", tenantId)
                                .bind("campaignId", campaignId)
                                .mapTo(Long.class)
                                .one());
    }

    @Test
    void everyCustomerIsPlannedOnceAndTheAnswerAgreesWithTheLedger() {
        String id = draft();
        JsonNode preview = api.post("/v1/campaigns/" + id + "/preview", "{}").json();
        assertThat(preview.get("audienceSize").asInt()).isEqualTo(CUSTOMERS);

        Api.Reply launched = api.post("/v1/campaigns/" + id + "/launch", null);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        JsonNode launch = launched.json().get("launch");
        int heldOut = launch.get("heldOut").asInt();
        // A share of 0.1 of 2,345: about 234, and far from none or all.
        assertThat(heldOut).isBetween(150, 320).isEqualTo(preview.get("holdoutSize").asInt());
        assertThat(launch.get("planned").asInt()).isEqualTo(CUSTOMERS - heldOut);
        // 10:00 in Riyadh (UTC+3) is the first of the two zones' send times.
        assertThat(launch.get("firstSendAt").asText()).isEqualTo("2030-04-06T07:00:00Z");

        JsonNode ledger = api.get("/v1/campaigns/" + id + "/ledger").json();
        assertThat(ledger.at("/counts/PLANNED").asLong()).isEqualTo(CUSTOMERS - heldOut);
        assertThat(ledger.at("/counts/HELD_OUT").asLong()).isEqualTo(heldOut);
        assertThat(ledger.at("/runs/0/audienceSize").asInt()).isEqualTo(CUSTOMERS);
        assertThat(ledger.at("/runs/0/holdoutSize").asInt()).isEqualTo(heldOut);
        assertThat(ledger.at("/runs/0/lastValidAt").asText()).isEqualTo("2030-04-08T09:00:00Z");
        assertThat(
                        rows(
                                "SELECT COUNT(DISTINCT customer_id) FROM campaign_sends WHERE"
                                        + " tenant_id = :tenantId AND campaign_id = :campaignId",
                                id))
                .isEqualTo(CUSTOMERS);
    }

    @Test
    void aLaunchThatFailsInItsThirdBatchLeavesADraftWithNoSendAndCanBeLaunchedAgain() {
        String id = draft();
        // The database refuses one send of the third batch, after two were written.
        jdbi.useHandle(
                handle ->
                        handle.execute(
                                "CREATE TRIGGER refuse_c02100 BEFORE INSERT ON campaign_sends FOR"
                                        + " EACH ROW BEGIN IF NEW.campaign_id = '"
                                        + id
                                        + "' AND NEW.customer_id = 'c-02100' THEN SIGNAL SQLSTATE"
                                        + " '45000' SET MESSAGE_TEXT = 'refused for the test'; END"
                                        + " IF; END"));
        try {
            Api.Reply failed = api.post("/v1/campaigns/" + id + "/launch", null);
            assertThat(failed.status()).as(failed.body()).isEqualTo(500);
            assertThat(failed.contentType()).startsWith("application/problem+json");
        } finally {
            jdbi.useHandle(handle -> handle.execute("DROP TRIGGER refuse_c02100"));
        }
        assertThat(api.get("/v1/campaigns/" + id).json().get("status").asText()).isEqualTo("draft");
        assertThat(
                        rows(
                                "SELECT COUNT(*) FROM campaign_sends WHERE tenant_id = :tenantId"
                                        + " AND campaign_id = :campaignId",
                                id))
                .isZero();
        assertThat(api.get("/v1/campaigns/" + id + "/ledger").json().get("runs")).isEmpty();

        Api.Reply again = api.post("/v1/campaigns/" + id + "/launch", null);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        JsonNode launch = again.json().get("launch");
        assertThat(launch.get("planned").asInt() + launch.get("heldOut").asInt())
                .isEqualTo(CUSTOMERS);
        assertThat(
                        rows(
                                "SELECT COUNT(*) FROM campaign_sends WHERE tenant_id = :tenantId"
                                        + " AND campaign_id = :campaignId",
                                id))
                .isEqualTo(CUSTOMERS);
    }
}
