package io.hilal.worker;

import static io.hilal.core.testing.RawHttp.request;
import static io.hilal.core.testing.RawHttp.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19: the worker's admin port is guarded as the service's is: it answers only to its own host
 * names, refuses cross-origin requests that change something, and needs the admin token when one is
 * set. Raw HTTP over a socket, to send the Host headers a browser under DNS rebinding would.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WorkerAdminPortIT {
    static final String TOKEN = "worker-admin-token-0123456789";
    static final String BEARER = "Authorization: Bearer " + TOKEN;

    static final DropwizardAppExtension<CampaignWorkerConfiguration> APP =
            new DropwizardAppExtension<>(
                    CampaignWorkerApplication.class,
                    Path.of("..", "config", "campaign-worker.yml")
                            .toAbsolutePath()
                            .normalize()
                            .toString(),
                    ConfigOverride.config("server.adminConnectors[0].port", "0"),
                    ConfigOverride.config("smtp.host", "127.0.0.1"),
                    ConfigOverride.config("database.url", TestDatabase.newSchema()),
                    ConfigOverride.config("database.user", TestDatabase.user()),
                    ConfigOverride.config("database.password", TestDatabase.password()),
                    ConfigOverride.config(
                            "mailLinks.secret", "test-link-secret-0123456789abcdef0123456789"),
                    ConfigOverride.config("adminToken", TOKEN),
                    ConfigOverride.config("logging.level", "WARN"));

    @Test
    void answersOnlyToItsOwnHostNames() {
        int port = APP.getAdminPort();
        for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "localhost"}) {
            assertThat(status(request(port, "GET", "/healthcheck", host, BEARER)))
                    .as(host)
                    .isEqualTo(200);
        }
        for (String host : new String[] {"evil.example", "evil.example:" + port, "127.0.0.2"}) {
            String reply = request(port, "GET", "/healthcheck", host, BEARER);
            assertThat(status(reply)).as(host).isEqualTo(403);
            assertThat(reply)
                    .contains("application/problem+json")
                    .contains("\"code\":\"insufficient_scope\"")
                    .doesNotContain("\"healthy\"");
        }
    }

    @Test
    void everyAdminRequestHasAnIdForItsRequestLogLineAsTheServicesDo() {
        int port = APP.getAdminPort();
        String host = "127.0.0.1:" + port;
        assertThat(request(port, "GET", "/health/live", host, BEARER))
                .containsPattern("(?i)X-Request-Id: req_[0-9a-f]{32}");
        assertThat(request(port, "GET", "/health/live", host, BEARER, "X-Request-Id: probe-17"))
                .containsPattern("(?i)X-Request-Id: probe-17");
        // Refused ones too: the guard's refusals are logged with their id.
        assertThat(request(port, "GET", "/healthcheck", "evil.example", BEARER))
                .containsPattern("(?i)X-Request-Id: req_[0-9a-f]{32}");
    }

    @Test
    void refusesCrossOriginPostsToTasksEvenWithTheToken() {
        int port = APP.getAdminPort();
        String host = "127.0.0.1:" + port;

        String crossSite =
                request(port, "POST", "/tasks/gc", host, BEARER, "Origin: https://evil.example");
        String fetchMetadata =
                request(port, "POST", "/tasks/gc", host, BEARER, "Sec-Fetch-Site: cross-site");
        String sameOrigin =
                request(port, "POST", "/tasks/gc", host, BEARER, "Origin: http://" + host);

        assertThat(status(crossSite)).isEqualTo(403);
        assertThat(crossSite).contains("application/problem+json");
        assertThat(status(fetchMetadata)).isEqualTo(403);
        assertThat(status(sameOrigin)).isEqualTo(200);
    }

    @Test
    void everyRequestNeedsTheTokenWhenOneIsSet() {
        int port = APP.getAdminPort();
        String host = "127.0.0.1:" + port;

        String none = request(port, "GET", "/healthcheck", host);
        String wrong = request(port, "GET", "/metrics", host, "Authorization: Bearer nope");
        String task = request(port, "POST", "/tasks/gc", host);
        String right = request(port, "GET", "/metrics", host, BEARER);

        assertThat(status(none)).isEqualTo(401);
        assertThat(none).contains("WWW-Authenticate: Bearer").contains("application/problem+json");
        assertThat(none).doesNotContain("\"healthy\"");
        assertThat(status(wrong)).isEqualTo(401);
        assertThat(status(task)).isEqualTo(401);
        assertThat(status(right)).isEqualTo(200);
        assertThat(right).contains("\"gauges\"");
    }
}
