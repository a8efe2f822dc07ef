package io.hilal.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.dashboard.DashboardClient;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code serve --no-worker}, the service as production runs it beside separate workers: the
 * studio's test sends go through the workers' relay ({@code HILAL_SMTP_HOST}), so a marketer can
 * check a campaign's email before launch without a worker in the service's process.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ServeAloneIT {
    private static final GreenMail RELAY = ServeApps.relay();

    static final DropwizardAppExtension<HilalConfiguration> APP = ServeApps.serveAlone(RELAY);

    @AfterAll
    static void stopRelay() {
        RELAY.stop();
    }

    @Test
    void aStudioTestSendGoesThroughTheWorkersRelayWithNoWorkerInTheProcess() throws Exception {
        int port = APP.getLocalPort();
        String key = ServeApps.shop(port, "Alone", "UTC");
        String campaign =
                ServeApps.api(
                                port,
                                "POST",
                                "/v1/campaigns",
                                key,
                                "{\"name\": \"Restock\", \"offer\": {\"subject\": \"Time to"
                                        + " restock\", \"html\": \"<p>Hello</p>\", \"text\":"
                                        + " \"Hello\"}, \"schedule\": {\"type\": \"at\","
                                        + " \"date\": \"2030-01-01\", \"localTime\":"
                                        + " \"10:00\"}}")
                        .get("id")
                        .asText();
        DashboardClient browser = new DashboardClient(port);
        assertThat(browser.signInWithKey(key).statusCode()).isEqualTo(303);
        String studio = browser.get("/dashboard/studio/" + campaign).body();
        assertThat(studio).contains("id=\"test-send\"").doesNotContain("Test sends need");

        HttpResponse<String> sent =
                browser.post(
                        "/dashboard/studio/" + campaign + "/test-send",
                        Map.of(
                                "address",
                                "marketer@shop.example",
                                "csrf",
                                DashboardClient.csrfOf(studio)));

        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(303);
        await().atMost(Duration.ofSeconds(20)).until(() -> RELAY.getReceivedMessages().length == 1);
        MimeMessage test = RELAY.getReceivedMessages()[0];
        assertThat(test.getSubject()).isEqualTo("[Test] Time to restock");
        assertThat(Arrays.stream(test.getAllRecipients()).map(Object::toString).toList())
                .isEqualTo(List.of("marketer@shop.example"));
        // No worker runs here, so no built-in capture either.
        assertThat(((HilalApplication) APP.getApplication()).mailCapture().running()).isFalse();
    }
}
