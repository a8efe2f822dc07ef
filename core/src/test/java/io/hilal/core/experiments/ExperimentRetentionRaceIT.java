package io.hilal.core.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hilal.core.db.HilalJdbi;
import io.hilal.core.error.ConflictException;
import io.hilal.core.error.FieldError;
import io.hilal.core.error.ValidationException;
import io.hilal.core.reco.ModelRetention;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.ModelVersion;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.Test;

/**
 * An experiment started on an old version while retention deletes old versions, on the real
 * database, each interleaving forced: the experiment's creation is held at one of its statements
 * while retention runs on its own connections. Either the experiment starts and its version stays,
 * or the creation fails with a 422 naming the arm; never an experiment whose arm's version is gone
 * (which would serve that arm popularity). Likewise two starts at once: one starts, the other is
 * refused, never two running experiments.
 */
class ExperimentRetentionRaceIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final String url = TestDatabase.newSchema();
    private final Jdbi retentionJdbi = jdbi();
    private final Jdbi experimentJdbi = jdbi();
    private final ModelStore store = new ModelStore(retentionJdbi, Clock.systemUTC());
    private final ExperimentService experiments =
            new ExperimentService(
                    experimentJdbi,
                    new ModelStore(experimentJdbi, Clock.systemUTC()),
                    Clock.systemUTC());
    private final String shop =
            new TenantService(retentionJdbi, Clock.systemUTC())
                    .createTenant("shop", "UTC")
                    .tenant()
                    .tenantId();

    /** Where the experiment's creation is held, until {@link #release}. */
    private final CountDownLatch held = new CountDownLatch(1);

    private final CountDownLatch release = new CountDownLatch(1);

    private Jdbi jdbi() {
        return HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
    }

    /** Three ALS versions, the newest active: with one kept, v1 and v2 are old. */
    private void trainThree() {
        for (int i = 0; i < 3; i++) {
            store.saveAndActivate(
                    shop, new ModelStore.Trained("als", null, null, "{}", "{}", new byte[] {1}));
        }
    }

    /** Holds the experiment's creation before its first statement that {@code at} accepts. */
    private void holdCreationBefore(Predicate<String> at) {
        experimentJdbi
                .getConfig(SqlStatements.class)
                .addCustomizer(
                        new StatementCustomizer() {
                            @Override
                            public void beforeExecution(
                                    PreparedStatement statement, StatementContext context)
                                    throws java.sql.SQLException {
                                if (at.test(context.getRenderedSql()) && held.getCount() > 0) {
                                    held.countDown();
                                    try {
                                        release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                        throw new java.sql.SQLException(e);
                                    }
                                }
                            }
                        });
    }

    private CompletableFuture<Experiment> startOnV1() {
        ExperimentRequest request =
                new ExperimentRequest(
                        "old als",
                        null,
                        new ExperimentRequest.ArmRequest("als", 1),
                        new ExperimentRequest.ArmRequest(Experiment.POPULARITY, null),
                        null);
        return CompletableFuture.supplyAsync(() -> experiments.create(shop, request));
    }

    private List<Integer> alsVersions() {
        return store.versions(shop).stream()
                .filter(version -> version.kind().equals("als"))
                .map(ModelVersion::version)
                .toList();
    }

    /** Transactions of this server waiting for a row lock. */
    private long lockWaits() {
        return retentionJdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                                                + " WHERE trx_state = 'LOCK WAIT'")
                                .mapTo(Long.class)
                                .one());
    }

    /** Connections of this server waiting for a named lock ({@code GET_LOCK}). */
    private long userLockWaits() {
        return retentionJdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                                                + " WHERE STATE = 'User lock'")
                                .mapTo(Long.class)
                                .one());
    }

    @Test
    void twoStartsAtOnceStartOneAndRefuseTheOther() throws Exception {
        trainThree();
        holdCreationBefore(sql -> sql.startsWith("INSERT INTO model_experiments"));
        CompletableFuture<Experiment> first = startOnV1();
        assertThat(held.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // The first has found no experiment running and is about to insert; a second start now,
        // on its own connections, must not find none too.
        ExperimentService other = new ExperimentService(retentionJdbi, store, Clock.systemUTC());
        CompletableFuture<Experiment> second =
                CompletableFuture.supplyAsync(
                        () ->
                                other.create(
                                        shop,
                                        new ExperimentRequest(
                                                "new als",
                                                null,
                                                new ExperimentRequest.ArmRequest("als", 3),
                                                new ExperimentRequest.ArmRequest(
                                                        Experiment.POPULARITY, null),
                                                null)));
        await().atMost(PATIENCE).until(() -> second.isDone() || userLockWaits() > 0);
        release.countDown();

        assertThat(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).a())
                .isEqualTo(new Experiment.Arm("als", 1));
        assertThatThrownBy(() -> second.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(ConflictException.class)
                .cause()
                .hasMessageContaining("is running");
        assertThat(experiments.list(shop))
                .filteredOn(experiment -> experiment.status().equals(Experiment.RUNNING))
                .hasSize(1);
    }

    @Test
    void retentionRunningWhileTheExperimentIsBeingStartedKeepsItsVersion() throws Exception {
        trainThree();
        holdCreationBefore(sql -> sql.startsWith("INSERT INTO model_experiments"));
        CompletableFuture<Experiment> started = startOnV1();
        assertThat(held.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        CompletableFuture<ModelRetention.Freed> pruned =
                CompletableFuture.supplyAsync(
                        () -> new ModelRetention(retentionJdbi, 1).prune(shop));
        // Retention either waits for the experiment's transaction or (unguarded) is done already.
        await().atMost(PATIENCE).until(() -> pruned.isDone() || lockWaits() > 0);
        release.countDown();

        Experiment experiment = started.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(experiment.a()).isEqualTo(new Experiment.Arm("als", 1));
        assertThat(pruned.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).versions())
                .as("only v2 deleted")
                .isEqualTo(1);
        assertThat(alsVersions()).as("the running experiment's arm stays").containsExactly(3, 1);
    }

    @Test
    void anExperimentWhoseVersionRetentionDeletedWhileItWasBeingStartedIsRefused()
            throws Exception {
        trainThree();
        // Held after it found v1 among the versions, at its transaction's first statement.
        holdCreationBefore(sql -> sql.contains("FROM model_experiments") && sql.endsWith("UPDATE"));
        CompletableFuture<Experiment> started = startOnV1();
        assertThat(held.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        assertThat(new ModelRetention(retentionJdbi, 1).prune(shop).versions()).isEqualTo(2);
        release.countDown();

        assertThatThrownBy(() -> started.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        ValidationException.class,
                        refused ->
                                assertThat(refused.errors())
                                        .extracting(FieldError::field)
                                        .containsExactly("a.version"));
        assertThat(experiments.list(shop)).isEmpty();
        assertThat(alsVersions()).containsExactly(3);
    }
}
