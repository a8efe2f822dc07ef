package io.hilal.core.reco;

import io.hilal.core.audit.OperatorLog;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.tenant.TenantDao;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Model priors across tenants, by the operator's leave only: the operator's per-tenant choice
 * ({@link PriorSharing}, both off by default), what a contributing tenant's training leaves in the
 * pool (its {@link ModelPriors} per category: aggregate numbers, no ids), and the pool a receiving
 * tenant's training borrows (the other contributors' priors, pooled by category name). A tenant
 * that stops contributing leaves the pool at once.
 */
public final class SharedPriors {
    private final Jdbi jdbi;
    private final Clock clock;

    public SharedPriors(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The tenant's choice (both off when the operator never set it); 404 for an unknown tenant. */
    public PriorSharing sharing(String tenantId) {
        requireTenant(tenantId);
        return read(tenantId);
    }

    /**
     * Sets the tenant's choice; turning contributing off takes the tenant's priors out of the pool
     * in the same transaction.
     */
    public PriorSharing setSharing(String tenantId, PriorSharing sharing) {
        sharing.check().throwIfAny();
        requireTenant(tenantId);
        jdbi.useTransaction(
                handle -> {
                    SharedPriorsDao dao = handle.attach(SharedPriorsDao.class);
                    dao.setSharing(tenantId, sharing, clock.instant());
                    if (!sharing.contribute()) {
                        dao.deletePriors(tenantId);
                    }
                });
        OperatorLog.action("tenant.prior-sharing", tenantId, "prior sharing " + sharing);
        return read(tenantId);
    }

    /**
     * The priors a tenant's training borrows: the pool of the other contributors' priors when the
     * tenant receives (else none), with {@code shopPrior} (its own, or null) as the fallback.
     */
    public ModelPriors forTraining(String tenantId, ModelPriors.CategoryPrior shopPrior) {
        if (!read(tenantId).receive()) {
            return ModelPriors.NONE.withShop(shopPrior);
        }
        Map<String, Map<String, ModelPriors.CategoryPrior>> byTenant = new LinkedHashMap<>();
        for (SharedPriorsDao.Row row :
                jdbi.withExtension(SharedPriorsDao.class, dao -> dao.pooledFor(tenantId))) {
            byTenant.computeIfAbsent(row.tenantId(), t -> new LinkedHashMap<>())
                    .put(row.category(), row.prior());
        }
        List<ModelPriors> contributors = new ArrayList<>();
        byTenant.values()
                .forEach(categories -> contributors.add(new ModelPriors(categories, null)));
        return ModelPriors.pool(contributors).withShop(shopPrior);
    }

    /**
     * Leaves the tenant's freshly measured priors in the pool when it contributes (replacing the
     * previous ones), and makes sure none of its are there when it does not.
     */
    public void contribute(String tenantId, ModelPriors own) {
        jdbi.useTransaction(
                handle -> {
                    SharedPriorsDao dao = handle.attach(SharedPriorsDao.class);
                    dao.deletePriors(tenantId);
                    if (!dao.sharing(tenantId).orElse(PriorSharing.OFF).contribute()) {
                        return;
                    }
                    List<SharedPriorsDao.Row> rows = new ArrayList<>();
                    own.categories()
                            .forEach(
                                    (category, prior) ->
                                            rows.add(
                                                    new SharedPriorsDao.Row(
                                                            tenantId, category, prior)));
                    if (!rows.isEmpty()) {
                        dao.insertPriors(tenantId, rows, clock.instant());
                    }
                });
    }

    private PriorSharing read(String tenantId) {
        return jdbi.withExtension(SharedPriorsDao.class, dao -> dao.sharing(tenantId))
                .orElse(PriorSharing.OFF);
    }

    private void requireTenant(String tenantId) {
        if (jdbi.onDemand(TenantDao.class).find(tenantId).isEmpty()) {
            throw new NotFoundException("tenant", tenantId);
        }
    }
}
