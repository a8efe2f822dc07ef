package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
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
    void workersClaimEachTrainingRequestOnceAndOneTenantsRunsOneAfterAnother() {
        String tenant =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("t", "UTC")
                        .tenant()
                        .tenantId();
        String first = store.requestTraining(tenant);
        String second = store.requestTraining(tenant);

        var claimed = store.claimNextTraining().orElseThrow();
        assertThat(claimed.requestId()).isIn(first, second);
        assertThat(store.claimNextTraining()).as("the tenant's first run is going on").isEmpty();

        store.finishTraining(claimed, null);
        var next = store.claimNextTraining().orElseThrow();
        assertThat(next.requestId()).isNotEqualTo(claimed.requestId()).isIn(first, second);
        assertThat(store.claimNextTraining()).isEmpty();
        store.finishTraining(next, "no data");
        assertThat(store.recentTraining(tenant))
                .extracting(ModelDao.TrainingStatus::status)
                .containsExactlyInAnyOrder("DONE", "FAILED");
    }
}
