package io.hilal.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 19: every error answer, including the ones Jetty writes before Jersey sees the request
 * (methods nothing serves, paths outside the API), is an RFC 9457 problem body, never empty.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErrorBodiesIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    static String key;

    @BeforeAll
    static void tenant() {
        key = Api.newTenant(APP.getLocalPort(), "error-bodies")[1];
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "PUT, /v1/events",
        "DELETE, /v1/events",
        "PATCH, /v1/customers/c1",
        "PUT, /nowhere",
        "DELETE, /nowhere",
        "PROPFIND, /v1/events",
        "BREW, /v1/events",
        "TRACE, /v1/events",
        "PUT, /",
        "DELETE, /dashboard",
        "PUT, /segment/v1/batch",
        "DELETE, /v1/unsubscribe/abc",
    })
    void everyErrorIsProblemJson(String method, String path) {
        for (String token : new String[] {key, null}) {
            Api.Reply reply =
                    new Api(APP.getLocalPort(), token).send(method, path, "{}", "application/json");

            assertThat(reply.status()).as(method + " " + path).isBetween(400, 499);
            assertThat(reply.contentType())
                    .as(method + " " + path)
                    .isEqualTo("application/problem+json");
            assertThat(reply.json().get("status").asInt()).isEqualTo(reply.status());
            assertThat(reply.json().get("code").asText()).isNotBlank();
        }
    }
}
