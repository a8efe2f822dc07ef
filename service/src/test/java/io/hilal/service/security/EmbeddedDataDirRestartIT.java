package io.hilal.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: with the data folder under {@code java.io.tmpdir} (e.g. {@code
 * HILAL_DATA_DIR=/tmp/hilal}), the embedded database library deleted it at every start. The real
 * service on the embedded database is started, given a tenant over HTTP, stopped and started again
 * on the same folder.
 */
class EmbeddedDataDirRestartIT {
    private final Path dataDir = createTempDataDir();

    private static Path createTempDataDir() {
        try {
            // Files.createTempDirectory puts it under java.io.tmpdir: the case that lost data.
            return Files.createTempDirectory("hilal-restart-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void deleteTheFolder() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private DropwizardTestSupport<HilalConfiguration> service() {
        return new DropwizardTestSupport<>(
                HilalApplication.class,
                TestApps.CONFIG,
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("database.url", ""),
                ConfigOverride.config("database.dataDir", dataDir.toString()),
                ConfigOverride.config("operatorKey", TestApps.OPERATOR_KEY),
                ConfigOverride.config("mailLinks.secret", TestApps.LINK_SECRET),
                ConfigOverride.config("logging.level", "WARN"));
    }

    @Test
    void aTenantSurvivesARestartOnADataFolderUnderTheTempDirectory() throws Exception {
        assertThat(dataDir.toAbsolutePath().toString())
                .startsWith(Path.of(System.getProperty("java.io.tmpdir")).toString());
        String tenantId;
        DropwizardTestSupport<HilalConfiguration> first = service();
        first.before();
        try {
            Api.Reply created =
                    new Api(first.getLocalPort(), TestApps.OPERATOR_KEY)
                            .post("/v1/operator/tenants", "{\"name\": \"Kept across restarts\"}");
            assertThat(created.status()).isEqualTo(201);
            tenantId = created.json().get("tenantId").asText();
        } finally {
            first.after();
        }

        DropwizardTestSupport<HilalConfiguration> second = service();
        second.before();
        try {
            Api.Reply tenants =
                    new Api(second.getLocalPort(), TestApps.OPERATOR_KEY)
                            .get("/v1/operator/tenants");
            assertThat(tenants.status()).isEqualTo(200);
            assertThat(tenants.json().findValuesAsText("tenantId")).containsExactly(tenantId);
            assertThat(tenants.json().findValuesAsText("name"))
                    .containsExactly("Kept across restarts");
        } finally {
            second.after();
        }
    }
}
