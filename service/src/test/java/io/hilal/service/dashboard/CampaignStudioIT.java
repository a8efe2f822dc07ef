package io.hilal.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.SuppressionDao;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The campaign studio's form over real HTTP, as a browser without script posts it: the audience
 * counts and resolved dates on the form, the Recount button (which saves nothing), the JSON recount
 * the form's script uses, every audience and schedule field round-tripping into the stored
 * campaign, and the preview's rows with products that have no URL flagged.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CampaignStudioIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app(DATABASE);
    private static final ObjectMapper JSON = new ObjectMapper();

    static String apiKey;
    static String otherKey;
    static Api api;

    @BeforeAll
    static void shop() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "Studio Souq");
        apiKey = tenant[1];
        otherKey = Api.newTenant(APP.getLocalPort(), "Other Souq")[1];
        api = new Api(APP.getLocalPort(), apiKey);
        // Reachable: a-1 (ar-SA), a-2, a-3; matching but not reachable: b-1 (consent denied),
        // b-2 (no address), s-1 (suppressed).
        customer("a-1", "a-1@example.invalid", "granted", "ar-SA");
        customer("a-2", "a-2@example.invalid", "granted", "en-GB");
        customer("a-3", "a-3@example.invalid", "granted", "en-GB");
        customer("b-1", "b-1@example.invalid", "denied", "en-GB");
        customer("b-2", null, "granted", "en-GB");
        customer("s-1", "s-1@example.invalid", "granted", "en-GB");
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(DATABASE)));
        jdbi.useExtension(
                SuppressionDao.class,
                dao -> dao.suppress(tenant[0], "s-1@example.invalid", "bounce", Instant.now()));
        assertThat(
                        api.put(
                                        "/v1/products/dates",
                                        "{\"title\": \"Ajwa dates\", \"price\": 12, \"currency\":"
                                                + " \"USD\", \"url\": \"https://souq.example/dates\"}")
                                .status())
                .isLessThan(300);
        assertThat(
                        api.put(
                                        "/v1/products/tea",
                                        "{\"title\": \"Mint tea\", \"price\": 4, \"currency\":"
                                                + " \"USD\"}")
                                .status())
                .isLessThan(300);
        List<String> events = new ArrayList<>();
        Instant at = Instant.now().minusSeconds(86_400 * 3);
        for (String customer : List.of("a-2", "a-3", "b-1")) {
            for (String product : List.of("dates", "tea")) {
                events.add(
                        "{\"messageId\": \"m-"
                                + customer
                                + product
                                + "\", \"type\": \"order_completed\", \"customerId\": \""
                                + customer
                                + "\", \"timestamp\": \""
                                + at
                                + "\", \"orderId\": \"o-"
                                + customer
                                + product
                                + "\", \"lines\": [{\"productId\": \""
                                + product
                                + "\", \"quantity\": 1, \"unitPrice\": 5, \"currency\":"
                                + " \"USD\"}]}");
            }
        }
        assertThat(
                        api.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}")
                                .status())
                .isEqualTo(200);
        assertThat(
                        api.put("/v1/calendar-dates/white-friday", "{\"date\": \"2027-11-26\"}")
                                .status())
                .isLessThan(300);
    }

    private static void customer(String id, String email, String consent, String locale) {
        String body =
                "{"
                        + (email == null ? "" : "\"email\": \"" + email + "\", ")
                        + "\"locale\": \""
                        + locale
                        + "\", \"emailConsent\": {\"status\": \""
                        + consent
                        + "\", \"source\": \"test\"}}";
        assertThat(api.put("/v1/customers/" + id, body).status()).as(body).isLessThan(300);
    }

    private static DashboardClient signedIn(String key) {
        DashboardClient browser = new DashboardClient(APP.getLocalPort());
        assertThat(browser.signInWithKey(key).statusCode()).isEqualTo(303);
        return browser;
    }

    /** The new-campaign form's fields as a browser would post them, blank form defaults. */
    private static Map<String, String> fields(String csrf) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", csrf);
        form.put("name", "Eid restock");
        form.put("holdoutShare", "0.5");
        form.put("scheduleType", "at");
        form.put("date", LocalDate.now().plusDays(7).toString());
        form.put("anchorKind", "holiday");
        form.put("holiday", "eid_al_fitr");
        form.put("offsetDays", "0");
        form.put("windowDays", "14");
        form.put("localTime", "10:00");
        form.put("validFor", "P2D");
        form.put("latePolicy", "skip");
        form.put("quietStart", "21:00");
        form.put("quietEnd", "08:00");
        form.put("frequencyCount", "2");
        form.put("frequencyDays", "7");
        form.put("subject", "Eid Mubarak");
        form.put("html", "<p>Hello</p>{{{productBlock}}}");
        form.put("text", "Hello {{productBlock}}");
        return form;
    }

    private static String cell(String page, String id) {
        int at = page.indexOf("id=\"" + id + "\">");
        assertThat(at).as(id + " in the page").isPositive();
        int start = at + id.length() + 6;
        return page.substring(start, page.indexOf('<', start));
    }

    @Test
    void theNewFormCountsTheAudienceAndTheRecountButtonCountsWhatItHoldsWithoutSaving() {
        DashboardClient browser = signedIn(apiKey);
        HttpResponse<String> page = browser.get("/dashboard/studio/new");
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();
        assertThat(cell(html, "est-customers")).isEqualTo("6");
        assertThat(cell(html, "est-matching")).isEqualTo("6");
        assertThat(cell(html, "est-reachable")).isEqualTo("3");
        assertThat(html).contains("<script src=\"/dashboard/studio/studio.js\" defer></script>");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'")
                .contains("default-src 'none'");

        // Bought dates: a-2, a-3 and b-1 match, b-1 may not be emailed; half held out.
        Map<String, String> form = fields(DashboardClient.csrfOf(html));
        form.put("category", "");
        form.put("productIds", "dates");
        form.put("intent", "recount");
        HttpResponse<String> recounted = browser.post("/dashboard/studio/new", form);
        assertThat(recounted.statusCode()).isEqualTo(200);
        assertThat(cell(recounted.body(), "est-matching")).isEqualTo("3");
        assertThat(cell(recounted.body(), "est-reachable")).isEqualTo("2");
        assertThat(cell(recounted.body(), "est-held-out")).startsWith("about ");
        assertThat(recounted.body())
                .contains("value=\"dates\"")
                .contains("Until the draft is saved its holdout is counted");
        assertThat(api.get("/v1/campaigns").json().get("items").findValuesAsText("name"))
                .doesNotContain("Eid restock");
    }

    @Test
    void aNewCampaignsHoldoutIsTheSharesCountOfTheReachable() throws Exception {
        DashboardClient browser = signedIn(apiKey);
        for (double share : new double[] {0.1, 0.3, 0.5}) {
            JsonNode estimate =
                    JSON.readTree(
                            browser.get(
                                            "/dashboard/studio/estimate?scheduleType=at"
                                                    + "&date=2030-04-06&localTime=10:00"
                                                    + "&holdoutShare="
                                                    + share)
                                    .body());
            assertThat(estimate.has("reachable")).as(estimate.toString()).isTrue();
            int reachable = Integer.parseInt(estimate.get("reachable").asText());
            long held = Math.round(reachable * share);
            assertThat(reachable).isPositive();
            assertThat(estimate.get("heldOut").asText())
                    .as("share " + share)
                    .isEqualTo("about " + held);
            assertThat(estimate.get("treated").asText())
                    .as("share " + share)
                    .isEqualTo(String.valueOf(reachable - held));
        }
    }

    @Test
    void theJsonRecountAnswersTheCountsOrAProblemAndNeverAnotherTenantsDraft() throws Exception {
        DashboardClient browser = signedIn(apiKey);
        String query =
                "?scheduleType=anchor&anchorKind=holiday&holiday=eid_al_fitr&offsetDays=7"
                        + "&localTime=10:00&holdoutShare=0.5&locales=ar";
        HttpResponse<String> answer = browser.get("/dashboard/studio/estimate" + query);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/json");
        JsonNode estimate = JSON.readTree(answer.body());
        assertThat(estimate.get("counted").asBoolean()).isTrue();
        assertThat(estimate.get("matching").asText()).isEqualTo("1");
        assertThat(estimate.get("reachable").asText()).isEqualTo("1");
        // Eid al-Fitr + 7 in this Gregorian year and the next, one of them the launch's.
        assertThat(estimate.get("dates").size()).isBetween(2, 3);
        assertThat(estimate.get("dates").findValues("next").stream().filter(JsonNode::asBoolean))
                .hasSize(1);
        assertThat(estimate.get("scheduleNote").asText()).startsWith("A launch today sends on");

        HttpResponse<String> bad =
                browser.get(
                        "/dashboard/studio/estimate?scheduleType=at&localTime=10:00&holdoutShare=2");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/problem+json");
        assertThat(bad.body()).contains("holdoutShare").contains("schedule.date");

        String theirs =
                new Api(APP.getLocalPort(), otherKey)
                        .post("/v1/campaigns", DashboardFixtures.campaignJson("Theirs", 0.1))
                        .json()
                        .get("id")
                        .asText();
        HttpResponse<String> other =
                browser.get("/dashboard/studio/estimate" + query + "&campaignId=" + theirs);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).doesNotContain("Theirs");
    }

    @Test
    void aSmallShopsProgramHoldoutIsCountedInTheStudioAndReportedOnTheLiftPage() throws Exception {
        String[] shop = Api.newTenant(APP.getLocalPort(), "Tiny Souq");
        Api tiny = new Api(APP.getLocalPort(), shop[1]);
        int customers = 30;
        for (int i = 0; i < customers; i++) {
            assertThat(
                            tiny.put(
                                            "/v1/customers/t-" + i,
                                            "{\"email\": \"t-"
                                                    + i
                                                    + "@example.invalid\", \"emailConsent\":"
                                                    + " {\"status\": \"granted\", \"source\":"
                                                    + " \"test\"}}")
                                    .status())
                    .isLessThan(300);
        }
        DashboardClient browser = signedIn(shop[1]);
        String query = "?scheduleType=at&date=2030-04-06&localTime=10:00&holdoutShare=0.1";
        // Without a program holdout: every customer is reachable, and the Lift page has no
        // program section.
        JsonNode before = JSON.readTree(browser.get("/dashboard/studio/estimate" + query).body());
        assertThat(before.get("reachable").asText()).isEqualTo(String.valueOf(customers));
        assertThat(before.get("programNote").asText()).isEmpty();
        assertThat(browser.get("/dashboard/lift").body()).doesNotContain("id=\"program\"");

        assertThat(tiny.put("/v1/program-holdout", "{\"share\": 0.2}").status()).isEqualTo(200);
        io.hilal.core.program.ProgramHoldout holdout =
                new io.hilal.core.program.ProgramHoldoutService(
                                HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(DATABASE))),
                                java.time.Clock.systemUTC())
                        .get(shop[0]);
        long held = 0;
        for (int i = 0; i < customers; i++) {
            held += holdout.heldOut("t-" + i) ? 1 : 0;
        }
        // A share of 0.2 over 30 customers holds someone out but for about 1 in 800.
        assertThat(held).isPositive();
        JsonNode after = JSON.readTree(browser.get("/dashboard/studio/estimate" + query).body());
        assertThat(after.get("reachable").asText()).isEqualTo(String.valueOf(customers - held));
        assertThat(after.get("programNote").asText())
                .isEqualTo(
                        held
                                + " more reachable customers are in the shop's program holdout: no"
                                + " campaign emails them, and they are in neither group.");
        // No holdout share can serve 30 customers: the outlook points to the program holdout.
        assertThat(after.get("liftNote").asText()).contains("GET /v1/program-holdout/report");

        String lift = browser.get("/dashboard/lift").body();
        assertThat(lift)
                .contains("id=\"program\"")
                .contains("A random 20% of customers gets no campaign or journey email")
                .contains(
                        "Not enough data yet for the email program as a whole. Each group needs"
                                + " at least 100 customers; may be emailed has "
                                + (customers - held)
                                + ", program holdout "
                                + held
                                + ".")
                .contains("<td>" + (customers - held) + "</td><td>" + held + "</td>");
        // Another shop's Lift page shows nothing of it.
        assertThat(signedIn(otherKey).get("/dashboard/lift").body())
                .doesNotContain("id=\"program\"");
    }

    @Test
    void aTenantDateAnchorShowsItsDateAndAnUnknownOneIsNamed() throws Exception {
        DashboardClient browser = signedIn(apiKey);
        String page = browser.get("/dashboard/studio/new").body();
        assertThat(page).contains("<option value=\"white-friday\" >white-friday (2027-11-26)");
        JsonNode estimate =
                JSON.readTree(
                        browser.get(
                                        "/dashboard/studio/estimate?scheduleType=anchor"
                                                + "&anchorKind=tenantDate&tenantDate=white-friday"
                                                + "&offsetDays=-1&localTime=09:30&holdoutShare=0.1")
                                .body());
        assertThat(estimate.at("/dates/0/date").asText()).isEqualTo("Thu 25 November 2027");
        HttpResponse<String> unknown =
                browser.get(
                        "/dashboard/studio/estimate?scheduleType=anchor&anchorKind=tenantDate"
                                + "&tenantDate=nope&localTime=09:30");
        assertThat(unknown.statusCode()).isEqualTo(409);
        assertThat(unknown.body()).contains("nope");
    }

    @Test
    void aCampaignAtEachCustomersBestTimeIsAuthoredInTheStudioAndItsPageComparesSendTimes() {
        DashboardClient browser = signedIn(apiKey);
        String blank = browser.get("/dashboard/studio/new").body();
        assertThat(blank)
                .contains("<option value=\"local_time\" selected>")
                .contains("<option value=\"best_time\" >At each customer&#39;s best time");
        Map<String, String> form = fields(DashboardClient.csrfOf(blank));
        form.put("name", "Best time");
        form.put("sendTime", "best_time");
        form.put("fixedTimeShare", "0.25");
        HttpResponse<String> saved = browser.post("/dashboard/studio/new", form);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        String id = saved.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        JsonNode campaign = api.get("/v1/campaigns/" + id).json();
        assertThat(campaign.at("/schedule/sendTime").asText()).isEqualTo("best_time");
        assertThat(campaign.at("/schedule/fixedTimeShare").asDouble()).isEqualTo(0.25);
        assertThat(browser.get("/dashboard/studio/" + id + "/edit").body())
                .contains("<option value=\"best_time\" selected>")
                .contains("id=\"fixedTimeShare\" name=\"fixedTimeShare\" value=\"0.25\"");

        assertThat(
                        api.put(
                                        "/v1/sender-identity",
                                        "{\"fromAddress\": \"offers@souq.example\", \"fromName\":"
                                                + " \"Souq\", \"postalAddress\": \"1 Souq St\"}")
                                .status())
                .isEqualTo(200);
        assertThat(api.post("/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
        String page = browser.get("/dashboard/campaigns/" + id).body();
        assertThat(page)
                .contains("Did the best time help?")
                .contains("a random 25% kept at the schedule")
                .contains("data-arm=\"best-time\"")
                .contains("Not enough data yet to compare best time with local time.");
    }

    @Test
    void everyAudienceAndScheduleFieldIsStoredAsTheApiTakesIt() {
        DashboardClient browser = signedIn(apiKey);
        Map<String, String> form =
                fields(DashboardClient.csrfOf(browser.get("/dashboard/studio/new").body()));
        form.put("name", "Every field");
        form.put("category", "Dates");
        form.put("productIds", "dates, tea");
        form.put("boughtFrom", "2026-01-01");
        form.put("boughtTo", "2026-12-31");
        form.put("lastOrderMoreThanDaysAgo", "1");
        form.put("repeatDueWithinDays", "30");
        form.put("spentAtLeast", "5");
        form.put("locales", "ar, en-GB");
        form.put("timeZones", "Asia/Riyadh");
        form.put("scheduleType", "repeat_due");
        form.put("windowDays", "21");
        form.put("validFor", "");
        form.put("validUntil", "2027-04-10T23:59");
        form.put("quietOff", "on");
        form.put("dailyCap", "500");
        form.put("perSecond", "5");
        HttpResponse<String> saved = browser.post("/dashboard/studio/new", form);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        String id = saved.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        JsonNode campaign = api.get("/v1/campaigns/" + id).json();
        assertThat(campaign.at("/audience/bought/category").asText()).isEqualTo("Dates");
        assertThat(campaign.at("/audience/bought/productIds").toString())
                .isEqualTo("[\"dates\",\"tea\"]");
        assertThat(campaign.at("/audience/bought/from").asText()).isEqualTo("2026-01-01");
        assertThat(campaign.at("/audience/bought/to").asText()).isEqualTo("2026-12-31");
        assertThat(campaign.at("/audience/lastOrderMoreThanDaysAgo").asInt()).isEqualTo(1);
        assertThat(campaign.at("/audience/repeatDueWithinDays").asInt()).isEqualTo(30);
        assertThat(campaign.at("/audience/spentAtLeast").asText()).isEqualTo("5");
        assertThat(campaign.at("/audience/locales").toString()).isEqualTo("[\"ar\",\"en-GB\"]");
        assertThat(campaign.at("/audience/timeZones").toString()).isEqualTo("[\"Asia/Riyadh\"]");
        assertThat(campaign.at("/schedule/type").asText()).isEqualTo("repeat_due");
        assertThat(campaign.at("/schedule/windowDays").asInt()).isEqualTo(21);
        assertThat(campaign.at("/schedule/validUntil").asText()).isEqualTo("2027-04-10T23:59:00Z");
        assertThat(
                        campaign.at("/schedule/validFor").isMissingNode()
                                || campaign.at("/schedule/validFor").isNull())
                .isTrue();
        assertThat(campaign.at("/limits/quietHours").asText()).isEqualTo("off");
        assertThat(campaign.at("/limits/dailyCap").asInt()).isEqualTo(500);
        assertThat(campaign.at("/limits/perSecond").asDouble()).isEqualTo(5.0);

        // The edit form shows each of them back.
        String edit = browser.get("/dashboard/studio/" + id + "/edit").body();
        assertThat(edit)
                .contains("id=\"productIds\" name=\"productIds\" value=\"dates, tea\"")
                .contains("id=\"boughtFrom\" name=\"boughtFrom\" value=\"2026-01-01\"")
                .contains("<option value=\"repeat_due\" selected>")
                .contains("id=\"windowDays\" name=\"windowDays\" value=\"21\"")
                .contains("id=\"validUntil\" name=\"validUntil\" value=\"2027-04-10T23:59\"")
                .contains("id=\"perSecond\" name=\"perSecond\" value=\"5.0\"")
                .contains("id=\"quietOff\" name=\"quietOff\" checked")
                .contains("on the day their restock falls due");
    }

    @Test
    void variantsTypedOnePerLineAreStoredAsTheApiTakesThemAndABadLineChangesNothing() {
        DashboardClient browser = signedIn(apiKey);
        Map<String, String> form =
                fields(DashboardClient.csrfOf(browser.get("/dashboard/studio/new").body()));
        form.put("name", "Two subjects");
        form.put(
                "variants",
                "plain | Time to restock | |\r\neid | Eid restock {{customer.id}} | EID15 |"
                        + " time-to-restock\r\n");
        form.put("variantGoal", "order");
        form.put("variantSegments", "new_returning");
        HttpResponse<String> saved = browser.post("/dashboard/studio/new", form);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        String id = saved.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        JsonNode offer = api.get("/v1/campaigns/" + id).json().get("offer");
        assertThat(offer.at("/variants/0/name").asText()).isEqualTo("plain");
        assertThat(offer.at("/variants/0/subject").asText()).isEqualTo("Time to restock");
        assertThat(offer.at("/variants/0/couponCode").isMissingNode()).isTrue();
        assertThat(offer.at("/variants/1/subject").asText())
                .isEqualTo("Eid restock {{customer.id}}");
        assertThat(offer.at("/variants/1/couponCode").asText()).isEqualTo("EID15");
        assertThat(offer.at("/variants/1/heroRow").asText()).isEqualTo("time-to-restock");
        assertThat(offer.at("/allocation/goal").asText()).isEqualTo("order");
        assertThat(offer.at("/allocation/segments").asText()).isEqualTo("new_returning");

        String edit = browser.get("/dashboard/studio/" + id + "/edit").body();
        assertThat(edit)
                .contains("eid | Eid restock {{customer.id}} | EID15 | time-to-restock")
                .contains("value=\"order\" checked")
                .contains("value=\"new_returning\" checked");

        form.put("name", "One variant only");
        form.put("variants", "solo | Hello | | | extra");
        HttpResponse<String> bad = browser.post("/dashboard/studio/new", form);
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("one variant per line");
        form.put("variants", "solo | Hello");
        bad = browser.post("/dashboard/studio/new", form);
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("must hold 2 to 5 variants");
        assertThat(api.get("/v1/campaigns").json().toString()).doesNotContain("One variant only");
    }

    @Test
    void thePreviewShowsTheCustomersRowsAndFlagsProductsWithoutAUrl() {
        DashboardClient browser = signedIn(apiKey);
        String id =
                api.post("/v1/campaigns", DashboardFixtures.campaignJson("Rows", 0.1))
                        .json()
                        .get("id")
                        .asText();
        // a-1 has bought nothing: best sellers, dates (with a URL) and tea (without).
        String page = browser.get("/dashboard/studio/" + id + "?customer=a-1").body();
        assertThat(page).contains("<h3 id=\"rows-heading\">a-1's rows and reasons");
        JsonNode rows = api.get("/v1/customers/a-1/rows?context=email&rows=2&perRow=4").json();
        assertThat(rows.get("rows")).isNotEmpty();
        for (JsonNode row : rows.get("rows")) {
            assertThat(page).contains(row.get("title").asText().replace("'", "&#39;"));
        }
        assertThat(page).contains("data-product=\"tea\" class=\"no-url\"");
        assertThat(page).contains("data-product=\"dates\">");
        assertThat(page).contains("id=\"no-url\"").contains("Mint tea (tea)");
        assertThat(page).doesNotContain("Ajwa dates (dates)");
    }

    @Test
    void thePreviewSaysTheLiftOutlookOnceNotAlsoAmongTheWarnings() {
        String id =
                api.post("/v1/campaigns", DashboardFixtures.campaignJson("Small shop", 0.1))
                        .json()
                        .get("id")
                        .asText();
        // The shop is far too small for a lift answer: the API's warnings carry the note ...
        assertThat(
                        api.post("/v1/campaigns/" + id + "/preview", null)
                                .json()
                                .get("warnings")
                                .toString())
                .contains("will never give an answer");
        // ... and the page says it once, on its own line, not again under "Before launching".
        String page = signedIn(apiKey).get("/dashboard/studio/" + id).body();
        assertThat(page.split("will never give an answer", -1)).hasSize(2);
        assertThat(page).contains("id=\"lift-outlook\">The lift report will never give an answer");
    }

    @Test
    void productsWithoutAUrlAreSaidToLinkToTheShopsWebsiteWhenItHasOne() {
        assertThat(
                        api.put(
                                        "/v1/sender-identity",
                                        "{\"fromAddress\": \"offers@souq.example\", \"fromName\":"
                                                + " \"Souq\", \"postalAddress\": \"1 Souq St\","
                                                + " \"websiteUrl\": \"https://souq.example/\"}")
                                .status())
                .isEqualTo(200);
        String id =
                api.post("/v1/campaigns", DashboardFixtures.campaignJson("Website", 0.1))
                        .json()
                        .get("id")
                        .asText();
        String page = signedIn(apiKey).get("/dashboard/studio/" + id + "?customer=a-1").body();
        assertThat(page)
                .contains("id=\"no-url\"")
                .contains("so the email links them to your website (https://souq.example/)")
                .doesNotContain("cannot link them")
                .contains("Mint tea (tea)");
    }

    @Test
    void aLaunchedCampaignsPageShowsItsRunAsPlannedNotTheAudienceAsItWouldBeNow() {
        // A shop of its own: the customer added below must not change the other tests' counts.
        String key = Api.newTenant(APP.getLocalPort(), "Launched Souq")[1];
        Api shop = new Api(APP.getLocalPort(), key);
        assertThat(
                        shop.put(
                                        "/v1/products/dates",
                                        "{\"title\": \"Ajwa dates\", \"categories\": [\"Dates\"]}")
                                .status())
                .isEqualTo(200);
        assertThat(
                        shop.put(
                                        "/v1/sender-identity",
                                        "{\"fromAddress\": \"offers@souq.example\", \"fromName\":"
                                                + " \"Souq\", \"postalAddress\": \"1 Souq St\"}")
                                .status())
                .isEqualTo(200);
        buysDates(shop, "early-bird");
        // Eid al-Fitr 1432 has long passed: every send time had passed at launch.
        String id =
                shop.post("/v1/campaigns", DashboardFixtures.campaignJson("Launched", 0.5))
                        .json()
                        .get("id")
                        .asText();
        assertThat(shop.post("/v1/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
        JsonNode run = shop.get("/v1/campaigns/" + id + "/ledger").json().at("/runs/0");
        assertThat(run.get("audienceSize").asInt()).isEqualTo(1);
        // A customer who would match now, not there when it was launched.
        buysDates(shop, "late-comer");
        assertThat(shop.post("/v1/campaigns/" + id + "/preview", null).json().get("audienceSize"))
                .hasToString("2");

        org.jsoup.nodes.Document page =
                org.jsoup.Jsoup.parse(signedIn(key).get("/dashboard/studio/" + id).body());
        assertThat(page.select("#as-launched").text()).startsWith("Launched ");
        assertThat(page.select("#reachable").text()).isEqualTo("1");
        assertThat(page.select("#held-out").text())
                .isEqualTo(String.valueOf(run.get("holdoutSize").asInt()));
        assertThat(page.select("#warnings")).isEmpty();
        assertThat(page.text()).doesNotContain("Before launching");
    }

    /** A reachable customer of {@code shop} who bought its dates. */
    private static void buysDates(Api shop, String customerId) {
        assertThat(
                        shop.put(
                                        "/v1/customers/" + customerId,
                                        "{\"email\": \""
                                                + customerId
                                                + "@example.invalid\", \"emailConsent\":"
                                                + " {\"status\": \"granted\", \"source\": \"test\"}}")
                                .status())
                .isEqualTo(200);
        Api.Reply order =
                shop.post(
                        "/v1/events",
                        "{\"events\": [{\"messageId\": \"o-"
                                + customerId
                                + "\", \"type\": \"order_completed\", \"customerId\": \""
                                + customerId
                                + "\", \"orderId\": \"o-"
                                + customerId
                                + "\", \"lines\": [{\"productId\": \"dates\", \"quantity\": 1,"
                                + " \"unitPrice\": 5, \"currency\": \"SAR\"}]}]}");
        assertThat(order.status()).as(order.body()).isEqualTo(200);
    }
}
