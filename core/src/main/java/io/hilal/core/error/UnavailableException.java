package io.hilal.core.error;

/** A dependency (the database, usually) cannot be reached; the same request may succeed later. */
public final class UnavailableException extends HilalException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String code, String detail, Throwable cause) {
        super(503, code, "Service unavailable", detail, true, java.util.List.of(), cause);
    }
}
