package io.hilal.service.platform.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.hilal.core.error.RateLimitedException;
import java.time.Duration;

/**
 * A token bucket per key (a client address, an email) for attempts an unauthenticated caller can
 * make: {@code attempts} at once, refilled evenly over {@code window}. The buckets live in a
 * bounded map, so a flood of distinct keys costs a fixed amount of memory (the least recently used
 * keys are forgotten first). The limits are per service instance.
 */
public final class AttemptLimiter {
    static final int MAX_KEYS = 100_000;

    private final boolean enabled;
    private final long attempts;
    private final Duration window;
    private final Cache<String, Bucket> buckets;

    AttemptLimiter(boolean enabled, long attempts, Duration window) {
        this.enabled = enabled;
        this.attempts = attempts;
        this.window = window;
        // A bucket left alone for a window is full again: forgetting it then changes nothing.
        this.buckets =
                Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterAccess(window).build();
    }

    /** Takes one attempt for {@code key}, or throws 429 with the seconds until one is free. */
    public void acquire(String key) {
        if (!enabled || key == null) {
            return;
        }
        ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw limited(probe.getNanosToWaitForRefill());
        }
    }

    /** Gives back an attempt that succeeded, so only failures use a caller's allowance up. */
    public void refund(String key) {
        if (enabled && key != null) {
            Bucket bucket = buckets.getIfPresent(key);
            if (bucket != null && bucket.getAvailableTokens() < attempts) {
                bucket.addTokens(1);
            }
        }
    }

    /**
     * Throws 429 when {@code key} has no attempt left, without taking one: for checks cheap enough
     * that only their failures need counting (see {@link #charge}).
     */
    public void requireLeft(String key) {
        if (!enabled || key == null) {
            return;
        }
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket != null) {
            EstimationProbe probe = bucket.estimateAbilityToConsume(1);
            if (!probe.canBeConsumed()) {
                throw limited(probe.getNanosToWaitForRefill());
            }
        }
    }

    /** Counts a failed attempt for {@code key}; never throws. */
    public void charge(String key) {
        if (enabled && key != null) {
            bucket(key).tryConsume(1);
        }
    }

    private Bucket bucket(String key) {
        return buckets.get(key, ignored -> newBucket());
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(
                        Bandwidth.builder()
                                .capacity(attempts)
                                .refillGreedy(attempts, window)
                                .build())
                .build();
    }

    private static RateLimitedException limited(long nanosToWait) {
        return new RateLimitedException(Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L));
    }
}
