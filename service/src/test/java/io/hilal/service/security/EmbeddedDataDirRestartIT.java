package io.hilal.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    private static final String CAMPAIGN =
            """
            {"name": "Restock",
             "audience": {"bought": {"category": "Dates"}},
             "offer": {"subject": "Hi", "html": "<p>Hi</p>{{{productBlock}}}", "text": "Hi"},
             "schedule": {"type": "anchor", "anchor": {"holiday": "eid_al_fitr", "hijriYear": 1432},
                          "offsetDays": 7, "localTime": "10:00", "validFor": "P3D"}}
            """;

    private static MailLinks links(String secret) {
        return new MailLinks(
                secret.getBytes(StandardCharsets.UTF_8), "http://localhost", "u@hilal.invalid");
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
                ConfigOverride.config("mailLinks.secret", ""),
                ConfigOverride.config("logging.level", "WARN"));
    }

    @Test
    void aTenantSurvivesARestartOnADataFolderUnderTheTempDirectory() throws Exception {
        assertThat(dataDir.toAbsolutePath().toString())
                .startsWith(Path.of(System.getProperty("java.io.tmpdir")).toString());
        String tenantId;
        String campaignId;
        String apiKey;
        DropwizardTestSupport<HilalConfiguration> first = service();
        first.before();
        try {
            Api.Reply created =
                    new Api(first.getLocalPort(), TestApps.OPERATOR_KEY)
                            .post("/v1/operator/tenants", "{\"name\": \"Kept across restarts\"}");
            assertThat(created.status()).isEqualTo(201);
            tenantId = created.json().get("tenantId").asText();
            apiKey = created.json().get("apiKey").asText();
            Api api = new Api(first.getLocalPort(), apiKey);
            api.put(
                    "/v1/customers/c-1",
                    "{\"email\": \"c1@example.invalid\", \"emailConsent\":"
                            + " {\"status\": \"granted\", \"source\": \"test\"}}");
            Api.Reply campaign = api.post("/v1/campaigns", CAMPAIGN);
            assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
            campaignId = campaign.json().get("id").asText();
        } finally {
            first.after();
        }
        Path secretFile = dataDir.resolve("link-secret");
        String secret = Files.readString(secretFile).strip();
        assertThat(secret).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)))
                .isEqualTo("rw-------");
        MailLinks.Recipient recipient =
                new MailLinks.Recipient(tenantId, campaignId, "run-1", "c-1");

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
            assertThat(Files.readString(secretFile).strip()).isEqualTo(secret);

            Api anonymous = new Api(second.getLocalPort(), null);
            String forged =
                    links("hilal-development-link-secret-not-for-production")
                            .token(MailLinks.Kind.UNSUBSCRIBE, recipient, null, null);
            assertThat(anonymous.post("/v1/unsubscribe/" + forged, null).status()).isEqualTo(404);
            Api api = new Api(second.getLocalPort(), apiKey);
            assertThat(api.get("/v1/customers/c-1").json().at("/emailConsent/status").asText())
                    .isEqualTo("granted");
            String genuine = links(secret).token(MailLinks.Kind.UNSUBSCRIBE, recipient, null, null);
            Api.Reply page = anonymous.get("/v1/unsubscribe/" + genuine);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("c***@example.invalid");
        } finally {
            second.after();
        }
    }
}
