package io.hilal.service.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Campaigns "at each customer's best time" over the API: definition, plan and comparison. */
@ExtendWith(DropwizardExtensionsSupport.class)
class BestTimeCampaignIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    private static final ZoneId RIYADH = ZoneId.of("Asia/Riyadh");

    private static Api api;
    private static Api other;

    /** An email for 6 April 2030 at each customer's best time, else 10:00 their time. */
    static final String CAMPAIGN =
            """
            {"name": "Eid at the best time",
             "holdoutShare": 0.1,
             "offer": {"subject": "Eid Mubarak", "html": "<p>Hello</p>", "text": "Hello"},
             "schedule": {"type": "at", "date": "2030-04-06", "localTime": "10:00",
                          "sendTime": "best_time", "fixedTimeShare": 0.3, "validFor": "P1D"}}
            """;

    @BeforeAll
    static void tenants() {
        api = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "Souq Dates")[1]);
        other = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "Other shop")[1]);
        api.put(
                "/v1/sender-identity",
                "{\"fromAddress\": \"offers@souq.example\", \"fromName\": \"Souq Dates\","
                        + " \"postalAddress\": \"1 Souq St, Riyadh\"}");
        StringBuilder events = new StringBuilder("{\"events\": [");
        for (int i = 0; i < 40; i++) {
            api.put(
                    "/v1/customers/c-" + i,
                    "{\"email\": \"c"
                            + i
                            + "@example.invalid\", \"timeZone\": \"Asia/Riyadh\","
                            + " \"emailConsent\": {\"status\": \"granted\", \"source\": \"test\"}}");
            // Riyadh orders at 17:00; c-30 and up order late at night, inside quiet hours.
            int hourUtc = i < 30 ? 14 : 20;
            for (int day = 1; day <= 4; day++) {
                events.append(i == 0 && day == 1 ? "" : ",")
                        .append("{\"messageId\": \"o-")
                        .append(i)
                        .append('-')
                        .append(day)
                        .append("\", \"type\": \"order_completed\", \"customerId\": \"c-")
                        .append(i)
                        .append("\", \"timestamp\": \"")
                        .append(Instant.now().minusSeconds(86400L * day * 7).toString(), 0, 11)
                        .append(hourUtc)
                        .append(":20:00Z\", \"orderId\": \"o-")
                        .append(i)
                        .append('-')
                        .append(day)
                        .append("\", \"lines\": [{\"productId\": \"p-dates\", \"quantity\": 1,")
                        .append(" \"unitPrice\": 9.5, \"currency\": \"USD\"}]}");
            }
        }
        events.append("]}");
        Api.Reply posted = api.post("/v1/events", events.toString());
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
    }

    @Test
    void sendsEachCustomerAtTheirBestHourOutsideQuietHoursAndAShareAtTheLocalTime() {
        Api.Reply created = api.post("/v1/campaigns", CAMPAIGN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().at("/schedule/sendTime").asText()).isEqualTo("best_time");
        assertThat(created.json().at("/schedule/fixedTimeShare").asDouble()).isEqualTo(0.3);
        String id = created.json().get("id").asText();
        Api.Reply launched = api.post("/v1/campaigns/" + id + "/launch", null);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);

        Map<String, Integer> localHours = new HashMap<>();
        JsonNode sends = api.get("/v1/campaigns/" + id + "/sends?limit=100").json().get("items");
        assertThat(sends).hasSize(40);
        for (JsonNode send : sends) {
            localHours.put(
                    send.get("customerId").asText(),
                    Instant.parse(send.get("sendAt").asText()).atZone(RIYADH).getHour());
        }
        // 17:00 Riyadh for those who order then, 10:00 for the comparison share; the night
        // owls' own hour is quiet (21:00-08:00 by default), so they get an hour before it.
        List<Integer> day = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            day.add(localHours.get("c-" + i));
        }
        assertThat(day).containsOnly(17, 10).contains(17, 10);
        for (int i = 30; i < 40; i++) {
            assertThat(localHours.get("c-" + i)).isBetween(8, 20);
        }

        Api.Reply comparison = api.get("/v1/campaigns/" + id + "/lift/send-time");
        assertThat(comparison.status()).as(comparison.body()).isEqualTo(200);
        JsonNode report = comparison.json();
        assertThat(report.get("fixedTimeShare").asDouble()).isEqualTo(0.3);
        assertThat(report.get("notEnoughData").asText()).contains("due");
        assertThat(report.has("orderRate")).isFalse();

        assertThat(other.get("/v1/campaigns/" + id + "/lift/send-time").status()).isEqualTo(404);
    }

    @Test
    void aCampaignAtItsLocalTimeHasNoSendTimeComparison() {
        String id =
                api.post(
                                "/v1/campaigns",
                                CAMPAIGN.replace(
                                        "\"sendTime\": \"best_time\", \"fixedTimeShare\": 0.3,",
                                        ""))
                        .json()
                        .get("id")
                        .asText();
        Api.Reply reply = api.get("/v1/campaigns/" + id + "/lift/send-time");
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("code").asText()).isEqualTo("not_best_time");
    }

    @Test
    void rejectsABrokenSendTimeNamingEachFieldAndStoresNothing() {
        int before = api.get("/v1/campaigns?limit=100").json().get("items").size();
        Api.Reply reply =
                api.post(
                        "/v1/campaigns",
                        CAMPAIGN.replace("\"fixedTimeShare\": 0.3", "\"fixedTimeShare\": 0.7")
                                .replace(
                                        "\"localTime\": \"10:00\",",
                                        "\"localTime\": \"10:00\", \"timeZone\": \"UTC\","));
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        reply.json().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertThat(fields).contains("schedule.fixedTimeShare", "schedule.timeZone");

        Api.Reply unknown =
                api.post("/v1/campaigns", CAMPAIGN.replace("best_time", "whenever_they_like"));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().at("/errors/0/field").asText()).isEqualTo("schedule.sendTime");
        assertThat(api.get("/v1/campaigns?limit=100").json().get("items").size()).isEqualTo(before);
    }
}
