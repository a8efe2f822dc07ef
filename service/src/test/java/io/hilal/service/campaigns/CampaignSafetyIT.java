package io.hilal.service.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a marketer trying the API finds safe by default: late sends, a lift that can never answer,
 * quiet hours turned off on purpose, and suppressions they can see and lift only with consent.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CampaignSafetyIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app(DATABASE);

    private static Api api;
    private static Api other;
    private static String tenantId;

    @BeforeAll
    static void tenants() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "Safe shop");
        tenantId = tenant[0];
        api = new Api(APP.getLocalPort(), tenant[1]);
        other = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "Other")[1]);
        api.put(
                "/v1/sender-identity",
                "{\"fromAddress\": \"offers@safe.example\", \"fromName\": \"Safe\","
                        + " \"postalAddress\": \"1 Safe St\"}");
        for (int i = 1; i <= 7; i++) {
            api.put(
                    "/v1/customers/c-" + i,
                    "{\"email\": \"c"
                            + i
                            + "@example.invalid\", \"timeZone\": \"UTC\", \"emailConsent\":"
                            + " {\"status\": \""
                            + (i == 6 ? "denied" : "granted")
                            + "\", \"source\": \"test\"}}");
        }
        // c-7 unsubscribed earlier: the only way onto the list here is the ledger's own insert.
        Jdbi.create(DATABASE, TestDatabase.user(), TestDatabase.password())
                .useHandle(
                        handle ->
                                handle.execute(
                                        "INSERT INTO suppressions (tenant_id, email, reason,"
                                                + " created_at) VALUES (?, ?, 'unsubscribe',"
                                                + " NOW(3))",
                                        tenantId,
                                        "c7@example.invalid"));
    }

    private static String campaign(ZonedDateTime at, String extra) {
        return "{\"name\": \"Late test\", \"holdoutShare\": 0, \"offer\": {\"subject\": \"Hi\","
                + " \"html\": \"<p>Hi</p>\", \"text\": \"Hi\"}, \"schedule\": {\"type\": \"at\","
                + " \"date\": \""
                + at.toLocalDate()
                + "\", \"localTime\": \""
                + at.toLocalTime().truncatedTo(ChronoUnit.MINUTES)
                + "\", \"validFor\": \"P1D\""
                + extra
                + "}}";
    }

    private static String create(String body) {
        Api.Reply created = api.post("/v1/campaigns", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static ZonedDateTime twoHoursAgo() {
        return ZonedDateTime.now(ZoneOffset.UTC).minusHours(2).truncatedTo(ChronoUnit.MINUTES);
    }

    @Test
    void aSendWhoseTimeHasPassedIsSkippedByDefaultAndPreviewAndLaunchSaySo() {
        String id = create(campaign(twoHoursAgo(), ""));
        assertThat(api.get("/v1/campaigns/" + id).json().at("/schedule/latePolicy").asText())
                .isEqualTo("skip");
        JsonNode preview = api.post("/v1/campaigns/" + id + "/preview", null).json();
        assertThat(preview.at("/late/passed").asInt()).isEqualTo(5);
        assertThat(preview.at("/late/skipped").asInt()).isEqualTo(5);
        assertThat(preview.get("warnings").get(0).asText())
                .contains("5 of 5 send times have already passed")
                .contains("late policy skip")
                .contains("would get nothing");

        Api.Reply launched = api.post("/v1/campaigns/" + id + "/launch", null);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        assertThat(launched.json().get("status").asText()).isEqualTo("scheduled");
        assertThat(launched.json().at("/launch/planned").asInt()).isZero();
        assertThat(launched.json().at("/launch/late/passed").asInt()).isEqualTo(5);
        JsonNode ledger = api.get("/v1/campaigns/" + id + "/ledger").json();
        assertThat(ledger.at("/counts/EXPIRED").asInt()).isEqualTo(5);
        assertThat(ledger.at("/counts/PLANNED").asInt()).isZero();
    }

    @Test
    void nextDayMovesThemToTheSameTimeTomorrowAndSendNowToTheLaunch() {
        ZonedDateTime at = twoHoursAgo();
        Api.Reply nextDay =
                api.post(
                        "/v1/campaigns/"
                                + create(campaign(at, ", \"latePolicy\": \"next_day\""))
                                + "/launch",
                        null);
        assertThat(nextDay.json().at("/launch/planned").asInt()).isEqualTo(5);
        assertThat(Instant.parse(nextDay.json().at("/launch/firstSendAt").asText()))
                .isEqualTo(at.plusDays(1).toInstant());

        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Api.Reply now =
                api.post(
                        "/v1/campaigns/"
                                + create(campaign(at, ", \"latePolicy\": \"send_now\""))
                                + "/launch",
                        null);
        assertThat(now.json().at("/launch/planned").asInt()).isEqualTo(5);
        assertThat(Instant.parse(now.json().at("/launch/firstSendAt").asText()))
                .isBetween(before, Instant.now());

        Api.Reply wrong = api.post("/v1/campaigns", campaign(at, ", \"latePolicy\": \"later\""));
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.body()).contains("schedule.latePolicy");
    }

    @Test
    void quietHoursCanBeTurnedOffExplicitlyWhileOmittingKeepsTheDefault() {
        ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC).plusDays(3);
        String base = campaign(at, "");
        String off =
                create(
                        base.substring(0, base.length() - 1)
                                + ", \"limits\": {\"quietHours\": \"off\"}}");
        String none =
                create(
                        base.substring(0, base.length() - 1)
                                + ", \"limits\": {\"quietHours\": null}}");
        String omitted = create(base.substring(0, base.length() - 1) + ", \"limits\": {}}");
        assertThat(api.get("/v1/campaigns/" + off).json().at("/limits/quietHours").asText())
                .isEqualTo("off");
        assertThat(api.get("/v1/campaigns/" + none).json().at("/limits/quietHours").asText())
                .isEqualTo("off");
        assertThat(
                        api.get("/v1/campaigns/" + omitted)
                                .json()
                                .at("/limits/quietHours/start")
                                .asText())
                .isEqualTo("21:00");
        Api.Reply wrong =
                api.post(
                        "/v1/campaigns",
                        base.substring(0, base.length() - 1)
                                + ", \"limits\": {\"quietHours\": \"sometimes\"}}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
    }

    @Test
    void previewSaysWhenTheLiftReportCanNeverAnswer() {
        String id =
                create(
                        campaign(ZonedDateTime.now(ZoneOffset.UTC).plusDays(3), "")
                                .replace("\"holdoutShare\": 0", "\"holdoutShare\": 0.2"));
        JsonNode preview = api.post("/v1/campaigns/" + id + "/preview", null).json();
        assertThat(preview.at("/lift/canAnswer").asBoolean()).isFalse();
        assertThat(preview.at("/lift/suggestedHoldoutShare").isMissingNode()).isTrue();
        assertThat(preview.at("/lift/note").asText())
                .contains("will never give an answer")
                .contains("100 customers and 10 buyers in each group");
        assertThat(preview.get("warnings").toString()).contains("will never give an answer");
    }

    @Test
    void suppressionsAreVisibleExplainedInPreviewAndLiftedOnlyWithANewConsent() {
        JsonNode list = api.get("/v1/suppressions").json();
        assertThat(list.get("items")).hasSize(1);
        assertThat(list.at("/items/0/email").asText()).isEqualTo("c7@example.invalid");
        assertThat(list.at("/items/0/reason").asText()).isEqualTo("unsubscribe");
        assertThat(other.get("/v1/suppressions").json().get("items")).isEmpty();

        String id = create(campaign(ZonedDateTime.now(ZoneOffset.UTC).plusDays(3), ""));
        JsonNode suppressed =
                api.post("/v1/campaigns/" + id + "/preview", "{\"customerId\": \"c-7\"}").json();
        assertThat(suppressed.at("/email/inAudience").asBoolean()).isFalse();
        assertThat(suppressed.at("/email/excludedBecause").asText())
                .contains("suppression list (unsubscribe");
        assertThat(
                        api.post("/v1/campaigns/" + id + "/preview", "{\"customerId\": \"c-6\"}")
                                .json()
                                .at("/email/excludedBecause")
                                .asText())
                .isEqualTo("email consent is denied");
        assertThat(
                        api.post("/v1/campaigns/" + id + "/preview", "{\"customerId\": \"c-1\"}")
                                .json()
                                .at("/email/excludedBecause")
                                .isMissingNode())
                .isTrue();

        Api.Reply withoutConsent = api.post("/v1/suppressions/c7@example.invalid/removal", "{}");
        assertThat(withoutConsent.status()).isEqualTo(422);
        assertThat(withoutConsent.body()).contains("consentSource");
        assertThat(api.get("/v1/suppressions").json().get("items")).hasSize(1);
        assertThat(
                        other.post(
                                        "/v1/suppressions/c7@example.invalid/removal",
                                        "{\"consentSource\": \"form\"}")
                                .status())
                .isEqualTo(404);

        Api.Reply removed =
                api.post(
                        "/v1/suppressions/c7@example.invalid/removal",
                        "{\"consentSource\": \"double opt-in, 6 April\"}");
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(removed.json().get("customersWithConsent").asInt()).isEqualTo(1);
        assertThat(api.get("/v1/suppressions").json().get("items")).isEmpty();
        assertThat(api.get("/v1/customers/c-7").json().at("/emailConsent/source").asText())
                .isEqualTo("double opt-in, 6 April");
        assertThat(
                        api.post("/v1/campaigns/" + id + "/preview", "{\"customerId\": \"c-7\"}")
                                .json()
                                .at("/email/inAudience")
                                .asBoolean())
                .isTrue();
    }
}
