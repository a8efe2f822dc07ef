package io.hilal.app;

import static io.hilal.service.testing.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A campaign worker killed (SIGKILL) in the middle of a tenant's training run: the models that were
 * active stay active and the service goes on serving rows from them; once the dead worker's
 * heartbeat has stopped, another worker takes the run back and redoes it, leaving exactly one new
 * version of each model and no run RUNNING.
 *
 * <p>The kill lands at a chosen point rather than at a moment guessed from timing: the test holds
 * the tenant's active-model rows locked, so the worker, its models trained, waits inside the
 * transaction that would store and activate them, and is killed there (the last point before the
 * new models would become active).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WorkerKilledDuringTrainingIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> SERVICE = TestApps.app(DATABASE);

    /** A worker that polls the training queue every second and counts a peer dead after 3 s. */
    private static final Map<String, String> FAST_WORKER =
            Map.of(
                    "scheduler.trainingPollSeconds", "1",
                    "scheduler.checkinIntervalMillis", "1000",
                    "sending.heartbeatMillis", "500",
                    "sending.heartbeatTimeoutMillis", "3000");

    @Test
    void theActiveModelStaysAndTheRunIsRedoneOnceByAnotherWorker() throws Exception {
        String[] tenant = Api.newTenant(SERVICE.getLocalPort(), "killed-mid-training");
        String tenantId = tenant[0];
        Api api = new Api(SERVICE.getLocalPort(), tenant[1]);
        shop(api);
        TestApps.train(SERVICE, tenantId);
        Map<String, Integer> before = activeVersions(api);
        assertThat(before).containsKey("recommender");
        JsonNode rowsBefore = rows(api);

        DataSource database = TestDatabase.dataSource(DATABASE);
        Jdbi jdbi = Jdbi.create(database);
        String requestId;
        String killedId;
        try (Connection lock = database.getConnection()) {
            lock.setAutoCommit(false);
            lockActiveModels(lock, tenantId);
            try (WorkerProcess killed =
                    WorkerProcess.start(
                            "worker-killed-mid-training", DATABASE, 2525, FAST_WORKER)) {
                killedId = killed.workerId();
                Api.Reply queued = api.post("/v1/models/train", null);
                assertThat(queued.status()).isEqualTo(202);
                requestId = queued.json().get("requestId").asText();
                await("the worker has trained and waits to activate")
                        .atMost(Duration.ofSeconds(45))
                        .until(() -> activationWaiting(jdbi));
                assertThat(run(jdbi, requestId))
                        .containsEntry("status", "RUNNING")
                        .containsEntry("worker_id", killedId);
                killed.kill();
            }
            lock.rollback();
        }

        // The killed worker's transaction never committed: nothing changed for the service.
        assertThat(activeVersions(api)).isEqualTo(before);
        assertThat(rows(api)).isEqualTo(rowsBefore);
        assertThat(run(jdbi, requestId)).containsEntry("status", "RUNNING");

        try (WorkerProcess next =
                WorkerProcess.start("worker-redoes-training", DATABASE, 2525, FAST_WORKER)) {
            await("another worker redoes the dead worker's run")
                    .atMost(Duration.ofSeconds(45))
                    .until(() -> "DONE".equals(run(jdbi, requestId).get("status")));
            assertThat(run(jdbi, requestId)).containsEntry("worker_id", next.workerId());
        }
        Map<String, Integer> after = activeVersions(api);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach(
                (kind, version) -> assertThat(after.get(kind)).as(kind).isEqualTo(version + 1));
        assertThat(count(jdbi, "SELECT COUNT(*) FROM model_versions WHERE tenant_id = ?", tenantId))
                .as("one new version of each model, none from the killed worker")
                .isEqualTo(2 * before.size());
        assertThat(count(jdbi, "SELECT COUNT(*) FROM training_requests WHERE status = 'RUNNING'"))
                .isZero();
        ((HilalApplication) SERVICE.getApplication()).recommendations().refresh(tenantId);
        assertThat(api.get("/v1/customers/amina/rows").status()).isEqualTo(200);
    }

    /** Products and five months of orders through the API: enough for restock rows. */
    private static void shop(Api api) {
        api.post(
                "/v1/products/batch",
                "{\"products\": [{\"id\": \"dates\", \"title\": \"Ajwa dates\", \"categories\":"
                        + " [\"Food\"]}, {\"id\": \"coffee\", \"title\": \"Arabic coffee\","
                        + " \"categories\": [\"Food\"]}, {\"id\": \"cups\", \"title\": \"Finjan"
                        + " cups\", \"categories\": [\"Home\"]}]}");
        List<String> events = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        for (int month = 0; month < 5; month++) {
            Instant at = start.plusSeconds(30L * 86400 * month);
            events.add(order("amina-" + month, "amina", at, "dates"));
            for (int other = 0; other < 4; other++) {
                events.add(order("o-" + other + "-" + month, "c-" + other, at, "coffee", "cups"));
            }
        }
        assertThat(
                        api.post("/v1/events", "{\"events\": [" + String.join(",", events) + "]}")
                                .status())
                .isLessThan(300);
    }

    /** The active version of each kind, as the service's API lists them. */
    private static Map<String, Integer> activeVersions(Api api) {
        Map<String, Integer> active = new TreeMap<>();
        for (JsonNode version : api.get("/v1/models").json().get("items")) {
            if (version.get("active").asBoolean()) {
                active.put(version.get("kind").asText(), version.get("version").asInt());
            }
        }
        return active;
    }

    private static JsonNode rows(Api api) {
        Api.Reply reply = api.get("/v1/customers/amina/rows");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("rows")).isNotEmpty();
        return reply.json().get("rows");
    }

    private static void lockActiveModels(Connection connection, String tenantId) throws Exception {
        try (PreparedStatement select =
                connection.prepareStatement(
                        "SELECT kind FROM active_models WHERE tenant_id = ? FOR UPDATE")) {
            select.setString(1, tenantId);
            try (ResultSet locked = select.executeQuery()) {
                assertThat(locked.next()).isTrue();
            }
        }
    }

    /** Whether a connection waits to write active_models (a client sees its own user's threads). */
    private static boolean activationWaiting(Jdbi jdbi) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT COUNT(*) > 0 FROM information_schema.PROCESSLIST"
                                                + " WHERE INFO LIKE 'INSERT INTO active\\_models%'")
                                .mapTo(Boolean.class)
                                .one());
    }

    private static int count(Jdbi jdbi, String sql, Object... arguments) {
        return jdbi.withHandle(handle -> handle.select(sql, arguments).mapTo(Integer.class).one());
    }

    private static Map<String, Object> run(Jdbi jdbi, String requestId) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT status, worker_id FROM training_requests"
                                                + " WHERE request_id = :id")
                                .bind("id", requestId)
                                .mapToMap()
                                .one());
    }
}
