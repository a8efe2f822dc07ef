package io.hilal.service.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests Jetty rejects before any context sees them (an empty path segment is an ambiguous URI)
 * still answer problem+json, not Jetty's HTML error page. The JDK client sends the path as given.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class JettyErrorsIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    static String key;

    @BeforeAll
    static void tenant() {
        key = Api.newTenant(APP.getLocalPort(), "jetty-errors")[1];
    }

    @ParameterizedTest(name = "{0} key")
    @ValueSource(strings = {"valid", "bogus", "no"})
    void emptyPathSegmentAnswersProblemJson(String who) {
        String token =
                switch (who) {
                    case "valid" -> key;
                    case "bogus" -> "hk_live_0000000000000000_" + "0".repeat(64);
                    default -> null;
                };

        Api.Reply reply = new Api(APP.getLocalPort(), token).get("/v1/campaigns//ledger");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.json().get("status").asInt()).isEqualTo(400);
        assertThat(reply.json().get("code").asText()).isEqualTo("http_400");
        assertThat(reply.json().get("type").asText()).isEqualTo("/problems/http_400");
        assertThat(reply.json().get("title").asText()).isEqualTo("Bad Request");
        assertThat(reply.body()).doesNotContain("<html").doesNotContain("Exception");
        // Like every problem: an id to quote to the operator, the same in the header.
        assertThat(reply.json().get("requestId").asText()).startsWith("req_");
        assertThat(reply.header("X-Request-Id")).isEqualTo(reply.json().get("requestId").asText());
    }

    @Test
    void anAmbiguousPathSeparatorAnswersProblemJsonWithARequestId() {
        Api.Reply reply = new Api(APP.getLocalPort(), key).put("/v1/products/a%2Fb", "{}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.json().get("requestId").asText()).startsWith("req_");
    }
}
