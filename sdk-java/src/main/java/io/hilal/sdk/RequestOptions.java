package io.hilal.sdk;

import java.time.Duration;

/**
 * Per-call settings that override the client's: another API key (a platform serving several shops
 * with one client), a timeout per attempt, a total deadline across retries, the number of attempts,
 * and an idempotency key. Without an idempotency key, a {@code POST} gets a random one that every
 * retry of the call reuses, so a retried call never acts twice. Every field may be null, meaning
 * "the client's setting"; {@link #toString()} never shows the API key.
 *
 * <pre>{@code
 * hilal.customers().upsert(params, RequestOptions.builder().apiKey(otherShopKey).build());
 * }</pre>
 *
 * @param apiKey the API key for this call, or null for the client's
 * @param timeout the timeout of each attempt, or null for the client's
 * @param maxAttempts attempts, the first included, or null for the client's
 * @param idempotencyKey the {@code Idempotency-Key} header, or null for an automatic one on POST
 * @param callTimeout the total deadline of the call, retries and their waits included, or null for
 *     the client's
 */
public record RequestOptions(
        String apiKey,
        Duration timeout,
        Integer maxAttempts,
        String idempotencyKey,
        Duration callTimeout) {

    /** No overrides: the client's settings. */
    public static final RequestOptions DEFAULT = new RequestOptions(null, null, null, null, null);

    /**
     * Options without a call deadline of their own (the form before {@code callTimeout} existed).
     *
     * @param apiKey the API key for this call, or null for the client's
     * @param timeout the timeout of each attempt, or null for the client's
     * @param maxAttempts attempts, the first included, or null for the client's
     * @param idempotencyKey the {@code Idempotency-Key} header, or null
     */
    public RequestOptions(
            String apiKey, Duration timeout, Integer maxAttempts, String idempotencyKey) {
        this(apiKey, timeout, maxAttempts, idempotencyKey, null);
    }

    /**
     * A builder with nothing overridden.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The options with the API key masked: they end up in logs and exception messages. */
    @Override
    public String toString() {
        return "RequestOptions[apiKey="
                + (apiKey == null ? "null" : "****")
                + ", timeout="
                + timeout
                + ", maxAttempts="
                + maxAttempts
                + ", idempotencyKey="
                + idempotencyKey
                + ", callTimeout="
                + callTimeout
                + "]";
    }

    /** Builds {@link RequestOptions}. */
    public static final class Builder {
        private String apiKey;
        private Duration timeout;
        private Integer maxAttempts;
        private String idempotencyKey;
        private Duration callTimeout;

        private Builder() {}

        /**
         * The API key for this call instead of the client's.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * The timeout of each attempt of this call.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * The total deadline of this call: every attempt and every wait between attempts must end
         * within it, else the call throws {@link HilalException.HilalTimeoutException}.
         *
         * @param callTimeout the deadline, positive
         * @return this builder
         */
        public Builder callTimeout(Duration callTimeout) {
            if (callTimeout != null && (callTimeout.isNegative() || callTimeout.isZero())) {
                throw new IllegalArgumentException("callTimeout must be positive");
            }
            this.callTimeout = callTimeout;
            return this;
        }

        /**
         * Attempts for this call, the first included; 1 means no retry.
         *
         * @param attempts at least 1
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * The {@code Idempotency-Key} of this call; reuse it when you repeat the same call later
         * (say, after a restart) so it acts once. Hilal checks it on the campaign {@code POST}s;
         * the batch upserts refuse one (see {@link CustomerService#upsertBatch}).
         *
         * @param key at most 255 printable ASCII characters
         * @return this builder
         */
        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key;
            return this;
        }

        /**
         * The options.
         *
         * @return the options
         */
        public RequestOptions build() {
            return new RequestOptions(apiKey, timeout, maxAttempts, idempotencyKey, callTimeout);
        }
    }
}
