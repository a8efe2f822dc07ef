package io.hilal.worker.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.ModelDao;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.KillableDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A training run fails because the database is down, so its failure cannot be recorded either: once
 * the database is back, the worker's next poll ends it FAILED with its error, rather than leaving
 * it RUNNING under the worker's live heartbeat until the max-runtime backstop (two hours).
 */
class TrainingDuringDatabaseOutageIT {
    static final KillableDatabase DATABASE = KillableDatabase.start("training-outage");

    @AfterAll
    static void stopDatabase() {
        DATABASE.close();
    }

    @Test
    void aRunThatFailedWhileTheDatabaseWasDownEndsFailedAtTheFirstPollAfterItIsBack()
            throws Exception {
        PoolProperties properties = new PoolProperties();
        properties.setUrl(DATABASE.url());
        properties.setDriverClassName("com.mysql.cj.jdbc.Driver");
        properties.setUsername(DATABASE.user());
        properties.setPassword(DATABASE.password());
        properties.setTestOnBorrow(true);
        properties.setValidationQuery("SELECT 1");
        DataSource pool = new DataSource(properties);
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(pool));
        Clock clock = Clock.systemUTC();
        String tenant =
                new TenantService(jdbi, clock).createTenant("Outage", "UTC").tenant().tenantId();
        ModelStore store = new ModelStore(jdbi, clock);
        TrainingService training =
                new TrainingService(
                        new RecommendationTrainer(jdbi), store, new TenantService(jdbi, clock));
        String requestId = store.requestTraining(tenant);

        // The run is claimed, then waits behind a gate for its thread until the database is gone.
        ExecutorService threads = Executors.newSingleThreadExecutor();
        CountDownLatch gate = new CountDownLatch(1);
        threads.execute(
                () -> {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        TrainingPool trainingPool = new TrainingPool(threads, 1);
        TrainingJob job =
                new TrainingJob(
                        training,
                        trainingPool,
                        "outage-worker",
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(120));
        try {
            job.execute(null);
            assertThat(status(store, tenant, requestId).status()).isEqualTo("RUNNING");

            DATABASE.kill();
            gate.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> trainingPool.freeSlots() == 1);
            DATABASE.restart();

            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(
                            () -> {
                                job.execute(null);
                                return !"RUNNING".equals(status(store, tenant, requestId).status());
                            });
        } finally {
            threads.shutdownNow();
        }
        ModelDao.TrainingStatus ended = status(store, tenant, requestId);
        assertThat(ended.status()).isEqualTo("FAILED");
        assertThat(ended.error()).isNotBlank();
        assertThat(ended.finishedAt()).isNotNull();
        assertThat(training.recordFailures()).as("recorded once").isZero();
        pool.close();
    }

    private static ModelDao.TrainingStatus status(ModelStore store, String tenant, String id) {
        return store.recentTraining(tenant).stream()
                .filter(run -> run.requestId().equals(id))
                .findFirst()
                .orElseThrow();
    }
}
