package io.hilal.core.error;

/** The object does not exist for this tenant (another tenant's objects are simply not found). */
public final class NotFoundException extends HilalException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String kind, String id) {
        super(404, "not_found", "Not found", "No " + kind + " with id '" + id + "'");
    }

    public NotFoundException(String detail) {
        super(404, "not_found", "Not found", detail);
    }
}
