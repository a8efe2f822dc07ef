package io.hilal.core.error;

import java.util.List;

/**
 * The root of every error Hilal reports to a client. Each carries what an RFC 9457 problem body
 * needs: an HTTP status, a stable {@code code} slug that clients can branch on, a short title, and
 * whether retrying the same request can succeed.
 */
public class HilalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String title;
    private final boolean retryable;
    private final List<FieldError> errors;

    protected HilalException(
            int status,
            String code,
            String title,
            String detail,
            boolean retryable,
            List<FieldError> errors,
            Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.code = code;
        this.title = title;
        this.retryable = retryable;
        this.errors = List.copyOf(errors);
    }

    protected HilalException(int status, String code, String title, String detail) {
        this(status, code, title, detail, false, List.of(), null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public boolean retryable() {
        return retryable;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
