package io.hilal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;

/** The shipped config/campaign-worker.yml, read as the worker reads it, with its variables. */
class WorkerConfigFileTest {
    private static CampaignWorkerConfiguration read(Map<String, String> environment)
            throws Exception {
        StringSubstitutor substitutor = new StringSubstitutor(environment);
        substitutor.setEnableSubstitutionInVariables(true);
        return new YamlConfigurationFactory<>(
                        CampaignWorkerConfiguration.class, null, Jackson.newObjectMapper(), "dw")
                .build(
                        new SubstitutingSourceProvider(
                                new FileConfigurationSourceProvider(), substitutor),
                        Path.of("..", "config", "campaign-worker.yml").toString());
    }

    @Test
    void theDatabasePoolsMaxWaitIsSetFromTheEnvironmentAsTheServicesIs() throws Exception {
        assertThat(read(Map.of()).getDatabase().getMaxWaitMillis()).isEqualTo(5000);
        assertThat(
                        read(Map.of("HILAL_WORKER_DB_MAX_WAIT_MS", "1234"))
                                .getDatabase()
                                .getMaxWaitMillis())
                .isEqualTo(1234);
    }

    @Test
    void thePodSettingsAreSetFromTheEnvironmentAsTheServicesAre() throws Exception {
        assertThat(read(Map.of()).getDatabase().getPodRefreshMillis()).isEqualTo(1_000);
        assertThat(read(Map.of()).getDatabase().getMoveGraceMillis()).isEqualTo(10_000);
        var set = read(Map.of("HILAL_POD_REFRESH_MS", "250", "HILAL_MOVE_GRACE_MS", "3000"));
        assertThat(set.getDatabase().getPodRefreshMillis()).isEqualTo(250);
        assertThat(set.getDatabase().getMoveGraceMillis()).isEqualTo(3_000);
    }

    @Test
    void theVersionsKeptPerModelKindAreSetFromTheEnvironment() throws Exception {
        assertThat(read(Map.of()).getModels().getKeepVersions()).isEqualTo(5);
        assertThat(read(Map.of("HILAL_MODEL_KEEP_VERSIONS", "3")).getModels().build(null).keep())
                .isEqualTo(3);
    }

    @Test
    void theSparkTrainerTunesEachTenantUnlessTheEnvironmentSaysNot() throws Exception {
        assertThat(read(Map.of()).getSparkTrainer().isTune()).isTrue();
        assertThat(read(Map.of("HILAL_SPARK_TUNE", "false")).getSparkTrainer().isTune()).isFalse();
    }
}
