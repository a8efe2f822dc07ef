package io.hilal.core.error;

/** Valid credentials without the scope this operation needs. */
public final class ForbiddenException extends HilalException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String detail) {
        super(403, "insufficient_scope", "Forbidden", detail);
    }
}
