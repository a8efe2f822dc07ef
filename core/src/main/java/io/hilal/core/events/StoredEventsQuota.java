package io.hilal.core.events;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hilal.core.error.QuotaExceededException;
import io.hilal.core.tenant.TenantQuotaDao;
import io.hilal.core.tenant.TenantQuotaService;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;

/**
 * The operator's stored-events quota. Counting a tenant's events is a scan of its rows, too slow
 * for every batch, so each instance keeps an estimate: the last exact count plus what it stored
 * since, recounted at least every {@link #RECOUNT}. Far below the quota the estimate decides; once
 * a batch would take the estimate past {@link #NEAR} of the quota, every batch is judged on an
 * exact count inside its transaction. Several instances (or connections) recounting at the same
 * moment near the quota may together overshoot it by the batches they have in flight, never more.
 */
public final class StoredEventsQuota implements StoredEventsLimit {
    static final Duration RECOUNT = Duration.ofSeconds(30);
    static final double NEAR = 0.9;

    private final TenantQuotaService quotas;
    private final Cache<String, AtomicLong> estimates =
            Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(RECOUNT).build();

    public StoredEventsQuota(TenantQuotaService quotas) {
        this.quotas = quotas;
    }

    @Override
    public void admit(Handle handle, String tenantId, int adding) {
        Long quota = quotas.current(tenantId).storedEvents();
        if (quota == null || adding == 0) {
            return;
        }
        AtomicLong estimate = estimates.getIfPresent(tenantId);
        if (estimate != null && estimate.get() + adding <= quota * NEAR) {
            return;
        }
        long stored = handle.attach(TenantQuotaDao.class).storedEvents(tenantId);
        estimates.put(tenantId, new AtomicLong(stored));
        if (stored + adding > quota) {
            throw new QuotaExceededException(
                    "stored_events_quota_exceeded",
                    "The tenant stores "
                            + stored
                            + " events and its quota is "
                            + quota
                            + "; this batch would add "
                            + adding
                            + ". Nothing was stored. Ask the operator to raise the quota.");
        }
    }

    @Override
    public void stored(String tenantId, int added) {
        AtomicLong estimate = estimates.getIfPresent(tenantId);
        if (estimate != null) {
            estimate.addAndGet(added);
        }
    }
}
