package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.error.RateLimitedException;
import io.hilal.core.tenant.TenantQuotaService;
import io.hilal.core.tenant.TenantQuotas;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class ModelStoreIT {
    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final ModelStore store = new ModelStore(jdbi, Clock.systemUTC());

    private static ModelStore.Trained als(byte[] bytes) {
        return new ModelStore.Trained(
                "als",
                Instant.parse("2010-12-01T00:00:00Z"),
                Instant.parse("2011-09-01T00:00:00Z"),
                "{\"rank\":64}",
                "{\"recall@20\":0.12}",
                bytes);
    }

    @Test
    void numbersVersionsPerTenantAndKindAndServesTheNewestActivated() {
        TenantService tenants = new TenantService(jdbi, Clock.systemUTC());
        String a = tenants.createTenant("a", "UTC").tenant().tenantId();
        String b = tenants.createTenant("b", "UTC").tenant().tenantId();

        assertThat(store.saveAndActivate(a, als(new byte[] {1, 2, 3}))).isEqualTo(1);
        assertThat(store.saveAndActivate(a, als(new byte[] {4, 5}))).isEqualTo(2);
        assertThat(store.saveAndActivate(b, als(new byte[] {9}))).isEqualTo(1);

        assertThat(store.active(a))
                .singleElement()
                .satisfies(
                        v -> {
                            assertThat(v.version()).isEqualTo(2);
                            assertThat(v.sizeBytes()).isEqualTo(2);
                            assertThat(v.metrics()).contains("recall@20");
                        });
        assertThat(store.versions(a))
                .extracting(ModelVersion::version, ModelVersion::active)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, true),
                        org.assertj.core.groups.Tuple.tuple(1, false));
        assertThat(store.artifact(a, "als", 2)).contains(new byte[] {4, 5});
        assertThat(store.artifact(b, "als", 2)).isEmpty();
    }

    @Test
    void storesAnArtifactInChunksAndStillReadsOneStoredInItsVersionsRowBeforeChunks() {
        String tenant =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("c", "UTC")
                        .tenant()
                        .tenantId();
        byte[] chunked = new byte[ArtifactChunks.CHUNK_BYTES + 3];
        new java.util.Random(1).nextBytes(chunked);
        byte[] empty = new byte[0];
        // A version written by a release before chunks: its artifact in its own row.
        byte[] legacy =
                RecommendationModel.train(
                                List.of(
                                        new Purchase(
                                                "c1",
                                                "p1",
                                                "o1",
                                                1,
                                                Instant.parse("2026-01-01T00:00:00Z"))),
                                java.util.Map.of("p1", new ProductInfo("p1", "P1", null, true)),
                                Instant.parse("2026-01-02T00:00:00Z"))
                        .toBytes();
        jdbi.useHandle(
                handle -> {
                    handle.execute(
                            "INSERT INTO model_versions (tenant_id, kind, version, trained_at,"
                                    + " params, metrics, size_bytes, artifact)"
                                    + " VALUES (?, ?, 1, NOW(3), '{}', '{}', ?, ?)",
                            tenant,
                            RecommendationModel.KIND,
                            legacy.length,
                            legacy);
                    handle.execute(
                            "INSERT INTO active_models (tenant_id, kind, version, activated_at)"
                                    + " VALUES (?, ?, 1, NOW(3))",
                            tenant,
                            RecommendationModel.KIND);
                });

        assertThat(store.artifact(tenant, RecommendationModel.KIND, 1)).contains(legacy);
        assertThat(new ModelLoader(store).active(tenant))
                .hasValueSatisfying(loaded -> assertThat(loaded.model().knows("c1")).isTrue());

        assertThat(store.saveAndActivate(tenant, als(chunked))).isEqualTo(1);
        assertThat(store.saveAndActivate(tenant, als(empty))).isEqualTo(2);

        assertThat(store.artifact(tenant, "als", 1)).contains(chunked);
        assertThat(store.artifact(tenant, "als", 2)).contains(empty);
        assertThat(
                        jdbi.<Integer, RuntimeException>withHandle(
                                handle ->
                                        handle.select(
                                                        "SELECT COUNT(*) FROM model_versions"
                                                                + " WHERE tenant_id = ? AND kind = 'als'"
                                                                + " AND artifact IS NULL",
                                                        tenant)
                                                .mapTo(Integer.class)
                                                .one()))
                .as("new versions keep no artifact in their row")
                .isEqualTo(2);
    }

    @Test
    void workersClaimEachTrainingRequestOnceAndOneTenantsRunsOneAfterAnother() {
        String tenant =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("t", "UTC")
                        .tenant()
                        .tenantId();
        String first = store.requestTraining(tenant);
        String second = store.requestTraining(tenant);

        var claimed = store.claimNextTraining("w").orElseThrow();
        assertThat(claimed.requestId()).isIn(first, second);
        assertThat(store.claimNextTraining("w")).as("the tenant's first run is going on").isEmpty();

        assertThat(store.finishWithModels(claimed, "w", List.of())).contains(List.of());
        var next = store.claimNextTraining("w").orElseThrow();
        assertThat(next.requestId()).isNotEqualTo(claimed.requestId()).isIn(first, second);
        assertThat(store.claimNextTraining("w")).isEmpty();
        assertThat(store.failTraining(next, "w", "no data")).isTrue();
        assertThat(store.recentTraining(tenant))
                .extracting(ModelDao.TrainingStatus::status)
                .containsExactlyInAnyOrder("DONE", "FAILED");
    }

    @Test
    void aTenantPastItsTrainingQuotaIsRefusedWithTheReasonAndItsNeighbourStillTrains() {
        Clock noon = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
        ModelStore atNoon = new ModelStore(jdbi, noon);
        TenantService tenants = new TenantService(jdbi, noon);
        String capped = tenants.createTenant("capped", "UTC").tenant().tenantId();
        String underQuota = tenants.createTenant("under", "UTC").tenant().tenantId();
        String neighbour = tenants.createTenant("neighbour", "UTC").tenant().tenantId();
        TenantQuotaService quotas = new TenantQuotaService(jdbi, noon);
        quotas.set(capped, new TenantQuotas(null, null, null, 60L));
        quotas.set(underQuota, new TenantQuotas(null, null, null, 600L));
        // Both trained for two minutes this morning.
        for (String tenant : List.of(capped, underQuota)) {
            jdbi.useHandle(
                    handle ->
                            handle.execute(
                                    "INSERT INTO training_requests (tenant_id, request_id, status,"
                                            + " requested_at, started_at, finished_at) VALUES"
                                            + " (?, 'morning', 'DONE', '2026-12-06 09:00:00',"
                                            + " '2026-12-06 09:00:00', '2026-12-06 09:02:00')",
                                    tenant));
        }

        assertThatThrownBy(() -> atNoon.requireTrainingTimeLeft(capped))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo("training_quota_exceeded");
                            assertThat(e.retryAfterSeconds()).isEqualTo(12 * 3600);
                            assertThat(e.detail()).contains("120 s of 60 s per UTC day");
                        });
        atNoon.requireTrainingTimeLeft(underQuota);
        atNoon.requireTrainingTimeLeft(neighbour);

        String refused = atNoon.requestTraining(capped);
        atNoon.requestTraining(underQuota);
        atNoon.requestTraining(neighbour);
        List<String> claimed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            atNoon.claimNextTraining("w").ifPresent(request -> claimed.add(request.tenantId()));
        }

        assertThat(claimed).containsExactlyInAnyOrder(underQuota, neighbour);
        assertThat(atNoon.recentTraining(capped))
                .filteredOn(status -> status.requestId().equals(refused))
                .singleElement()
                .satisfies(
                        status -> {
                            assertThat(status.status()).isEqualTo("REFUSED");
                            assertThat(status.startedAt()).isNull();
                            assertThat(status.error())
                                    .isEqualTo(
                                            "training time quota: 120 s of 60 s per UTC day used;"
                                                    + " runs start again after 00:00 UTC");
                        });
    }
}
