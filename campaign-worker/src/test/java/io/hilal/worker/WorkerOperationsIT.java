package io.hilal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.CampaignStatus;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.ModelDao;
import io.hilal.core.reco.ModelRetention;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.ModelVersion;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.core.testing.TestSmtp;
import io.hilal.worker.testing.WorkerFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Issue 24, worker side: after a training run and a campaign send, the worker's admin port serves
 * their metrics in Prometheus' text format; its probes answer short JSON; one worker id is used by
 * Quartz, the ledger and the health check; stale peers are reported and dead ones forgotten.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerOperationsIT {
    private static final String URL = TestDatabase.newSchema();
    private static final ServerSetup SMTP = TestSmtp.onFreePort();

    @RegisterExtension
    static final GreenMailExtension RELAY =
            new GreenMailExtension(SMTP).withPerMethodLifecycle(false);

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    static final DropwizardAppExtension<CampaignWorkerConfiguration> WORKER =
            WorkerFixture.worker(
                    URL,
                    ConfigOverride.config("smtp.port", Integer.toString(SMTP.getPort())),
                    ConfigOverride.config("sending.pollSeconds", "1"),
                    ConfigOverride.config("scheduler.trainingPollSeconds", "1"),
                    ConfigOverride.config("models.keepVersions", "3"),
                    // The shipped request log, written to a file this test reads.
                    ConfigOverride.config("server.requestLog.appenders[0].type", "file"),
                    ConfigOverride.config(
                            "server.requestLog.appenders[0].currentLogFilename",
                            requestLog().toString()),
                    ConfigOverride.config("server.requestLog.appenders[0].archive", "false"));

    private static Path requestLogFile;

    private static synchronized Path requestLog() {
        if (requestLogFile == null) {
            try {
                Path folder = Files.createTempDirectory("hilal-worker-request-log");
                folder.toFile().deleteOnExit();
                requestLogFile = folder.resolve("requests.log");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return requestLogFile;
    }

    /** What the training service logs (at INFO, which the tests' WARN would drop). */
    private static final ListAppender<ILoggingEvent> TRAINING_LINES = new ListAppender<>();

    /** What old versions' deletion logs. */
    private static final ListAppender<ILoggingEvent> RETENTION_LINES = new ListAppender<>();

    /** The bytes of each old version stored before the run. */
    private static final long OLD_VERSION_BYTES = 1000;

    private static Jdbi jdbi;
    private static String tenantId;

    @BeforeAll
    static void trainAndSend() {
        Logger training = (Logger) LoggerFactory.getLogger(TrainingService.class);
        training.setLevel(Level.INFO);
        TRAINING_LINES.start();
        training.addAppender(TRAINING_LINES);
        Logger retention = (Logger) LoggerFactory.getLogger(ModelRetention.class);
        retention.setLevel(Level.INFO);
        RETENTION_LINES.start();
        retention.addAppender(RETENTION_LINES);
        jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(URL)));
        Clock clock = Clock.systemUTC();
        TenantService tenants = new TenantService(jdbi, clock);
        tenantId = tenants.createTenant("Metered", "UTC").tenant().tenantId();
        ModelStore models = new ModelStore(jdbi, clock);
        // Four versions from earlier runs: with this run's, two past the three kept.
        for (int version = 1; version <= 4; version++) {
            int old = version;
            jdbi.useExtension(
                    ModelDao.class,
                    dao ->
                            dao.insert(
                                    tenantId,
                                    RecommendationModel.KIND,
                                    old,
                                    clock.instant(),
                                    null,
                                    null,
                                    "{}",
                                    "{}",
                                    OLD_VERSION_BYTES));
        }
        models.requestTraining(tenantId);

        Instant now = clock.instant();
        WorkerFixture.consentingCustomers(jdbi, tenantId, 5, now);
        CampaignService campaigns =
                WorkerFixture.campaigns(
                        jdbi, clock, new SendLedger(jdbi, clock, "mail.hilal.invalid"), tenantId);
        Campaign campaign =
                campaigns.create(
                        tenantId,
                        new CampaignRequest(
                                "Metrics test",
                                null,
                                0.0,
                                new CampaignRequest.Offer("Hi", "<p>Hi</p>", "Hi", null, null),
                                WorkerFixture.dueAnHourAgo(now),
                                new CampaignRequest.Limits(
                                        null, WorkerFixture.quietHoursLater(now), null, null)));
        campaigns.launch(tenantId, campaign.id());
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () ->
                                campaigns.get(tenantId, campaign.id()).status()
                                                == CampaignStatus.COMPLETED
                                        && !models.active(tenantId).isEmpty());
    }

    @Test
    @Order(1)
    void servesTrainingLedgerSmtpAndPoolMetricsInPrometheusTextFormat() throws Exception {
        HttpResponse<String> scrape = get("/prometheus");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        int sent = RELAY.getReceivedMessages().length;
        assertThat(sent).isEqualTo(5);
        assertThat(scrape.body())
                .contains(
                        "hilal_training_duration_seconds_count{outcome=\"ok\",tenant=\""
                                + tenantId
                                + "\"} 1")
                .containsPattern(
                        "(?m)^hilal_model_age_seconds\\{tenant=\"" + tenantId + "\"} [0-9.E-]+$")
                .contains("hilal_ledger_sends{state=\"SENT\"} " + sent + ".0")
                .contains("hilal_smtp_sent_total " + sent + ".0")
                .doesNotContain("hilal_smtp_errors_total{")
                .containsPattern(
                        "(?m)^hilal_db_pool_connections\\{pool=\"main\",state=\"max\"} [1-9]")
                .as("the sender's own pool, which sent the campaign")
                .containsPattern(
                        "(?m)^hilal_db_pool_connections\\{pool=\"sender\",state=\"max\"} [1-9]")
                .containsPattern(
                        "(?m)^hilal_db_pool_connections\\{pool=\"sender\",state=\"idle\"} [1-9]")
                .as("customer ids never become labels")
                .doesNotContain("c-1");
    }

    @Test
    @Order(1)
    void deletesTheVersionsPastTheConfiguredNumberAfterTheRunAndCountsThem() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(get("/prometheus").body())
                                        .contains("hilal_model_versions_deleted_total 2.0")
                                        .contains(
                                                "hilal_model_bytes_deleted_total "
                                                        + 2 * OLD_VERSION_BYTES
                                                        + ".0"));
        ModelStore models = new ModelStore(jdbi, Clock.systemUTC());
        assertThat(models.versions(tenantId))
                .extracting(ModelVersion::version)
                .containsExactly(5, 4, 3);
        assertThat(models.active(tenantId)).extracting(ModelVersion::version).containsExactly(5);
        assertThat(RETENTION_LINES.list)
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.getFormattedMessage())
                                    .startsWith("Deleted 2 old model versions of " + tenantId);
                            assertThat(line.getMDCPropertyMap())
                                    .containsEntry("tenantId", tenantId);
                        });
    }

    @Test
    @Order(2)
    void probesAnswerShortJsonAndOneWorkerIdIsUsedEverywhere() throws Exception {
        HttpResponse<String> ready = get("/health/ready");
        HttpResponse<String> live = get("/health/live");

        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode checks = JSON.readTree(ready.body()).get("checks");
        assertThat(checks.fieldNames())
                .toIterable()
                .contains("database", "scheduler", "smtp", "campaign-worker");
        assertThat(JSON.readTree(get("/healthcheck").body()).has("smtp"))
                .as("the relay is a readiness check only")
                .isFalse();
        assertThat(ready.body()).doesNotContain("\tat ").doesNotContain("stack");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(live.body()).get("checks").fieldNames())
                .toIterable()
                .containsExactly("deadlocks");

        String workerId =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery("SELECT worker_id FROM campaign_workers")
                                        .mapTo(String.class)
                                        .one());
        String quartzId =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery("SELECT INSTANCE_NAME FROM QRTZ_SCHEDULER_STATE")
                                        .mapTo(String.class)
                                        .one());
        List<String> claimOwners =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT DISTINCT worker FROM campaign_sends WHERE"
                                                        + " worker IS NOT NULL")
                                        .mapTo(String.class)
                                        .list());
        assertThat(quartzId).isEqualTo(workerId);
        assertThat(claimOwners).containsOnly(workerId);
        assertThat(checks.at("/campaign-worker/message").asText()).contains(workerId);
        assertThat(checks.at("/scheduler/message").asText()).contains(workerId);
    }

    @Test
    @Order(3)
    void reportsStalePeersAndForgetsDeadOnes() throws Exception {
        Instant now = Instant.now();
        jdbi.useHandle(
                handle -> {
                    handle.execute(
                            "INSERT INTO campaign_workers (worker_id, started_at, heartbeat_at)"
                                    + " VALUES ('stale-peer-1', ?, ?)",
                            now.minus(Duration.ofMinutes(20)),
                            now.minus(Duration.ofMinutes(5)));
                    handle.execute(
                            "INSERT INTO campaign_workers (worker_id, started_at, heartbeat_at)"
                                    + " VALUES ('dead-peer-1', ?, ?)",
                            now.minus(Duration.ofDays(3)),
                            now.minus(Duration.ofHours(2)));
                });

        JsonNode health = JSON.readTree(get("/healthcheck").body()).get("campaign-worker");
        assertThat(health.get("healthy").asBoolean()).isTrue();
        assertThat(health.get("message").asText())
                .contains("stale peers:")
                .contains("stale-peer-1");

        // The send job's recovery (every second here) forgets workers silent for over an hour.
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                jdbi.withHandle(
                                        handle ->
                                                handle.createQuery(
                                                                "SELECT worker_id FROM"
                                                                        + " campaign_workers")
                                                        .mapTo(String.class)
                                                        .list()),
                        ids -> !ids.contains("dead-peer-1"));
        List<String> left =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery("SELECT worker_id FROM campaign_workers")
                                        .mapTo(String.class)
                                        .list());
        assertThat(left).contains("stale-peer-1").doesNotContain("dead-peer-1");
    }

    @Test
    @Order(4)
    void logsEachAdminRequestAndEachJobLineWithItsJobAndTenant() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);

        // One request-log line per admin request, dated, without the query string.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(Files.readAllLines(requestLog()))
                                        .anyMatch(
                                                line ->
                                                        line.matches(
                                                                "\\d{4}-\\d{2}-\\d{2}T\\S+Z REQUEST"
                                                                        + " .* GET /health/live 200"
                                                                        + " .*")));
        // The training run's lines carry its tenant and job id.
        assertThat(TRAINING_LINES.list)
                .filteredOn(line -> line.getFormattedMessage().startsWith("Trained "))
                .isNotEmpty()
                .allSatisfy(
                        line -> {
                            assertThat(line.getMDCPropertyMap())
                                    .containsEntry("tenantId", tenantId);
                            assertThat(line.getMDCPropertyMap().get("jobId"))
                                    .startsWith("training-");
                        });
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + WORKER.getAdminPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
