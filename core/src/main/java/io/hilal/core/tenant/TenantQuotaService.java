package io.hilal.core.tenant;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.hilal.core.audit.OperatorLog;
import io.hilal.core.error.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * The operator's quotas per tenant: set and read through the operator API, and looked up on hot
 * paths (every ingest request) through a short-lived cache, so a change takes effect on every
 * instance within {@link #REFRESH}.
 */
public final class TenantQuotaService {
    public static final Duration REFRESH = Duration.ofSeconds(10);

    private final Jdbi jdbi;
    private final Clock clock;
    private final LoadingCache<String, TenantQuotas> current;

    public TenantQuotaService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.current =
                Caffeine.newBuilder()
                        .maximumSize(100_000)
                        .expireAfterWrite(REFRESH)
                        .build(this::read);
    }

    /** The tenant's quotas as stored; 404 for an unknown tenant. */
    public TenantQuotas get(String tenantId) {
        requireTenant(tenantId);
        return read(tenantId);
    }

    /** Replaces every quota of the tenant (null: none of that kind). */
    public TenantQuotas set(String tenantId, TenantQuotas quotas) {
        quotas.check().throwIfAny();
        requireTenant(tenantId);
        jdbi.useExtension(
                TenantQuotaDao.class, dao -> dao.upsert(tenantId, quotas, clock.instant()));
        current.invalidate(tenantId);
        OperatorLog.action("tenant.quotas", tenantId, "quotas " + quotas);
        return read(tenantId);
    }

    /** The tenant's quotas, at most {@link #REFRESH} old: for the paths every request takes. */
    public TenantQuotas current(String tenantId) {
        return current.get(tenantId);
    }

    private TenantQuotas read(String tenantId) {
        return jdbi.withExtension(TenantQuotaDao.class, dao -> dao.find(tenantId))
                .orElse(TenantQuotas.NONE);
    }

    private void requireTenant(String tenantId) {
        if (jdbi.onDemand(TenantDao.class).find(tenantId).isEmpty()) {
            throw new NotFoundException("tenant", tenantId);
        }
    }
}
