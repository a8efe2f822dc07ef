package io.hilal.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A marketer's whole flow through the studio's forms in headless Chromium, on {@code serve} with
 * its worker and the built-in capture: create a draft, preview it, send a test, launch after the
 * confirmation, watch the outbox fill at the send time, and pause what is still to come. With
 * {@code -Dhilal.screenshots=DIR} it saves the pages, as the service's dashboard browser test does.
 * Skipped without Chromium unless {@code HILAL_REQUIRE_BROWSER} is set.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StudioBrowserIT {
    private static final String OPERATOR_KEY = "test-operator-key-0123456789";
    private static final String CHROMIUM =
            System.getProperty("hilal.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER =
            System.getProperty("hilal.chromedriver", "/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static final DropwizardAppExtension<HilalConfiguration> APP =
            new DropwizardAppExtension<>(
                    HilalServer.class,
                    config("service.yml"),
                    (String) null,
                    application ->
                            new ServeCommand(
                                    (HilalApplication) application, config("campaign-worker.yml")),
                    ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                    ConfigOverride.config("server.adminConnectors[0].port", "0"),
                    ConfigOverride.config("database.url", TestDatabase.newSchema()),
                    ConfigOverride.config("database.user", TestDatabase.user()),
                    ConfigOverride.config("database.password", TestDatabase.password()),
                    ConfigOverride.config("operatorKey", OPERATOR_KEY),
                    ConfigOverride.config(
                            "mailLinks.secret", "test-link-secret-0123456789abcdef0123456789"),
                    ConfigOverride.config("logging.level", "WARN"),
                    ConfigOverride.config(ServeCommand.WORKER_PROPERTY_PREFIX, "smtp.host", ""),
                    ConfigOverride.config(
                            ServeCommand.WORKER_PROPERTY_PREFIX, "sending.pollSeconds", "1"));

    static ChromeDriver browser;
    static Path profile;
    static String apiKey;
    static String zone;
    static String laterZone;

    private static String config(String file) {
        return Path.of("..", "config", file).toAbsolutePath().normalize().toString();
    }

    @BeforeAll
    static void startBrowser() throws Exception {
        boolean installed =
                Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        if (!installed && System.getenv("HILAL_REQUIRE_BROWSER") != null) {
            throw new IllegalStateException(
                    "Browser tests need " + CHROMIUM + " and " + CHROMEDRIVER);
        }
        Assumptions.assumeTrue(
                installed,
                "Skipping browser tests: install chromium and chromium-driver (.ci/run does)");
        apiKey =
                api("POST", "/v1/operator/tenants", OPERATOR_KEY, "{\"name\": \"Souq Dates\"}")
                        .get("apiKey")
                        .asText();
        api(
                "PUT",
                "/v1/sender-identity",
                apiKey,
                "{\"fromAddress\": \"offers@souq.example\", \"fromName\": \"Souq Dates\","
                        + " \"postalAddress\": \"1 Souq St, Riyadh\"}");
        // Two customers where it is about noon, one an hour behind them: their 12:xx comes an
        // hour later, so the campaign is still running when the first two have their email.
        int offset =
                Math.max(-11, Math.min(14, 12 - ZonedDateTime.now(ZoneId.of("UTC")).getHour()));
        zone = etc(offset);
        laterZone = etc(offset - 1);
        for (int i = 1; i <= 3; i++) {
            api(
                    "PUT",
                    "/v1/customers/c-" + i,
                    apiKey,
                    "{\"email\": \"c"
                            + i
                            + "@example.invalid\", \"timeZone\": \""
                            + (i == 3 ? laterZone : zone)
                            + "\", \"emailConsent\": {\"status\": \"granted\", \"source\":"
                            + " \"test\"}}");
        }
        profile = Files.createTempDirectory("hilal-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--window-size=1366,768",
                "--user-data-dir=" + profile);
        browser =
                new ChromeDriver(
                        new ChromeDriverService.Builder()
                                .usingDriverExecutable(new File(CHROMEDRIVER))
                                .usingAnyFreePort()
                                .build(),
                        options);
        browser.manage().window().setSize(new Dimension(1366, 768));
    }

    private static String etc(int offset) {
        return offset == 0 ? "UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void createPreviewTestSendLaunchWatchTheOutboxAndPause() throws Exception {
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        browser.get(base + "/dashboard/campaigns");
        heading("Sign in to your dashboard");
        WebElement key = browser.findElement(By.id("api-key"));
        key.sendKeys(apiKey);
        key.sendKeys(Keys.ENTER);
        heading("Campaigns");

        browser.findElement(By.id("new-campaign")).click();
        heading("New campaign");
        assertThat(browser.findElement(By.cssSelector(".notice")).getText())
                .contains("No SMTP relay is configured");
        // The next whole minute at least 20 seconds away in the customers' zone.
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of(zone));
        ZonedDateTime sendAt = now.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        if (Duration.between(now, sendAt).getSeconds() < 20) {
            sendAt = sendAt.plusMinutes(1);
        }
        type("name", "Eid restock");
        type("holdoutShare", "0");
        // "On a date" is the default schedule; choose it by keyboard as a person would.
        browser.findElement(By.id("scheduleType")).sendKeys("On a date");
        // A date input takes the date as typed in the browser's locale; set its value directly.
        browser.executeScript(
                "document.getElementById('date').value = arguments[0];",
                sendAt.toLocalDate().toString());
        browser.executeScript(
                "document.getElementById('localTime').value = arguments[0];",
                sendAt.toLocalTime().toString());
        type("validFor", "PT2H");
        type("subject", "Eid Mubarak, {{customer.id}}");
        screenshot("studio-new");
        browser.findElement(By.id("save")).click();
        heading("Preview Eid restock");

        assertThat(browser.findElement(By.id("reachable")).getText()).isEqualTo("3");
        assertThat(browser.findElement(By.id("held-out")).getText()).isEqualTo("0");
        assertThat(browser.findElement(By.id("lift-outlook")).getText())
                .contains("will never give an answer");
        assertThat(browser.findElement(By.id("preview-subject")).getText())
                .isEqualTo("Eid Mubarak, c-1");
        WebElement frame = browser.findElement(By.id("preview-frame"));
        assertThat(frame.getAttribute("sandbox")).isEmpty();
        screenshot("studio-preview");

        // A test to a typed address: into the capture, never into the ledger.
        type("address", "marketer@shop.example");
        browser.findElement(By.id("test-send")).click();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("notice")).getText().contains("marketer@"));
        String campaignId =
                browser.getCurrentUrl().replaceAll(".*/dashboard/studio/([^/?]+).*", "$1");

        browser.findElement(By.linkText("Launch…")).click();
        heading("Launch Eid restock?");
        assertThat(browser.findElement(By.id("consequence")).getText())
                .contains("will email about 3 customers at " + sendAt.toLocalTime())
                .contains("0 held out");
        screenshot("studio-confirm");
        browser.findElement(By.id("confirm")).click();
        heading("Eid restock");

        // At the send time the worker's emails arrive in the outbox: c-1 and c-2 now, c-3 later.
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(
                        () -> {
                            browser.get(base + "/dashboard/outbox");
                            return browser.findElement(By.id("captured-count"))
                                    .getText()
                                    .contains("holds 3 emails");
                        });
        String outbox = browser.findElement(By.tagName("main")).getText();
        assertThat(outbox)
                .contains("c1@example.invalid")
                .contains("c2@example.invalid")
                .contains("marketer@shop.example")
                .doesNotContain("c3@example.invalid");
        screenshot("studio-outbox");
        JsonNode ledger = ledger(campaignId);
        assertThat(ledger.at("/counts/SENT").asInt()).isEqualTo(2);
        assertThat(ledger.at("/counts/PLANNED").asInt()).isEqualTo(1);

        browser.get(base + "/dashboard/studio/" + campaignId);
        heading("Preview Eid restock");
        browser.findElement(By.linkText("Pause…")).click();
        heading("Pause Eid restock?");
        assertThat(browser.findElement(By.id("consequence")).getText())
                .contains("1 waiting sends stay planned");
        browser.findElement(By.id("confirm")).click();
        heading("Eid restock");
        assertThat(api("GET", "/v1/campaigns/" + campaignId, apiKey, null).get("status").asText())
                .isEqualTo("paused");
        // The test send was never a send of the campaign.
        assertThat(ledger(campaignId).at("/counts/SENT").asInt()).isEqualTo(2);
    }

    private static JsonNode ledger(String campaignId) {
        try {
            return api("GET", "/v1/campaigns/" + campaignId + "/ledger", apiKey, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void type(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private static void heading(String text) {
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.tagName("h1")).getText().equals(text));
    }

    private static void screenshot(String name) {
        String folder = System.getProperty("hilal.screenshots");
        if (folder == null) {
            return;
        }
        try {
            Path target = Path.of(folder).resolve(name + ".png");
            Files.createDirectories(target.getParent());
            long height =
                    ((Number) browser.executeScript("return document.documentElement.scrollHeight"))
                            .longValue();
            Map<String, Object> shot =
                    browser.executeCdpCommand(
                            "Page.captureScreenshot",
                            Map.of(
                                    "format",
                                    "png",
                                    "captureBeyondViewport",
                                    true,
                                    "clip",
                                    Map.of(
                                            "x", 0, "y", 0, "width", 1366, "height", height,
                                            "scale", 1)));
            Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode api(String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                        .header("Authorization", "Bearer " + token)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response =
                HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isLessThan(300);
        return JSON.readTree(response.body());
    }
}
