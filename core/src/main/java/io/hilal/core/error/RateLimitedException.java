package io.hilal.core.error;

/** The tenant sent more requests than its rate allows; retry after {@link #retryAfterSeconds()}. */
public final class RateLimitedException extends HilalException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public RateLimitedException(long retryAfterSeconds) {
        super(
                429,
                "rate_limited",
                "Too many requests",
                "Rate limit exceeded; retry after " + retryAfterSeconds + " s",
                true,
                java.util.List.of(),
                null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * A quota that refills with time (ingest rate, training time per day), named by {@code code}.
     */
    public RateLimitedException(String code, String detail, long retryAfterSeconds) {
        super(429, code, "Too many requests", detail, true, java.util.List.of(), null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
