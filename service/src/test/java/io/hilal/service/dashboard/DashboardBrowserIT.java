package io.hilal.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.ModelRetention;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.dashboard.charts.Format;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.Chromium;
import io.hilal.service.testing.TestApps;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in a real browser (the shared {@link Chromium} fixture). Signs in with the form,
 * visits every page through its links and checks the charts carry the lift report's numbers. With
 * {@code -Dhilal.screenshots=DIR} it also saves a screenshot of each page, at a laptop's 1366×768.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardBrowserIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(DATABASE, DashboardFixtures.LIFT_SETTINGS);
    static Chromium chromium;
    static ChromeDriver browser;
    static String tenantId;
    static String apiKey;
    static String campaignId;
    static String base;

    @BeforeAll
    static void startBrowser() {
        chromium = Chromium.startOrSkip();
        browser = chromium.driver();

        String[] tenant = Api.newTenant(APP.getLocalPort(), "Souq Dates");
        tenantId = tenant[0];
        apiKey = tenant[1];
        campaignId =
                new DashboardFixtures(DATABASE)
                        .campaignWithLift(
                                new Api(APP.getLocalPort(), apiKey), tenant[0], "eid-restock");
        base = "http://127.0.0.1:" + APP.getLocalPort();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    private static void heading(String text) {
        chromium.heading(text);
    }

    private static void screenshot(String name) {
        chromium.screenshot(name);
    }

    private static void menu(String label) {
        browser.findElement(By.linkText(label)).click();
    }

    @Test
    void signsInVisitsEveryPageAndSeesTheReportsNumbersInTheCharts() {
        browser.get(base + "/dashboard/lift");
        heading("Sign in to your dashboard");
        screenshot("sign-in");
        // The first Tab reaches the skip link: keyboard users can jump past the header.
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Skip to content");

        WebElement key = browser.findElement(By.id("api-key"));
        key.sendKeys(apiKey);
        key.sendKeys(Keys.ENTER);
        // Back to the page first asked for.
        heading("Lift");
        assertThat(browser.getCurrentUrl()).endsWith("/dashboard/lift");

        // The stored report, as the lift API serves it: the chart and the table must agree with it.
        JsonNode repeat =
                new Api(APP.getLocalPort(), apiKey)
                        .get("/v1/campaigns/" + campaignId + "/lift")
                        .json()
                        .at("/metrics/repeatPurchaseRate");
        double difference = repeat.get("difference").asDouble() * 100;
        double low = repeat.get("low").asDouble() * 100;
        double high = repeat.get("high").asDouble() * 100;
        assertThat(difference).isCloseTo(30, within(1e-9));
        assertThat(low).isGreaterThan(0).isLessThan(difference);
        WebElement forest = browser.findElement(By.id("lift-forest"));
        assertThat(forest.getAttribute("role")).isEqualTo("img");
        WebElement estimate = forest.findElement(By.cssSelector("g.estimate"));
        assertThat(Double.parseDouble(estimate.getAttribute("data-estimate")))
                .isEqualTo(Math.round(difference * 100) / 100.0);
        assertThat(Double.parseDouble(estimate.getAttribute("data-low")))
                .isEqualTo(Math.round(low * 100) / 100.0);
        assertThat(Double.parseDouble(estimate.getAttribute("data-high")))
                .isEqualTo(Math.round(high * 100) / 100.0);
        String shown =
                Format.points(difference)
                        + " ["
                        + Format.signed(low)
                        + ", "
                        + Format.signed(high)
                        + "]";
        assertThat(forest.findElement(By.cssSelector("text.value")).getText()).isEqualTo(shown);
        WebElement row = browser.findElement(By.cssSelector("#lift-table tr[data-campaign]"));
        assertThat(row.findElement(By.cssSelector("td.difference")).getText()).startsWith("+30 pp");
        assertThat(row.findElement(By.cssSelector("td.interval")).getText())
                .isEqualTo(Format.signed(low) + " to " + Format.signed(high) + " pp");
        assertThat(row.findElement(By.cssSelector("td.status")).getText()).isEqualTo("Final");
        screenshot("lift");

        browser.findElement(By.linkText("eid-restock")).click();
        heading("Lift of eid-restock");
        WebElement curves = browser.findElement(By.id("repeat-curves"));
        assertThat(
                        curves.findElement(By.cssSelector("g.series.treated[data-final-rate]"))
                                .getAttribute("data-final-rate"))
                .isEqualTo("50");
        assertThat(
                        curves.findElement(By.cssSelector("g.series.holdout[data-final-rate]"))
                                .getAttribute("data-final-rate"))
                .isEqualTo("20");
        assertThat(browser.findElement(By.id("treated-rate")).getText()).isEqualTo("50.0%");
        assertThat(browser.findElement(By.id("holdout-rate")).getText()).isEqualTo("20.0%");
        assertThat(browser.findElement(By.id("interval")).getText())
                .isEqualTo(
                        "96% interval "
                                + Format.signed(low)
                                + " to "
                                + Format.signed(high)
                                + " pp");
        assertThat(browser.findElement(By.id("verdict")).getText())
                .startsWith("The campaign raised repeat purchases");
        screenshot("lift-report");

        menu("Overview");
        heading("Overview");
        assertThat(browser.findElement(By.id("customers")).getText()).isEqualTo("80");
        assertThat(browser.findElement(By.id("repeat-rate")).getText()).isEqualTo("35.0%");
        List<WebElement> bars = browser.findElements(By.cssSelector("#events-per-day rect.bar"));
        assertThat(bars).hasSize(90);
        long charted =
                bars.stream()
                        .mapToLong(bar -> Long.parseLong(bar.getAttribute("data-events")))
                        .sum();
        assertThat(charted)
                .isEqualTo(Long.parseLong(browser.findElement(By.id("events")).getText()));
        screenshot("overview");

        menu("Models");
        heading("Models");
        assertThat(browser.findElement(By.tagName("main")).getText())
                .contains("No trained model yet");
        screenshot("models");

        // Eight runs' factor models (not better than popularity: never served), of which the
        // worker keeps the newest five: the page lists five.
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(DATABASE)));
        ModelStore models = new ModelStore(jdbi, Clock.systemUTC());
        for (int run = 0; run < 8; run++) {
            models.saveAndActivate(
                    tenantId,
                    new ModelStore.Trained(
                            "als",
                            null,
                            null,
                            "{\"factors\":64}",
                            "{\"validationRecall@20\":0.1" + run + "}",
                            new byte[] {1, 2, 3}));
        }
        new ModelRetention(jdbi, ModelRetention.DEFAULT_KEEP).prune(tenantId);
        menu("Models");
        heading("Models");
        assertThat(browser.findElements(By.cssSelector("#model-versions tbody tr")))
                .extracting(version -> version.findElements(By.tagName("td")).get(1).getText())
                .containsExactly("8", "7", "6", "5", "4");
        assertThat(browser.findElement(By.id("versions-kept")).getText())
                .startsWith("The newest versions of each model are kept");
        screenshot("models-versions");

        menu("Customer rows");
        heading("Customer rows");
        WebElement customer = browser.findElement(By.id("customer"));
        customer.sendKeys("t-0");
        customer.sendKeys(Keys.ENTER);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !browser.findElements(By.id("rows")).isEmpty());
        assertThat(browser.findElement(By.id("rows")).getText()).contains("Rows for customer t-0");
        assertThat(browser.findElements(By.cssSelector("#rows .items li"))).isNotEmpty();
        screenshot("customer-rows");

        ((HilalApplication) APP.getApplication())
                .demoOutbox()
                .publish(
                        new DemoOutbox.Snapshot(
                                tenantId,
                                "eid-restock",
                                campaignId,
                                40,
                                List.of(
                                        new DemoOutbox.Email(
                                                "t-0@example.invalid",
                                                "Eid Mubarak! Time to restock?",
                                                "Eid Mubarak!\n\nUse code EID10.",
                                                "<html><body><h2>Eid Mubarak!</h2><p>Here is what"
                                                        + " you usually buy again.</p>"
                                                        + "<script>document.title='x'</script>"
                                                        + "</body></html>")),
                                Map.of("SENT", 40L, "HELD_OUT", 40L)));
        // In the demo the Outbox says where the demo's emails went, not that a relay got them.
        menu("Outbox");
        heading("Outbox");
        assertThat(browser.findElement(By.id("demo-notice")).getText())
                .contains("eid-restock")
                .contains("40 emails");
        assertThat(browser.findElements(By.id("relay-notice"))).isEmpty();
        menu("Campaigns");
        heading("Campaigns");
        browser.findElement(By.linkText("eid-restock")).click();
        heading("eid-restock");
        // The campaign page names the final report's interval as the lift page does (96%).
        assertThat(browser.findElement(By.id("lift-summary")).getText())
                .contains("(96% interval " + Format.signed(low) + " to " + Format.signed(high))
                .doesNotContain("95%");
        assertThat(browser.findElement(By.cssSelector("td[data-state='Sent']")).getText())
                .isEqualTo("40");
        assertThat(browser.findElement(By.cssSelector("td[data-state='Held out']")).getText())
                .isEqualTo("40");
        // The captured email's HTML renders in its sandboxed frame, and its script does not run.
        WebElement frame = browser.findElement(By.cssSelector("#demo-outbox iframe.email-html"));
        assertThat(frame.getAttribute("sandbox")).isEmpty();
        browser.switchTo().frame(frame);
        assertThat(browser.findElement(By.tagName("h2")).getText()).isEqualTo("Eid Mubarak!");
        assertThat(browser.getTitle()).isNotEqualTo("x");
        browser.switchTo().defaultContent();
        screenshot("campaign");

        browser.findElement(By.xpath("//button[text()='Sign out']")).click();
        heading("Sign in to your dashboard");
        browser.get(base + "/dashboard/campaigns");
        heading("Sign in to your dashboard");
    }

    @Test
    void aMarketerSetsTheProgramHoldoutOnTheLiftPageAndABadShareIsRefusedWithWhy() {
        browser.get(base + "/dashboard/lift");
        if (!browser.findElements(By.id("api-key")).isEmpty()) {
            WebElement key = browser.findElement(By.id("api-key"));
            key.sendKeys(apiKey);
            key.sendKeys(Keys.ENTER);
        }
        heading("Lift");
        Api api = new Api(APP.getLocalPort(), apiKey);
        JsonNode before = api.get("/v1/program-holdout").json();

        chromium.type("program-share", "30");
        browser.findElement(By.cssSelector("#program-control button[type='submit']")).click();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("program-error")).isDisplayed());
        assertThat(browser.findElement(By.id("program-error")).getText())
                .contains("The share must be a number from 0 (off) to 20");
        assertThat(api.get("/v1/program-holdout").json()).isEqualTo(before);

        chromium.type("program-share", "10");
        browser.findElement(By.cssSelector("#program-control button[type='submit']")).click();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(
                        () ->
                                browser.findElement(By.id("program-share-now"))
                                        .getText()
                                        .equals("10%"));
        assertThat(browser.findElements(By.id("program-error"))).isEmpty();
        assertThat(api.get("/v1/program-holdout").json().get("share").asDouble()).isEqualTo(0.1);
        assertThat(browser.findElement(By.id("program")).getText())
                .contains("A random 10% of customers gets no campaign or journey email");
        // Signed out again, as the other test expects to find the browser.
        browser.findElement(By.xpath("//button[text()='Sign out']")).click();
        heading("Sign in to your dashboard");
    }
}
