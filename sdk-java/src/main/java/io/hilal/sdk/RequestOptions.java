package io.hilal.sdk;

import java.time.Duration;

/**
 * Per-call settings that override the client's: another API key (a platform serving several shops
 * with one client), a timeout, the number of attempts, and an idempotency key. Without an
 * idempotency key, a {@code POST} gets a random one that every retry of the call reuses, so a
 * retried call never acts twice.
 *
 * <pre>{@code
 * hilal.upsertCustomer(params, RequestOptions.builder().apiKey(otherShopKey).build());
 * }</pre>
 *
 * @param apiKey the API key for this call, or null for the client's
 * @param timeout the timeout of each attempt, or null for the client's
 * @param maxAttempts attempts, the first included, or null for the client's
 * @param idempotencyKey the {@code Idempotency-Key} header, or null for an automatic one on POST
 */
public record RequestOptions(
        String apiKey, Duration timeout, Integer maxAttempts, String idempotencyKey) {

    /** No overrides: the client's settings. */
    public static final RequestOptions DEFAULT = new RequestOptions(null, null, null, null);

    /**
     * A builder with nothing overridden.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RequestOptions}. */
    public static final class Builder {
        private String apiKey;
        private Duration timeout;
        private Integer maxAttempts;
        private String idempotencyKey;

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
         * (say, after a restart) so it acts once.
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
            return new RequestOptions(apiKey, timeout, maxAttempts, idempotencyKey);
        }
    }
}
