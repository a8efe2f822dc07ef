package io.hilal.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.TestApps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19: the admin port answers only to its own host names (no DNS rebinding), refuses
 * cross-origin requests that change something (a page POSTing to a task), and takes an admin token
 * when one is set. Raw HTTP over a socket, since the JDK client will not send a Host header of our
 * choosing.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminPortIT {
    static final String TOKEN = "test-admin-token-0123456789";
    static final DropwizardAppExtension<HilalConfiguration> OPEN = TestApps.app();
    static final DropwizardAppExtension<HilalConfiguration> WITH_TOKEN =
            TestApps.app(ConfigOverride.config("adminToken", TOKEN));

    @Test
    void answersOnlyToItsOwnHostNames() {
        int port = OPEN.getAdminPort();
        for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "localhost"}) {
            assertThat(status(request(port, "GET", "/healthcheck", host))).as(host).isEqualTo(200);
        }
        for (String host : new String[] {"evil.example", "evil.example:" + port, "127.0.0.2"}) {
            String reply = request(port, "GET", "/healthcheck", host);
            assertThat(status(reply)).as(host).isEqualTo(403);
            assertThat(reply).contains("application/problem+json").doesNotContain("\"healthy\"");
        }
    }

    @Test
    void everyAdminRequestHasAnIdForItsRequestLogLine() {
        int port = OPEN.getAdminPort();
        String host = "127.0.0.1:" + port;
        assertThat(request(port, "GET", "/health/live", host))
                .containsPattern("(?i)X-Request-Id: req_[0-9a-f]{32}");
        assertThat(request(port, "GET", "/health/live", host, "X-Request-Id: probe-17"))
                .containsPattern("(?i)X-Request-Id: probe-17");
        assertThat(request(port, "GET", "/healthcheck", "evil.example"))
                .containsPattern("(?i)X-Request-Id: req_[0-9a-f]{32}");
    }

    @Test
    void refusesCrossOriginPostsToTasks() {
        int port = OPEN.getAdminPort();
        String host = "127.0.0.1:" + port;

        String crossSite = request(port, "POST", "/tasks/gc", host, "Origin: https://evil.example");
        String fetchMetadata =
                request(port, "POST", "/tasks/gc", host, "Sec-Fetch-Site: cross-site");
        String sameOrigin = request(port, "POST", "/tasks/gc", host, "Origin: http://" + host);
        String noBrowser = request(port, "POST", "/tasks/gc", host);

        assertThat(status(crossSite)).isEqualTo(403);
        assertThat(crossSite).contains("application/problem+json");
        assertThat(status(fetchMetadata)).isEqualTo(403);
        assertThat(status(sameOrigin)).isEqualTo(200);
        assertThat(status(noBrowser)).isEqualTo(200);
        // Reading stays possible from anywhere on this host (a scraper sends no Origin anyway).
        assertThat(status(request(port, "GET", "/metrics", host, "Origin: https://evil.example")))
                .isEqualTo(200);
    }

    @Test
    void withATokenEveryRequestNeedsIt() {
        int port = WITH_TOKEN.getAdminPort();
        String host = "127.0.0.1:" + port;

        String none = request(port, "GET", "/metrics", host);
        String wrong = request(port, "GET", "/metrics", host, "Authorization: Bearer nope");
        String right = request(port, "GET", "/metrics", host, "Authorization: Bearer " + TOKEN);
        String task = request(port, "POST", "/tasks/gc", host, "Authorization: Bearer " + TOKEN);

        assertThat(status(none)).isEqualTo(401);
        assertThat(none).contains("WWW-Authenticate: Bearer").contains("application/problem+json");
        assertThat(status(wrong)).isEqualTo(401);
        assertThat(status(right)).isEqualTo(200);
        assertThat(right).contains("\"gauges\"");
        assertThat(status(task)).isEqualTo(200);
    }

    private static int status(String reply) {
        return Integer.parseInt(reply.substring(9, 12));
    }

    /** One HTTP/1.1 request with the given Host and extra header lines; the whole reply. */
    private static String request(
            int port, String method, String path, String host, String... headers) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder text =
                    new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
            for (String header : headers) {
                text.append(header).append("\r\n");
            }
            text.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            in.transferTo(reply);
            return reply.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
