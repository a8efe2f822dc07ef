package io.hilal.service.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class RateLimitIT {
    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(
                    ConfigOverride.config("rateLimit.requestsPerSecond", "1"),
                    ConfigOverride.config("rateLimit.burst", "3"));

    @Test
    void answers429WithRetryAfterOnceATenantsBurstIsSpentAndLeavesOtherTenantsAlone() {
        Api busy = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "busy")[1]);
        Api quiet = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "quiet")[1]);
        Api.Reply last = null;
        for (int i = 0; i < 6; i++) {
            last = busy.get("/v1/overview");
            if (last.status() == 429) {
                break;
            }
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.contentType()).isEqualTo("application/problem+json");
        assertThat(last.json().get("code").asText()).isEqualTo("rate_limited");
        assertThat(last.json().get("retryable").asBoolean()).isTrue();
        assertThat(Integer.parseInt(last.header("Retry-After"))).isBetween(1, 2);

        assertThat(quiet.get("/v1/overview").status()).isEqualTo(200);
    }
}
