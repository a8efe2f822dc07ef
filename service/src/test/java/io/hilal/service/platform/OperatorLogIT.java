package io.hilal.service.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.audit.OperatorLog;
import io.hilal.core.dashboard.DashboardAuth;
import io.hilal.core.dashboard.DashboardRole;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.logging.HilalLayoutFactory;
import io.hilal.logging.LogFormat;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.TimeZone;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Issue 24: one log line per operator action, naming the tenant, who acted and on what, with the
 * request's id and tenant in its log context (and so in the JSON layout's fields). The lines are
 * captured in-process from logback.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OperatorLogIT {
    private static final String URL = TestDatabase.newSchema();
    private static final Path REQUEST_LOG = requestLogFile();
    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(
                    URL,
                    // The shipped request log, written to a file this test reads.
                    ConfigOverride.config("server.requestLog.appenders[0].type", "file"),
                    ConfigOverride.config(
                            "server.requestLog.appenders[0].currentLogFilename",
                            REQUEST_LOG.toString()),
                    ConfigOverride.config("server.requestLog.appenders[0].archive", "false"));

    private static Path requestLogFile() {
        try {
            Path folder = Files.createTempDirectory("hilal-request-log");
            folder.toFile().deleteOnExit();
            return folder.resolve("requests.log");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final ListAppender<ILoggingEvent> LINES = new ListAppender<>();
    private static Logger operatorLogger;

    @BeforeAll
    static void capture() {
        operatorLogger = (Logger) LoggerFactory.getLogger(OperatorLog.LOGGER);
        // The tests run the app at WARN; the shipped YAML keeps this logger at INFO.
        operatorLogger.setLevel(Level.INFO);
        LINES.start();
        operatorLogger.addAppender(LINES);
    }

    @AfterAll
    static void release() {
        operatorLogger.detachAppender(LINES);
    }

    @Test
    void theRequestLogHasOneCompactDatedLinePerRequestWithItsId() {
        Api.Reply reply =
                new Api(APP.getLocalPort(), "hk_live_unknown_key")
                        .get("/v1/customers/c-1/rows?context=home");
        String requestId = reply.raw().headers().firstValue("X-Request-Id").orElseThrow();

        String line =
                await().atMost(Duration.ofSeconds(10))
                        .until(
                                () ->
                                        Files.exists(REQUEST_LOG)
                                                ? Files.readAllLines(REQUEST_LOG).stream()
                                                        .filter(l -> l.contains(requestId))
                                                        .findFirst()
                                                        .orElse(null)
                                                : null,
                                java.util.Objects::nonNull);
        assertThat(line)
                .matches(
                        "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z REQUEST \\["
                                + requestId
                                + "] GET /v1/customers/c-1/rows 401 \\d+ B \\d+ ms")
                .as("no query string, no key")
                .doesNotContain("context=")
                .doesNotContain("hk_live");
    }

    @Test
    void everyOperatorActionIsOneLineNamingTenantActorAndObject() throws Exception {
        int port = APP.getLocalPort();
        String[] tenant = Api.newTenant(port, "Logged shop");
        String tenantId = tenant[0];
        Api admin = new Api(port, tenant[1]);
        String adminKeyId = admin.get("/v1/api-keys").json().at("/items/0/keyId").asText();

        String keyId =
                admin.post("/v1/api-keys", "{\"name\": \"reader\", \"scopes\": [\"read\"]}")
                        .json()
                        .get("keyId")
                        .asText();
        assertThat(admin.delete("/v1/api-keys/" + keyId).status()).isEqualTo(200);
        admin.put(
                "/v1/sender-identity",
                "{\"fromAddress\": \"offers@shop.example\", \"fromName\": \"Shop\","
                        + " \"postalAddress\": \"1 Example St\"}");
        // One consenting customer, so the launched campaign has a send waiting (ten days out)
        // and can be paused and resumed.
        admin.put(
                "/v1/customers/c-1",
                "{\"email\": \"c1@example.invalid\", \"emailConsent\": {\"status\":"
                        + " \"granted\", \"source\": \"test\"}}");
        String campaignId =
                admin.post(
                                "/v1/campaigns",
                                "{\"name\": \"Logged\", \"holdoutShare\": 0, \"offer\":"
                                        + " {\"subject\": \"Hi\", \"html\": \"<p>Hi</p>\","
                                        + " \"text\": \"Hi\"}, \"schedule\": {\"type\": \"at\","
                                        + " \"date\": \""
                                        + LocalDate.now().plusDays(10)
                                        + "\", \"localTime\": \"10:00\", \"validFor\":"
                                        + " \"PT1H\"}}")
                        .json()
                        .get("id")
                        .asText();
        for (String action : List.of("launch", "pause", "resume", "cancel")) {
            assertThat(admin.post("/v1/campaigns/" + campaignId + "/" + action, null).status())
                    .as(action)
                    .isEqualTo(200);
        }
        // A failed action writes no line.
        assertThat(admin.post("/v1/campaigns/" + campaignId + "/pause", null).status())
                .isEqualTo(409);
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(URL)));
        String userId =
                new DashboardAuth(
                                jdbi, new TenantService(jdbi, Clock.systemUTC()), Clock.systemUTC())
                        .createUser(
                                tenantId,
                                "amina@shop.example",
                                "a long enough password".toCharArray(),
                                DashboardRole.MARKETER)
                        .userId();

        List<String> lines =
                LINES.list.stream()
                        .filter(event -> event.getFormattedMessage().contains(tenantId))
                        .map(ILoggingEvent::getFormattedMessage)
                        .toList();
        String byKey = " actor=key:" + adminKeyId + " ";
        assertThat(lines)
                .containsExactly(
                        "tenant.created tenant="
                                + tenantId
                                + " actor=operator object=tenant "
                                + tenantId
                                + " first key "
                                + adminKeyId,
                        "key.created tenant="
                                + tenantId
                                + byKey
                                + "object=key "
                                + keyId
                                + " scopes read",
                        "key.revoked tenant=" + tenantId + byKey + "object=key " + keyId,
                        "campaign.launched tenant="
                                + tenantId
                                + byKey
                                + "object=campaign "
                                + campaignId,
                        "campaign.paused tenant="
                                + tenantId
                                + byKey
                                + "object=campaign "
                                + campaignId,
                        "campaign.resumed tenant="
                                + tenantId
                                + byKey
                                + "object=campaign "
                                + campaignId,
                        "campaign.cancelled tenant="
                                + tenantId
                                + byKey
                                + "object=campaign "
                                + campaignId,
                        "user.created tenant="
                                + tenantId
                                + " actor=cli:"
                                + System.getProperty("user.name")
                                + " object=user "
                                + userId
                                + " role marketer");

        // Lines written while serving a request carry its id and tenant: in JSON, as fields.
        ILoggingEvent launched =
                LINES.list.stream()
                        .filter(
                                event ->
                                        event.getFormattedMessage().startsWith("campaign.launched"))
                        .filter(event -> event.getFormattedMessage().contains(tenantId))
                        .findFirst()
                        .orElseThrow();
        HilalLayoutFactory json = new HilalLayoutFactory();
        json.setFormat(LogFormat.JSON);
        var layout =
                json.build(
                        (LoggerContext) LoggerFactory.getILoggerFactory(), TimeZone.getDefault());
        layout.start();
        JsonNode line = new ObjectMapper().readTree(layout.doLayout(launched));
        assertThat(line.get("tenantId").asText()).isEqualTo(tenantId);
        assertThat(line.get("requestId").asText()).startsWith("req_");
        assertThat(line.get("actor").asText()).isEqualTo("key:" + adminKeyId);
        assertThat(line.get("timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
    }
}
