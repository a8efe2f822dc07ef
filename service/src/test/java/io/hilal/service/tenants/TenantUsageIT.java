package io.hilal.service.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class TenantUsageIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();

    @Test
    void theOperatorReadsATenantsUsageAndNobodyElseCan() {
        String[] metered = Api.newTenant(APP.getLocalPort(), "metered");
        String[] neighbour = Api.newTenant(APP.getLocalPort(), "neighbour");
        Api tenant = new Api(APP.getLocalPort(), metered[1]);
        Api operator = tenant.as(TestApps.OPERATOR_KEY);
        tenant.put("/v1/customers/c-1", "{\"email\": \"a@example.com\"}");
        tenant.put("/v1/customers/c-2", "{\"email\": \"b@example.com\"}");
        new Api(APP.getLocalPort(), neighbour[1]).put("/v1/customers/x", "{}");

        Api.Reply usage = operator.get("/v1/operator/tenants/" + metered[0] + "/usage?days=7");

        assertThat(usage.status()).isEqualTo(200);
        assertThat(usage.json().get("stored").get("customers").asLong()).isEqualTo(2);
        assertThat(usage.json().get("days")).hasSize(7);
        assertThat(operator.get("/v1/operator/tenants/" + metered[0] + "/usage").json().get("days"))
                .hasSize(30);
        assertThat(tenant.get("/v1/operator/tenants/" + metered[0] + "/usage").status())
                .as("a tenant's own key is not the operator's")
                .isEqualTo(401);
        Api.Reply missing = operator.get("/v1/operator/tenants/ten_missing/usage");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).isEqualTo("application/problem+json");
        Api.Reply bad = operator.get("/v1/operator/tenants/" + metered[0] + "/usage?days=0");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("days");
    }
}
