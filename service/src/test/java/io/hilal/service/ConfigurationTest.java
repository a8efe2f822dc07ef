package io.hilal.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.hilal.service.testing.TestApps;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    @Test
    void theShippedServiceConfigurationLoadsAndValidatesWithDefaults() throws Exception {
        HilalConfiguration config =
                new YamlConfigurationFactory<>(
                                HilalConfiguration.class,
                                Validators.newValidator(),
                                Jackson.newObjectMapper(),
                                "dw")
                        .build(
                                new SubstitutingSourceProvider(
                                        new FileConfigurationSourceProvider(),
                                        new EnvironmentVariableSubstitutor(false)),
                                TestApps.CONFIG);
        assertThat(config.getDatabase().isEmbedded())
                .isEqualTo(System.getenv("HILAL_DATABASE_URL") == null);
        assertThat(config.getMaxBodyBytes()).isEqualTo(512_000);
        assertThat(config.getRateLimit().isEnabled()).isTrue();
    }
}
