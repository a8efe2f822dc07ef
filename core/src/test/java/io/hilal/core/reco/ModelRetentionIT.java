package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.experiments.Experiment;
import io.hilal.core.experiments.ExperimentDao;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.Test;

/** Old model versions deleted with their chunks, on the real database. */
class ModelRetentionIT {
    /** An artifact of three chunks. */
    private static final int ARTIFACT_BYTES = 2 * ArtifactChunks.CHUNK_BYTES + 7;

    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final ModelStore store = new ModelStore(jdbi, Clock.systemUTC());
    private final TenantService tenants = new TenantService(jdbi, Clock.systemUTC());

    private String tenant(String name) {
        return tenants.createTenant(name, "UTC").tenant().tenantId();
    }

    /** Stores {@code count} more versions of {@code kind}, each activated in turn. */
    private void train(String tenant, String kind, int count) {
        for (int i = 0; i < count; i++) {
            byte[] artifact = new byte[ARTIFACT_BYTES];
            artifact[0] = (byte) i;
            store.saveAndActivate(
                    tenant, new ModelStore.Trained(kind, null, null, "{}", "{}", artifact));
        }
    }

    private List<Integer> versions(String tenant, String kind) {
        return store.versions(tenant).stream()
                .filter(version -> version.kind().equals(kind))
                .map(ModelVersion::version)
                .toList();
    }

