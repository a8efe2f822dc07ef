package io.hilal.core.error;

/** No credentials, or credentials that are unknown, malformed or revoked. */
public final class UnauthorizedException extends HilalException {
    private static final long serialVersionUID = 1L;

    public UnauthorizedException(String detail) {
        super(401, "unauthorized", "Unauthorized", detail);
    }
}
