package io.hilal.worker.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.CampaignWorkerApplication;
import io.hilal.worker.CampaignWorkerConfiguration;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A training request queued through the database is picked up by the running worker. */
@ExtendWith(DropwizardExtensionsSupport.class)
class TrainingJobIT {
    static final String URL = TestDatabase.newSchema();
    static final DropwizardAppExtension<CampaignWorkerConfiguration> WORKER =
            new DropwizardAppExtension<>(
                    CampaignWorkerApplication.class,
                    Path.of("..", "config", "campaign-worker.yml")
                            .toAbsolutePath()
                            .normalize()
                            .toString(),
                    ConfigOverride.config("server.adminConnectors[0].port", "0"),
                    ConfigOverride.config("smtp.host", "127.0.0.1"),
                    ConfigOverride.config("database.url", URL),
                    ConfigOverride.config(
                            "mailLinks.secret", "test-link-secret-0123456789abcdef0123456789"),
                    ConfigOverride.config("database.user", TestDatabase.user()),
                    ConfigOverride.config("database.password", TestDatabase.password()),
                    ConfigOverride.config(
                            "mailLinks.secret", "test-link-secret-0123456789abcdef0123456789"),
                    ConfigOverride.config("scheduler.trainingPollSeconds", "1"),
                    ConfigOverride.config("logging.level", "WARN"));

    @Test
    void theWorkerTrainsWhatIsQueuedAndActivatesTheModel() {
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(URL)));
        String tenant =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("queued", "UTC")
                        .tenant()
                        .tenantId();
        ModelStore store = new ModelStore(jdbi, Clock.systemUTC());
        store.requestTraining(tenant);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(store.active(tenant))
                                        .singleElement()
                                        .satisfies(
                                                version ->
                                                        assertThat(version.kind())
                                                                .isEqualTo(
                                                                        RecommendationModel.KIND)));
        assertThat(store.recentTraining(tenant).get(0).status()).isEqualTo("DONE");
    }
}
