package io.hilal.core.error;

/** The request conflicts with the object's current state or with an earlier request. */
public final class ConflictException extends HilalException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String code, String detail) {
        super(409, code, "Conflict", detail);
    }
}
