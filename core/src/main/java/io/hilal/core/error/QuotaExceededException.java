package io.hilal.core.error;

/**
 * The tenant reached a quota the operator set that time alone does not lift (stored events): 403,
 * not 429, because retrying the same request keeps failing until the operator raises the quota or
 * the tenant's data shrinks (RFC 9110 §15.5.4). Quotas that refill with time answer 429 ({@link
 * RateLimitedException}).
 */
public final class QuotaExceededException extends HilalException {
    private static final long serialVersionUID = 1L;

    public QuotaExceededException(String code, String detail) {
        super(403, code, "Quota exceeded", detail);
    }
}
