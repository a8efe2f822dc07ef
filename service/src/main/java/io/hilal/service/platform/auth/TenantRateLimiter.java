package io.hilal.service.platform.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.hilal.core.error.RateLimitedException;
import java.time.Duration;

/** One token bucket per tenant, so one busy tenant cannot slow the others down. */
public final class TenantRateLimiter {
    private final boolean enabled;
    private final long requestsPerSecond;
    private final long burst;
    private final Cache<String, Bucket> buckets =
            Caffeine.newBuilder()
                    .maximumSize(100_000)
                    .expireAfterAccess(Duration.ofMinutes(10))
                    .build();

    TenantRateLimiter(boolean enabled, long requestsPerSecond, long burst) {
        this.enabled = enabled;
        this.requestsPerSecond = requestsPerSecond;
        this.burst = burst;
    }

    /** Takes one request from the tenant's bucket, or throws with the seconds until one is free. */
    public void acquire(String tenantId) {
        if (!enabled) {
            return;
        }
        Bucket bucket = buckets.get(tenantId, id -> newBucket());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds =
                    Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw new RateLimitedException(seconds);
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(
                        Bandwidth.builder()
                                .capacity(burst)
                                .refillGreedy(requestsPerSecond, Duration.ofSeconds(1))
                                .build())
                .build();
    }
}
