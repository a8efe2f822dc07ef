package io.hilal.core.error;

/**
 * The database has no room for the write (its tablespace or disk is full): 507 Insufficient
 * Storage. Nothing was stored and it is not the client's doing, so the same request may succeed
 * once the operator has made room; clients retry later, as after a 503.
 */
public final class StorageFullException extends HilalException {
    private static final long serialVersionUID = 1L;

    public StorageFullException(String code, String detail, Throwable cause) {
        super(507, code, "Insufficient storage", detail, true, java.util.List.of(), cause);
    }
}
