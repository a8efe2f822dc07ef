package io.hilal.core.pods;

import io.hilal.core.tenant.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Gives a new tenant its pod ({@link PlacementPolicy} over each pod's measured {@link PodLoad}) and
 * writes it in the directory, in the transaction that creates the tenant in the home database. The
 * tenant's row is copied into its pod first, where its data's foreign keys point.
 */
public final class TenantPlacer {
    private static final Duration RECENT = Duration.ofHours(24);

    private final PodRouter router;
    private final Jdbi routed;
    private final Clock clock;

    public TenantPlacer(PodRouter router, Jdbi routed, Clock clock) {
        this.router = router;
        this.routed = routed;
        this.clock = clock;
    }

    /** A placer for a single-database install or a test: every tenant in the home pod. */
    public static void placeAtHome(Handle home, String tenantId, Clock clock) {
        home.attach(PodDirectoryDao.class).place(tenantId, Pod.HOME_ID, clock.instant());
    }

    public void place(Handle home, Tenant tenant) {
        String podId = choose(home);
        if (!Pod.HOME_ID.equals(podId)) {
            DbScope.pod(
                    podId,
                    () ->
                            routed.useHandle(
                                    pod ->
                                            pod.createUpdate(
                                                            "INSERT IGNORE INTO tenants (tenant_id,"
                                                                    + " name, time_zone,"
                                                                    + " created_at) VALUES"
                                                                    + " (:id, :name, :zone,"
                                                                    + " :createdAt)")
                                                    .bind("id", tenant.tenantId())
                                                    .bind("name", tenant.name())
                                                    .bind("zone", tenant.timeZone())
                                                    .bind("createdAt", tenant.createdAt())
                                                    .execute()));
        }
        home.attach(PodDirectoryDao.class).place(tenant.tenantId(), podId, clock.instant());
        router.invalidate(tenant.tenantId());
    }

    /** Every pod's load now. */
    public List<PodLoad> loads(Handle home) {
        PodDirectoryDao directory = home.attach(PodDirectoryDao.class);
        List<PodLoad> loads = new ArrayList<>();
        for (Pod pod : directory.pods()) {
            List<String> tenants =
                    directory.tenantsOf(pod.podId()).stream().map(Placement::tenantId).toList();
            long recent =
                    tenants.isEmpty()
                            ? 0
                            : DbScope.pod(
                                    pod.podId(),
                                    () ->
                                            routed.withExtension(
                                                    PodLoadDao.class,
                                                    dao ->
                                                            dao.recentEvents(
                                                                    tenants,
                                                                    clock.instant()
                                                                            .minus(RECENT))));
            loads.add(new PodLoad(pod.podId(), pod.status(), tenants.size(), recent));
        }
        return loads;
    }

    private String choose(Handle home) {
        if (!router.multiPod()) {
            return Pod.HOME_ID;
        }
        return PlacementPolicy.choose(loads(home))
                .orElseThrow(
                        () ->
                                new io.hilal.core.error.UnavailableException(
                                        "no_open_pod",
                                        "Every pod is closed to new tenants; an operator must open"
                                                + " one. Nothing was created.",
                                        null));
    }
}
