package io.hilal.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.hilal.service.testing.TestApps;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @Test
    void thePodSettingsComeFromTheEnvironmentWithTheirDefaults() throws Exception {
        assertThat(read(Map.of()).getDatabase().getPodRefreshMillis()).isEqualTo(1_000);
        assertThat(read(Map.of()).getDatabase().getMoveGraceMillis()).isEqualTo(10_000);
        HilalConfiguration set =
                read(Map.of("HILAL_POD_REFRESH_MS", "250", "HILAL_MOVE_GRACE_MS", "3000"));
        assertThat(set.getDatabase().getPodRefreshMillis()).isEqualTo(250);
        assertThat(set.getDatabase().getMoveGraceMillis()).isEqualTo(3_000);
    }

    /** The shipped file over {@code environment}, with the apps' substitution rules. */
    private static HilalConfiguration read(Map<String, String> environment) throws Exception {
        StringSubstitutor substitutor = new StringSubstitutor(environment);
        substitutor.setEnableUndefinedVariableException(false);
        substitutor.setEnableSubstitutionInVariables(true);
        return new YamlConfigurationFactory<>(
                        HilalConfiguration.class,
                        Validators.newValidator(),
                        Jackson.newObjectMapper(),
                        "dw")
                .build(
                        new SubstitutingSourceProvider(
                                new FileConfigurationSourceProvider(), substitutor),
                        TestApps.CONFIG);
    }

    @ParameterizedTest
    @CsvSource(
            value = {
                "NULL, NULL, http://localhost:8080",
                "9090, NULL, http://localhost:9090",
                "9090, https://shop.example, https://shop.example"
            },
            nullValues = "NULL")
    void thePublicUrlFollowsThePortWhenUnset(String port, String publicUrl, String expected)
            throws Exception {
        Map<String, String> environment = new HashMap<>();
        if (port != null) {
            environment.put("HILAL_PORT", port);
        }
        if (publicUrl != null) {
            environment.put("HILAL_PUBLIC_URL", publicUrl);
        }
        // The apps' substitution rules (EnvironmentVariableSubstitutor(false, true)) over this
        // environment.
        StringSubstitutor substitutor = new StringSubstitutor(environment);
        substitutor.setEnableUndefinedVariableException(false);
        substitutor.setEnableSubstitutionInVariables(true);
        HilalConfiguration config =
                new YamlConfigurationFactory<>(
                                HilalConfiguration.class,
                                Validators.newValidator(),
                                Jackson.newObjectMapper(),
                                "dw")
                        .build(
                                new SubstitutingSourceProvider(
                                        new FileConfigurationSourceProvider(), substitutor),
                                TestApps.CONFIG);
        assertThat(config.getMailLinks().getPublicBaseUrl()).isEqualTo(expected);
    }
}
