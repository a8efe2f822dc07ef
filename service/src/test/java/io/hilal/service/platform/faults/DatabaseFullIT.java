package io.hilal.service.platform.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.ModelVersion;
import io.hilal.core.testing.CappedDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.platform.errors.ProblemWriter;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Issue 24: the database runs out of room (a tablespace capped at 48 MB, filled; see {@link
 * CappedDatabase}). Ingest is answered 507 {@code database_full}, retryable, logged once, with
 * nothing of the refused batch stored and every acknowledged event still there, and takes the batch
 * once the operator has made room. A model artifact that cannot be stored takes MariaDB down (it
 * aborts when it cannot roll the write back); restarted with more room, the previous model is the
 * active one and nothing of the new one is left.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DatabaseFullIT {
    static final CappedDatabase DATABASE = CappedDatabase.start("full-disk", 48);

    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(DATABASE.url(), DATABASE.user(), DATABASE.password());

    private static final int SEARCHES = 500;

    private static final ListAppender<ILoggingEvent> LINES = new ListAppender<>();

    @BeforeAll
    static void capture() {
        LINES.start();
        ((Logger) LoggerFactory.getLogger(ProblemWriter.class)).addAppender(LINES);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(ProblemWriter.class)).detachAppender(LINES);
        DATABASE.close();
    }

    @Test
    void aFullDatabaseRefusesWritesWhole507AndTakesThemOnceThereIsRoom() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "full");
        Api api = new Api(APP.getLocalPort(), tenant[1]);
        assertThat(api.post("/v1/events", PoolExhaustionIT.batch("before")).status())
                .isEqualTo(200);
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(DATABASE.dataSource()));
        ModelStore models = new ModelStore(jdbi, Clock.systemUTC());
        int first = models.saveAndActivate(tenant[0], model(1024));

        assertThat(DATABASE.fill()).isPositive();

        for (int i = 0; i < 3; i++) {
            Api.Reply refused = api.post("/v1/events", searches("during"));
            assertThat(refused.status()).as(refused.body()).isEqualTo(507);
            assertThat(refused.contentType()).isEqualTo("application/problem+json");
            assertThat(refused.json().get("code").asText()).isEqualTo("database_full");
            assertThat(refused.json().get("retryable").asBoolean()).isTrue();
            assertThat(refused.header("Retry-After")).isEqualTo("60");
            assertThat(refused.body()).doesNotContain("\tat ").doesNotContain("Exception");
        }
        assertThat(stored(jdbi, tenant[0], "SELECT message_id FROM events"))
                .containsExactlyInAnyOrder("before-1", "before-2");
        assertThat(stored(jdbi, tenant[0], "SELECT message_id FROM order_lines")).hasSize(4);
        // Reads still work: the tenant's overview is served.
        assertThat(api.get("/v1/overview").status()).isEqualTo(200);

        List<ILoggingEvent> fullLines =
                LINES.list.stream()
                        .filter(line -> line.getFormattedMessage().contains("database_full"))
                        .toList();
        assertThat(fullLines).hasSize(1);
        assertThat(fullLines.get(0).getThrowableProxy()).isNull();

        // The operator makes room: the same batch is taken, whole.
        DATABASE.free();
        Api.Reply retried = api.post("/v1/events", searches("during"));
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().get("accepted").asInt()).isEqualTo(SEARCHES);
        assertThat(stored(jdbi, tenant[0], "SELECT message_id FROM events"))
                .hasSize(2 + SEARCHES)
                .contains("before-1", "before-2", "during-0", "during-" + (SEARCHES - 1));
        assertThat(stored(jdbi, tenant[0], "SELECT message_id FROM order_lines")).hasSize(4);

        // Full again, a model too big for what is left: MariaDB cannot roll back a BLOB it had
        // no room to finish and stops ("Out of disk space in rollback"). The operator raises the
        // limit and starts it again: its recovery rolls the half-written model back, and the
        // previous version is still the active one.
        DATABASE.fill();
        assertThatThrownBy(() -> models.saveAndActivate(tenant[0], model(8 * 1024 * 1024)))
                .isInstanceOf(RuntimeException.class);
        DATABASE.restart(96);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(api.get("/v1/overview").status()).isEqualTo(200));
        assertThat(models.versions(tenant[0]))
                .extracting(ModelVersion::version)
                .containsExactly(first);
        assertThat(models.active(tenant[0]))
                .extracting(ModelVersion::version)
                .containsExactly(first);
        assertThat(stored(jdbi, tenant[0], "SELECT message_id FROM events")).hasSize(2 + SEARCHES);
        assertThat(stored(jdbi, tenant[0], "SELECT CONCAT(version) FROM model_artifact_chunks"))
                .as("no chunk of the model that could not be stored is left")
                .containsOnly(String.valueOf(first));

        int second = models.saveAndActivate(tenant[0], model(8 * 1024 * 1024));
        assertThat(models.active(tenant[0]))
                .extracting(ModelVersion::version)
                .containsExactly(second);
        assertThat(api.post("/v1/events", searches("after")).status()).isEqualTo(200);
    }

    /**
     * A batch of searches with long queries, about half a megabyte: more than the pages the events
     * table has room in, so it needs new ones.
     */
    private static String searches(String prefix) {
        String query = "dates ".repeat(80);
        StringBuilder events = new StringBuilder("{\"events\": [");
        for (int i = 0; i < SEARCHES; i++) {
            events.append(i > 0 ? "," : "")
                    .append("{\"messageId\": \"")
                    .append(prefix)
                    .append('-')
                    .append(i)
                    .append("\", \"type\": \"search\", \"customerId\": \"c-")
                    .append(i)
                    .append("\", \"query\": \"")
                    .append(query, 0, 480)
                    .append("\"}");
        }
        return events.append("]}").toString();
    }

    private static ModelStore.Trained model(int bytes) {
        Instant now = Instant.now();
        return new ModelStore.Trained(
                "popularity", now.minusSeconds(3600), now, "{}", "{}", new byte[bytes]);
    }

    private static List<String> stored(Jdbi jdbi, String tenantId, String select) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(select + " WHERE tenant_id = :t")
                                .bind("t", tenantId)
                                .mapTo(String.class)
                                .list());
    }
}
