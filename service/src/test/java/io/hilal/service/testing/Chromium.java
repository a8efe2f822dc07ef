package io.hilal.service.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The browser tests' headless Chromium: Debian's chromium driven through its own chromedriver
 * (named explicitly, so Selenium never downloads one), in a throw-away profile, at a laptop's
 * 1366×768. Without the browser a test using it is skipped with a message, unless {@code
 * HILAL_REQUIRE_BROWSER} is set (CI sets it), when it fails instead. With {@code
 * -Dhilal.screenshots=DIR} {@link #screenshot} saves whole pages there.
 */
public final class Chromium implements AutoCloseable {
    private static final String CHROMIUM =
            System.getProperty("hilal.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER =
            System.getProperty("hilal.chromedriver", "/usr/bin/chromedriver");
    static final int WIDTH = 1366;
    static final int HEIGHT = 768;

    private final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts the browser, or skips the calling test class when it is not installed. */
    public static Chromium startOrSkip() {
        boolean installed =
                Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        if (!installed && System.getenv("HILAL_REQUIRE_BROWSER") != null) {
            throw new IllegalStateException(
                    "Browser tests need "
                            + CHROMIUM
                            + " and "
                            + CHROMEDRIVER
                            + ": apt-get install chromium chromium-driver");
        }
        Assumptions.assumeTrue(
                installed,
                "Skipping browser tests: install chromium and chromium-driver (.ci/run does)");
        try {
            Path profile = Files.createTempDirectory("hilal-chromium-");
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
                    "--window-size=" + WIDTH + "," + HEIGHT,
                    "--user-data-dir=" + profile);
            ChromeDriver driver =
                    new ChromeDriver(
                            new ChromeDriverService.Builder()
                                    .usingDriverExecutable(new File(CHROMEDRIVER))
                                    .usingAnyFreePort()
                                    .build(),
                            options);
            driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
            return new Chromium(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Waits for the page whose heading is {@code text} (a click's page load may be under way). */
    public void heading(String text) {
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> driver.findElement(By.tagName("h1")).getText().equals(text));
    }

    /** Replaces what the field with this id holds by {@code text}, typed as a person would. */
    public void type(String id, String text) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /**
     * Saves the whole page at the window's width as {@code name.png}, when screenshots are asked
     * for. The viewport is made as tall as the page first: a capture "beyond the viewport" leaves
     * out-of-process frames (a sandboxed email frame is one) blank below the first 768 pixels.
     */
    public void screenshot(String name) {
        String folder = System.getProperty("hilal.screenshots");
        if (folder == null) {
            return;
        }
        try {
            Path target = Path.of(folder).resolve(name + ".png");
            Files.createDirectories(target.getParent());
            long height =
                    ((Number) driver.executeScript("return document.documentElement.scrollHeight"))
                            .longValue();
            driver.executeCdpCommand(
                    "Emulation.setDeviceMetricsOverride",
                    Map.of(
                            "width",
                            WIDTH,
                            "height",
                            Math.max(HEIGHT, height),
                            "deviceScaleFactor",
                            1,
                            "mobile",
                            false));
            try {
                Map<String, Object> shot =
                        driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
                Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
            } finally {
                driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
