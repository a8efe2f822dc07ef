package io.hilal.service.platform.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.hilal.core.error.RateLimitedException;
import io.hilal.core.tenant.TenantQuotaService;
import java.time.Duration;

/**
 * The operator's ingest quota (events per second per tenant), enforced by each service instance on
 * its share: the quota divided by the number of instances behind the load balancer. Counting in the
 * database instead would cost a write on one hot row per batch, paid by the database every tenant
 * shares, exactly when a tenant floods it; a local token bucket turns the flood away before it
 * touches anything shared. The price is that the split is only as even as the load balancer.
 */
public final class IngestRateQuota {
    private final TenantQuotaService quotas;
    private final int instances;
    private final Cache<String, Limited> buckets =
            Caffeine.newBuilder()
                    .maximumSize(100_000)
                    .expireAfterAccess(Duration.ofMinutes(10))
                    .build();

    private record Limited(long perSecond, Bucket bucket) {}

    public IngestRateQuota(TenantQuotaService quotas, int instances) {
        this.quotas = quotas;
        this.instances = instances;
    }

    /** This instance's share of a tenant's quota: at least one event per second. */
    static long share(long quota, int instances) {
        return Math.max(1, quota / instances);
    }

    /**
     * Takes {@code events} from the tenant's bucket, or throws 429 with the seconds until they fit.
     * A batch larger than one second's share is let in when the bucket is full and leaves it in
     * debt, so any batch size is possible and the long-run rate still holds.
     */
    public void charge(String tenantId, int events) {
        Long quota = quotas.current(tenantId).ingestEventsPerSecond();
        if (quota == null || events <= 0) {
            return;
        }
        long perSecond = share(quota, instances);
        Limited limited = buckets.get(tenantId, id -> new Limited(perSecond, newBucket(perSecond)));
        if (limited.perSecond() != perSecond) {
            limited = new Limited(perSecond, newBucket(perSecond));
            buckets.put(tenantId, limited);
        }
        long now = Math.min(events, perSecond);
        ConsumptionProbe probe = limited.bucket().tryConsumeAndReturnRemaining(now);
        if (!probe.isConsumed()) {
            throw limited(quota, probe.getNanosToWaitForRefill());
        }
        if (events > now) {
            limited.bucket().consumeIgnoringRateLimits(events - now);
        }
    }

    /**
     * Throws 429 when the tenant's bucket has not even one event left, without taking any: asked
     * before a batch is read, so a flood is turned away without the cost of parsing it.
     */
    public void requireSomeLeft(String tenantId) {
        Long quota = quotas.current(tenantId).ingestEventsPerSecond();
        Limited limited = quota == null ? null : buckets.getIfPresent(tenantId);
        if (limited == null) {
            return;
        }
        EstimationProbe probe = limited.bucket().estimateAbilityToConsume(1);
        if (!probe.canBeConsumed()) {
            throw limited(quota, probe.getNanosToWaitForRefill());
        }
    }

    private static RateLimitedException limited(long quota, long nanosToWait) {
        long seconds = Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L);
        return new RateLimitedException(
                "ingest_quota_exceeded",
                "The tenant's ingest quota is "
                        + quota
                        + " events per second; retry after "
                        + seconds
                        + " s. Nothing was stored.",
                seconds);
    }

    private static Bucket newBucket(long perSecond) {
        return Bucket.builder()
                .addLimit(
                        Bandwidth.builder()
                                .capacity(perSecond)
                                .refillGreedy(perSecond, Duration.ofSeconds(1))
                                .build())
                .build();
    }
}
