package io.hilal.service.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class ModelResourceIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();

    @Test
    void queuesTrainingOnDemandAndListsItWithTheModels() {
        Api api = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "models")[1]);
        Api.Reply none = api.get("/v1/models");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("items")).isEmpty();

        Api.Reply queued = api.post("/v1/models/train", null);
        assertThat(queued.status()).isEqualTo(202);
        String requestId = queued.json().get("requestId").asText();

        Api.Reply listed = api.get("/v1/models");
        assertThat(listed.json().at("/training/0/requestId").asText()).isEqualTo(requestId);
        assertThat(listed.json().at("/training/0/status").asText()).isEqualTo("PENDING");
    }
}
