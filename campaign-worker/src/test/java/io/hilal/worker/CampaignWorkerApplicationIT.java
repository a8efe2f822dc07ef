package io.hilal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class CampaignWorkerApplicationIT {
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
                    ConfigOverride.config("logging.level", "WARN"));

    @Test
    void startsWithTheShippedConfigurationAndReportsTheSchedulerHealthy() throws Exception {
        HttpResponse<String> health =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + APP.getAdminPort()
                                                                + "/healthcheck"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"scheduler\"").contains("\"healthy\":true");
    }
}
