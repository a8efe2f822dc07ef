package io.hilal.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.RawHttp;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.campaigns.MailCapture;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code serve} on a fresh database with no SMTP relay configured: a campaign created and launched
 * through the API goes out at its time through the in-process worker's Quartz job, into the
 * built-in capture, and only then.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ServeIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = ServeApps.serve();

    @Test
    void aCampaignCreatedThroughTheApiGoesOutAtItsTimeIntoTheBuiltInCapture() throws Exception {
        // Customers where it is around noon now: away from the default quiet hours and midnight.
        String zone = ServeApps.zone(ServeApps.noonOffset());
        String key = ServeApps.shop(APP.getLocalPort(), "Serve test", zone, zone, zone);
        // The next whole minute at least 15 seconds away, leaving time to launch before it.
        ZonedDateTime sendAt = ServeApps.nextMinute(zone, Duration.ofSeconds(15));
        LocalTime localTime = sendAt.toLocalTime();
        JsonNode campaign =
                send(
                        "POST",
                        "/v1/campaigns",
                        key,
                        "{\"name\": \"In two minutes\", \"holdoutShare\": 0, \"offer\":"
                                + " {\"subject\": \"Hello {{firstName}}\", \"html\":"
                                + " \"<p>Hello</p>\", \"text\": \"Hello\"}, \"schedule\":"
                                + " {\"type\": \"at\", \"date\": \""
                                + sendAt.toLocalDate()
                                + "\", \"localTime\": \""
                                + localTime
                                + "\", \"validFor\": \"PT1H\"}}");
        String id = campaign.get("id").asText();
        send("POST", "/v1/campaigns/" + id + "/launch", key, null);
        MailCapture capture = ((HilalApplication) APP.getApplication()).mailCapture();
        assertThat(capture.running()).isTrue();

        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> capture.contents(id::equals, 10).count() == 3);

        Instant due = sendAt.toInstant();
        assertThat(Instant.now()).isAfterOrEqualTo(due);
        MailCapture.Contents contents = capture.contents(id::equals, 10);
        assertThat(contents.latest())
                .extracting(MailCapture.Email::to)
                .containsExactlyInAnyOrder(
                        "c1@example.invalid", "c2@example.invalid", "c3@example.invalid");
        assertThat(contents.latest())
                .allSatisfy(email -> assertThat(email.receivedAt()).isAfterOrEqualTo(due));
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                send("GET", "/v1/campaigns/" + id + "/ledger", key, null)
                                        .at("/counts/SENT")
                                        .asInt(),
                        sent -> sent == 3);

        // The dashboard's outbox says plainly where the mail went, and shows it to its tenant
        // only.
        String outbox = dashboardPage(key, "/dashboard/outbox");
        assertThat(outbox)
                .contains("No SMTP relay is configured")
                .contains("The capture holds 3 emails of your campaigns")
                .contains("c1@example.invalid")
                .contains("In two minutes");
        String otherKey = ServeApps.shop(APP.getLocalPort(), "Other");
        String otherOutbox = dashboardPage(otherKey, "/dashboard/outbox");
        assertThat(otherOutbox)
                .contains("The capture holds 0 emails of your campaigns")
                .doesNotContain("c1@example.invalid");
    }

    /**
     * Issue 19: serve has one admin port for both halves (the worker's health check and metrics are
     * on it), and it is guarded: another Host or a cross-site POST to a task is refused.
     */
    @Test
    void theOneAdminPortServesBothHalvesAndIsGuarded() {
        int port = APP.getAdminPort();
        String host = "127.0.0.1:" + port;

        String health = RawHttp.request(port, "GET", "/healthcheck", host);
        String rebound = RawHttp.request(port, "GET", "/healthcheck", "evil.example:" + port);
        String crossSite =
                RawHttp.request(port, "POST", "/tasks/gc", host, "Origin: https://evil.example");

        assertThat(RawHttp.status(health)).isEqualTo(200);
        assertThat(health).contains("\"database\"").contains("\"scheduler\"");
        assertThat(RawHttp.status(rebound)).isEqualTo(403);
        assertThat(rebound).doesNotContain("\"scheduler\"");
        assertThat(RawHttp.status(crossSite)).isEqualTo(403);
        assertThat(APP.getEnvironment().getAdminContext().getServer().getConnectors())
                .as("one application and one admin connector: no second, unguarded admin port")
                .hasSize(2);
    }

    /** A dashboard page as a browser signed in with {@code apiKey} through the form sees it. */
    private static String dashboardPage(String apiKey, String path) throws Exception {
        HttpClient browser =
                HttpClient.newBuilder()
                        .cookieHandler(new CookieManager())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        String signIn =
                browser.send(
                                HttpRequest.newBuilder(URI.create(base + "/dashboard/sign-in"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"").matcher(signIn);
        assertThat(csrf.find()).isTrue();
        String form =
                "method=key&apiKey="
                        + URLEncoder.encode(apiKey, StandardCharsets.UTF_8)
                        + "&csrf="
                        + csrf.group(1);
        HttpResponse<String> signedIn =
                browser.send(
                        HttpRequest.newBuilder(URI.create(base + "/dashboard/sign-in"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("Origin", base)
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(303);
        HttpResponse<String> page =
                browser.send(
                        HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }

    private static JsonNode send(String method, String path, String token, String body) {
        return ServeApps.api(APP.getLocalPort(), method, path, token, body);
    }
}
