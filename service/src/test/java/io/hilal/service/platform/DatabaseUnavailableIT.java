package io.hilal.service.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.LoopbackProxy;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The database goes away under a running service: clients get a retryable 503, not a 500. */
@ExtendWith(DropwizardExtensionsSupport.class)
class DatabaseUnavailableIT {
    static final LoopbackProxy PROXY = proxy();
    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(
                    TestDatabase.newSchema()
                            .replace(
                                    ":" + TestDatabase.server().port() + "/",
                                    ":" + PROXY.port() + "/"));

    private static LoopbackProxy proxy() {
        try {
            return new LoopbackProxy(TestDatabase.server().port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void closeProxy() throws IOException {
        PROXY.close();
    }

    @Test
    void answers503RetryableWhileTheDatabaseIsGoneAndRecoversAfter() throws IOException {
        String key = Api.newTenant(APP.getLocalPort(), "outage")[1];
        Api api = new Api(APP.getLocalPort(), key);
        String event =
                "{\"events\": [{\"messageId\": \"during\", \"type\": \"search\", \"customerId\": \"c\","
                        + " \"query\": \"dates\"}]}";

        PROXY.cut();
        Api.Reply down = api.post("/v1/events", event);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.contentType()).isEqualTo("application/problem+json");
        assertThat(down.json().get("code").asText()).isEqualTo("database_unavailable");
        assertThat(down.json().get("retryable").asBoolean()).isTrue();

        Api.Reply health = adminGet("/healthcheck");
        assertThat(health.status()).isEqualTo(500);
        assertThat(health.json().get("database").get("healthy").asBoolean()).isFalse();
        assertThat(health.json().get("database").get("message").asText())
                .startsWith("database unreachable");
        assertThat(health.body()).doesNotContain("stack").doesNotContain("\tat ");

        PROXY.restore();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(api.get("/v1/overview").status()).isEqualTo(200));
        assertThat(api.get("/v1/overview").json().get("events").asLong()).isZero();
        assertThat(api.post("/v1/events", event).json().get("accepted").asInt()).isEqualTo(1);
        assertThat(adminGet("/healthcheck").status()).isEqualTo(200);
    }

    private static Api.Reply adminGet(String path) {
        return new Api(APP.getAdminPort(), "none").get(path);
    }
}