    /** The versions of the tenant's kind that still have chunks, newest first. */
    private List<Integer> chunked(String tenant, String kind) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT DISTINCT version FROM model_artifact_chunks"
                                                + " WHERE tenant_id = :tenant AND kind = :kind"
                                                + " ORDER BY version DESC")
                                .bind("tenant", tenant)
                                .bind("kind", kind)
                                .mapTo(Integer.class)
                                .list());
    }

    private void activate(String tenant, String kind, int version) {
        jdbi.useHandle(
                handle ->
                        handle.execute(
                                "UPDATE active_models SET version = ? WHERE tenant_id = ?"
                                        + " AND kind = ?",
                                version,
                                tenant,
                                kind));
    }

    @Test
    void deletesTheVersionsPastTheNewestKeptWithTheirChunksInBatches() {
        String shop = tenant("shop");
        train(shop, "als", 7);
        train(shop, "recommender", 2);

        // One chunk a statement: each artifact's three chunks in three deletions.
        ModelRetention.Freed freed = new ModelRetention(jdbi, 5, 1).prune(shop);

        assertThat(freed).isEqualTo(new ModelRetention.Freed(2, 2L * ARTIFACT_BYTES));
        assertThat(versions(shop, "als")).containsExactly(7, 6, 5, 4, 3);
        assertThat(chunked(shop, "als")).containsExactly(7, 6, 5, 4, 3);
        assertThat(versions(shop, "recommender")).containsExactly(2, 1);
        assertThat(store.artifact(shop, "als", 3))
                .hasValueSatisfying(a -> assertThat(a).hasSize(ARTIFACT_BYTES));
        assertThat(new ModelRetention(jdbi, 5).prune(shop))
                .as("nothing left to delete")
                .isEqualTo(ModelRetention.Freed.NONE);
    }

    @Test
    void honoursTheNumberOfVersionsToKeep() {
        String shop = tenant("shop");
        train(shop, "als", 4);

        assertThat(new ModelRetention(jdbi, 3).prune(shop).versions()).isEqualTo(1);
        assertThat(versions(shop, "als")).containsExactly(4, 3, 2);
        assertThat(new ModelRetention(jdbi, 2).prune(shop).versions()).isEqualTo(1);
        assertThat(versions(shop, "als")).containsExactly(4, 3);
    }

    @Test
    void keepsTheActiveVersionEvenWhenOlderThanTheNewestKept() {
        String shop = tenant("shop");
        train(shop, "als", 5);
        activate(shop, "als", 1);

        new ModelRetention(jdbi, 2).prune(shop);

        assertThat(versions(shop, "als")).containsExactly(5, 4, 1);
        assertThat(chunked(shop, "als")).containsExactly(5, 4, 1);
        assertThat(store.active(shop)).extracting(ModelVersion::version).containsExactly(1);
    }

    @Test
    void keepsTheVersionsARunningExperimentsArmsNameButNotAStoppedOnes() {
        String shop = tenant("shop");
        train(shop, "als", 3);
        train(shop, "ease", 4);
        experiment(shop, "running", "als", 1, "ease", 2);
        experiment(shop, "stopped", "ease", 1, Experiment.POPULARITY, null);

        new ModelRetention(jdbi, 2).prune(shop);

        assertThat(versions(shop, "als")).containsExactly(3, 2, 1);
        assertThat(versions(shop, "ease")).containsExactly(4, 3, 2);
        assertThat(chunked(shop, "ease")).containsExactly(4, 3, 2);
    }

    private void experiment(
            String tenant, String status, String aKind, Integer a, String bKind, Integer b) {
        jdbi.useExtension(
                ExperimentDao.class,
                dao ->
                        dao.insert(
                                tenant,
                                new ExperimentDao.Row(
                                        "exp_" + status,
                                        status,
                                        "split",
                                        aKind,
                                        a,
                                        bKind,
                                        b,
                                        1000,
                                        status,
                                        Instant.now(),
                                        null)));
    }

    @Test
    void leavesAnotherTenantsVersionsAlone() {
        String shop = tenant("shop");
        String other = tenant("other");
        train(shop, "als", 4);
        train(other, "als", 4);

        new ModelRetention(jdbi, 2).prune(shop);

        assertThat(versions(shop, "als")).containsExactly(4, 3);
        assertThat(versions(other, "als")).containsExactly(4, 3, 2, 1);
        assertThat(chunked(other, "als")).containsExactly(4, 3, 2, 1);
    }

    @Test
    void aDeletionCutShortLeavesTheActiveModelLoadableAndTheNextRunFinishesIt() {
        String shop = tenant("shop");
        train(shop, "als", 3);
        Purchase bought = new Purchase("c1", "p1", "o1", 1, Instant.parse("2026-01-01T00:00:00Z"));
        store.saveAndActivate(
                shop,
                new ModelStore.Trained(
                        RecommendationModel.KIND,
                        null,
                        null,
                        "{}",
                        "{}",
                        RecommendationModel.train(
                                        List.of(bought),
                                        Map.of("p1", new ProductInfo("p1", "P1", null, true)),
                                        Instant.parse("2026-01-02T00:00:00Z"))
                                .toBytes()));
        // The database goes away at the second chunk deletion.
        AtomicInteger chunkDeletions = new AtomicInteger();
        jdbi.getConfig(SqlStatements.class)
                .addCustomizer(
                        new StatementCustomizer() {
                            @Override
                            public void beforeExecution(
                                    PreparedStatement statement, StatementContext context)
                                    throws SQLException {
                                if (context.getRenderedSql()
                                                .startsWith("DELETE FROM model_artifact_chunks")
                                        && chunkDeletions.incrementAndGet() == 2) {
                                    throw new SQLException("connection lost");
                                }
                            }
                        });

        assertThat(new ModelRetention(jdbi, 2, 1).prune(shop))
                .as("what it deleted before it stopped")
                .isEqualTo(new ModelRetention.Freed(1, ARTIFACT_BYTES));
        assertThat(chunkDeletions).hasValue(2);

        assertThat(versions(shop, "als")).as("the row went first").containsExactly(3, 2);
        assertThat(chunked(shop, "als")).as("two chunks of v1 left").containsExactly(3, 2, 1);
        assertThat(store.artifact(shop, "als", 1)).isEmpty();
        assertThat(store.artifact(shop, "als", 3))
                .hasValueSatisfying(a -> assertThat(a).hasSize(ARTIFACT_BYTES));
        assertThat(new ModelLoader(store).active(shop))
                .hasValueSatisfying(loaded -> assertThat(loaded.model().knows("c1")).isTrue());

        assertThat(new ModelRetention(jdbi, 2, 1).prune(shop))
                .as("counted once, when its row went")
                .isEqualTo(ModelRetention.Freed.NONE);
        assertThat(chunked(shop, "als")).containsExactly(3, 2);
    }
}
