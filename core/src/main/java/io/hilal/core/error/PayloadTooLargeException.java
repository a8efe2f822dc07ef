package io.hilal.core.error;

/** The request body, or one item in it, is over its size limit. */
public final class PayloadTooLargeException extends HilalException {
    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String detail) {
        super(413, "payload_too_large", "Payload too large", detail);
    }
}
