package io.hilal.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Chromium;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A marketer's whole flow through the studio's forms in headless Chromium, on {@code serve} with
 * its worker and the built-in capture: create a draft (the audience recounted as the form changes,
 * and by the Recount button), preview it with the customer's rows, send a test, launch after the
 * confirmation, watch the outbox fill at the send time, and pause what is still to come. With
 * {@code -Dhilal.screenshots=DIR} it saves the pages (docs/screenshots holds them).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StudioBrowserIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = ServeApps.serve();

    static Chromium chromium;
    static ChromeDriver browser;
    static String apiKey;
    static String zone;

    @BeforeAll
    static void shopAndBrowser() {
        chromium = Chromium.startOrSkip();
        browser = chromium.driver();
        // Two customers where it is about noon, one an hour behind them: their 12:xx comes an
        // hour later, so the campaign is still running when the first two have their email.
        int offset = ServeApps.noonOffset();
        zone = ServeApps.zone(offset);
        apiKey =
                ServeApps.shop(
                        APP.getLocalPort(), "Souq Dates", zone, zone, ServeApps.zone(offset - 1));
        // Best sellers for the preview's rows: dates with a page, tea without one.
        api(
                "PUT",
                "/v1/products/ajwa",
                "{\"title\": \"Ajwa dates\", \"price\": 12.5,"
                        + " \"currency\": \"SAR\", \"url\": \"https://souq.example/ajwa\"}");
        api(
                "PUT",
                "/v1/products/mint-tea",
                "{\"title\": \"Mint tea\", \"price\": 4," + " \"currency\": \"SAR\"}");
        Instant ordered = Instant.now().minus(Duration.ofDays(40));
        api(
                "POST",
                "/v1/events",
                "{\"events\": [{\"messageId\": \"m-1\", \"type\": \"order_completed\","
                        + " \"customerId\": \"c-3\", \"timestamp\": \""
                        + ordered
                        + "\", \"orderId\": \"o-1\", \"lines\": [{\"productId\": \"ajwa\","
                        + " \"quantity\": 2, \"unitPrice\": 12.5, \"currency\": \"SAR\"},"
                        + " {\"productId\": \"mint-tea\", \"quantity\": 1, \"unitPrice\": 4,"
                        + " \"currency\": \"SAR\"}]}]}");
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void createRecountPreviewTestSendLaunchWatchTheOutboxAndPause() {
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        browser.get(base + "/dashboard/campaigns");
        chromium.heading("Sign in to your dashboard");
        WebElement key = browser.findElement(By.id("api-key"));
        key.sendKeys(apiKey);
        key.sendKeys(Keys.ENTER);
        chromium.heading("Campaigns");

        browser.findElement(By.id("new-campaign")).click();
        chromium.heading("New campaign");
        assertThat(browser.findElement(By.cssSelector(".notice")).getText())
                .contains("No SMTP relay is configured");
        assertThat(text("est-reachable")).isEqualTo("3");
        ZonedDateTime sendAt = ServeApps.nextMinute(zone, Duration.ofSeconds(25));
        chromium.type("name", "Eid restock");

        // With script the counts follow the form: no customer has an Arabic locale.
        chromium.type("locales", "ar");
        await().atMost(Duration.ofSeconds(20)).until(() -> text("est-reachable").equals("0"));
        assertThat(text("est-matching")).isEqualTo("0");
        chromium.type("locales", "");
        chromium.type("holdoutShare", "0");
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                text("est-reachable").equals("3")
                                        && text("est-held-out").equals("about 0"));

        // Only the chosen kind of schedule's fields show: a date for "on a date", ...
        assertThat(shown("date")).isTrue();
        assertThat(shown("offsetDays") || shown("holiday") || shown("windowDays")).isFalse();
        // ... the holiday and the offset for an anchor; an Eid anchor shows this year's and
        // next year's dates as they change.
        browser.findElement(By.id("scheduleType")).sendKeys("Relative");
        assertThat(shown("holiday") && shown("offsetDays") && shown("anchorKind")).isTrue();
        assertThat(shown("date") || shown("anchorDate") || shown("windowDays")).isFalse();
        chromium.type("offsetDays", "7");
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                browser.findElements(By.cssSelector("#schedule-date-list li"))
                                                .size()
                                        >= 2);
        assertThat(text("schedule-note")).startsWith("A launch today sends on");
        assertThat(browser.findElement(By.cssSelector("#schedule-date-list li.next")).getText())
                .contains("a launch today sends on this one");

        // The share kept at the local time belongs to the best time only. (Chosen by script: a
        // second choice typed within a second extends the select's type-ahead search.)
        assertThat(shown("fixedTimeShare")).isFalse();
        chooseSendTime("best_time");
        assertThat(shown("fixedTimeShare")).isTrue();
        chooseSendTime("local_time");
        assertThat(shown("fixedTimeShare")).isFalse();

        // Back to a date, chosen by keyboard as a person would; a date input takes the date as
        // typed in the browser's locale, so set its value directly.
        browser.findElement(By.id("scheduleType")).sendKeys("On a date");
        assertThat(shown("date")).isTrue();
        assertThat(shown("offsetDays") || shown("holiday")).isFalse();
        browser.executeScript(
                "document.getElementById('date').value = arguments[0];",
                sendAt.toLocalDate().toString());
        browser.executeScript(
                "document.getElementById('localTime').value = arguments[0];",
                sendAt.toLocalTime().toString());
        chromium.type("validFor", "PT2H");
        chromium.type("subject", "Eid Mubarak, {{customer.id}}");
        // The Recount button re-renders the form with what it holds, saving nothing.
        browser.findElement(By.id("recount")).click();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> text("schedule-note").contains(sendAt.toLocalTime().toString()));
        assertThat(text("est-reachable")).isEqualTo("3");
        assertThat(browser.findElement(By.id("name")).getAttribute("value"))
                .isEqualTo("Eid restock");
        assertThat(
                        ServeApps.api(APP.getLocalPort(), "GET", "/v1/campaigns", apiKey, null)
                                .get("items"))
                .isEmpty();
        chromium.screenshot("studio-new");
        // Enter in a field saves the draft (the form's default button), as the visible Save
        // button does; it does not recount. The default button is out of the tab order.
        assertThat(browser.findElement(By.id("save-default")).getAttribute("tabindex"))
                .isEqualTo("-1");
        assertThat(browser.findElement(By.id("save")).isDisplayed()).isTrue();
        browser.findElement(By.id("subject")).sendKeys(Keys.ENTER);
        chromium.heading("Preview Eid restock");

        assertThat(text("reachable")).isEqualTo("3");
        assertThat(text("held-out")).isEqualTo("0");
        assertThat(text("lift-outlook")).contains("will never give an answer");
        assertThat(text("preview-subject")).isEqualTo("Eid Mubarak, c-1");
        assertThat(text("customer-rows")).contains("Ajwa dates").contains("Mint tea");
        assertThat(text("no-url")).contains("Mint tea (mint-tea)").doesNotContain("Ajwa");
        // The email renders in its sandboxed frame.
        WebElement frame = browser.findElement(By.id("preview-frame"));
        assertThat(frame.getAttribute("sandbox")).isEmpty();
        browser.switchTo().frame(frame);
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Hello!");
        browser.switchTo().defaultContent();
        chromium.screenshot("studio-preview");

        // A test to a typed address: into the capture, never into the ledger.
        chromium.type("address", "marketer@shop.example");
        browser.findElement(By.id("test-send")).click();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> text("notice").contains("marketer@"));
        String campaignId =
                browser.getCurrentUrl().replaceAll(".*/dashboard/studio/([^/?]+).*", "$1");

        browser.findElement(By.linkText("Launch…")).click();
        chromium.heading("Launch Eid restock?");
        assertThat(text("consequence"))
                .contains("will email about 3 customers at " + sendAt.toLocalTime())
                .contains("0 held out");
        chromium.screenshot("studio-confirm");
        browser.findElement(By.id("confirm")).click();
        chromium.heading("Eid restock");

        // At the send time the worker's emails arrive in the outbox: c-1 and c-2 now, c-3 later.
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(
                        () -> {
                            browser.get(base + "/dashboard/outbox");
                            return text("captured-count").contains("holds 3 emails");
                        });
        assertThat(text("main"))
                .contains("c1@example.invalid")
                .contains("c2@example.invalid")
                .contains("marketer@shop.example")
                .doesNotContain("c3@example.invalid");
        chromium.screenshot("studio-outbox");
        JsonNode ledger = ledger(campaignId);
        assertThat(ledger.at("/counts/SENT").asInt()).isEqualTo(2);
        assertThat(ledger.at("/counts/PLANNED").asInt()).isEqualTo(1);

        browser.get(base + "/dashboard/studio/" + campaignId);
        chromium.heading("Preview Eid restock");
        browser.findElement(By.linkText("Pause…")).click();
        chromium.heading("Pause Eid restock?");
        assertThat(text("consequence")).contains("1 waiting sends stay planned");
        browser.findElement(By.id("confirm")).click();
        chromium.heading("Eid restock");
        assertThat(
                        ServeApps.api(
                                        APP.getLocalPort(),
                                        "GET",
                                        "/v1/campaigns/" + campaignId,
                                        apiKey,
                                        null)
                                .get("status")
                                .asText())
                .isEqualTo("paused");
        // The test send was never a send of the campaign.
        assertThat(ledger(campaignId).at("/counts/SENT").asInt()).isEqualTo(2);
    }

    private static void chooseSendTime(String value) {
        browser.executeScript(
                "var select = document.getElementById('sendTime'); select.value = arguments[0];"
                        + " select.dispatchEvent(new Event('change', {bubbles: true}));",
                value);
    }

    /** Whether the field with this id is rendered (a hidden schedule field is not). */
    private static boolean shown(String id) {
        return browser.findElement(By.id(id)).isDisplayed();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static JsonNode ledger(String campaignId) {
        return ServeApps.api(
                APP.getLocalPort(), "GET", "/v1/campaigns/" + campaignId + "/ledger", apiKey, null);
    }

    private static void api(String method, String path, String body) {
        ServeApps.api(APP.getLocalPort(), method, path, apiKey, body);
    }
}
