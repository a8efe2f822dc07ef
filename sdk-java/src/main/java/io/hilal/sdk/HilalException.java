package io.hilal.sdk;

import java.util.List;

/**
 * An error Hilal answered (or, for {@link HilalConnectionException}, could not answer), built from
 * its RFC 9457 problem+json body. Carries the HTTP status, Hilal's stable error {@code code} to
 * branch on (messages may change, codes do not), the request id to quote to support, whether a
 * retry can succeed, and per-field errors. The subclasses let you catch one kind of failure.
 */
public class HilalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status, or 0. */
    private final int status;

    /** Hilal's stable error code. */
    private final String code;

    /** The request id, or null. */
    private final String requestId;

    /** Whether the same request may succeed later. */
    private final boolean retryable;

    private final transient List<FieldError> errors;

    /**
     * One invalid field of a request.
     *
     * @param field the field's path, e.g. {@code emailConsent.status} or {@code lines[0].quantity}
     * @param message what is wrong with it
     */
    public record FieldError(String field, String message) {}

    /**
     * An error with everything the problem body said.
     *
     * @param status the HTTP status, or 0 when no answer came
     * @param code Hilal's stable error code
     * @param message the problem's detail
     * @param requestId the request id, or null
     * @param retryable whether the same request may succeed later
     * @param errors the invalid fields, or null
     */
    public HilalException(
            int status,
            String code,
            String message,
            String requestId,
            boolean retryable,
            List<FieldError> errors) {
        super(message);
        this.status = status;
        this.code = code;
        this.requestId = requestId;
        this.retryable = retryable;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /**
     * The HTTP status.
     *
     * @return the status, or 0 when no answer came
     */
    public int status() {
        return status;
    }

    /**
     * Hilal's stable error code.
     *
     * @return e.g. {@code validation_failed}, {@code rate_limited}, {@code connection_failed} or
     *     {@code timeout}
     */
    public String code() {
        return code;
    }

    /**
     * The request id to quote to support (also in Hilal's logs).
     *
     * @return the id, or null when no answer came
     */
    public String requestId() {
        return requestId;
    }

    /**
     * Whether the same request may succeed later (the client has already retried it).
     *
     * @return true for timeouts, rate limits, server errors and connection failures
     */
    public boolean retryable() {
        return retryable;
    }

    /**
     * The invalid fields, for validation errors.
     *
     * @return the fields, empty for other errors
     */
    public List<FieldError> errors() {
        return errors;
    }

    /** 401: the API key is missing, unknown or revoked. */
    public static final class AuthenticationException extends HilalException {
        private static final long serialVersionUID = 1L;

        /**
         * See {@link HilalException}.
         *
         * @param status the HTTP status
         * @param code Hilal's error code
         * @param message the problem's detail
         * @param requestId the request id
         * @param errors the invalid fields
         */
        public AuthenticationException(
                int status,
                String code,
                String message,
                String requestId,
                List<FieldError> errors) {
            super(status, code, message, requestId, false, errors);
        }
    }

    /** 403: the key lacks the scope. */
    public static final class PermissionException extends HilalException {
        private static final long serialVersionUID = 1L;

        /**
         * See {@link HilalException}.
         *
         * @param status the HTTP status
         * @param code Hilal's error code
         * @param message the problem's detail
         * @param requestId the request id
         * @param errors the invalid fields
         */
        public PermissionException(
                int status,
                String code,
                String message,
                String requestId,
                List<FieldError> errors) {
            super(status, code, message, requestId, false, errors);
        }
    }

    /** 404: no such object for this tenant. */
    public static final class NotFoundException extends HilalException {
        private static final long serialVersionUID = 1L;

        /**
         * See {@link HilalException}.
         *
         * @param status the HTTP status
         * @param code Hilal's error code
         * @param message the problem's detail
         * @param requestId the request id
         * @param errors the invalid fields
         */
        public NotFoundException(
                int status,
                String code,
                String message,
                String requestId,
                List<FieldError> errors) {
            super(status, code, message, requestId, false, errors);
        }
    }

    /** 400, 409, 413, 415 or 422: the request itself is wrong; do not retry it unchanged. */
    public static final class InvalidRequestException extends HilalException {
        private static final long serialVersionUID = 1L;

        /**
         * See {@link HilalException}.
         *
         * @param status the HTTP status
         * @param code Hilal's error code
         * @param message the problem's detail
         * @param requestId the request id
         * @param errors the invalid fields
         */
        public InvalidRequestException(
                int status,
                String code,
                String message,
                String requestId,
                List<FieldError> errors) {
            super(status, code, message, requestId, false, errors);
        }
    }

    /** 429: slow down; retry after {@link #retryAfterSeconds()}. */
    public static final class RateLimitException extends HilalException {
        private static final long serialVersionUID = 1L;

        /** The seconds Hilal asked to wait. */
        private final long retryAfterSeconds;

        /**
         * See {@link HilalException}.
         *
         * @param status the HTTP status
         * @param code Hilal's error code
         * @param message the problem's detail
         * @param requestId the request id
         * @param retryAfterSeconds the seconds Hilal asked to wait
         */
        public RateLimitException(
                int status, String code, String message, String requestId, long retryAfterSeconds) {
            super(status, code, message, requestId, true, List.of());
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /**
         * The seconds Hilal asked to wait before the next request.
         *
         * @return the seconds, 0 when Hilal did not say
         */
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** 5xx: Hilal could not serve the request; {@link #retryable()} says whether to try again. */
    public static final class ServerException extends HilalException {
        private static final long serialVersionUID = 1L;

        /**
         * See {@link HilalException}.
         *
         * @param status the HTTP status
         * @param code Hilal's error code
         * @param message the problem's detail
         * @param requestId the request id
         * @param retryable whether the same request may succeed later
         */
        public ServerException(
                int status, String code, String message, String requestId, boolean retryable) {
            super(status, code, message, requestId, retryable, List.of());
        }
    }

    /**
     * No usable answer: the connection failed, or the answer was not JSON (code {@code
     * connection_failed}), or it did not come in time ({@link HilalTimeoutException}, code {@code
     * timeout}). Always retryable.
     */
    public static class HilalConnectionException extends HilalException {
        private static final long serialVersionUID = 1L;

        /**
         * See {@link HilalException}.
         *
         * @param message what went wrong
         * @param cause the I/O error
         */
        public HilalConnectionException(String message, Throwable cause) {
            this("connection_failed", message, cause);
        }

        /**
         * See {@link HilalException}.
         *
         * @param code Hilal's error code
         * @param message what went wrong
         * @param cause the I/O error, or null
         */
        protected HilalConnectionException(String code, String message, Throwable cause) {
            super(0, code, message, null, true, List.of());
            if (cause != null) {
                initCause(cause);
            }
        }
    }

    /**
     * No answer in time, code {@code timeout}: an attempt passed its timeout, or the call's total
     * deadline across retries ({@code callTimeout}) passed. Hilal may or may not have acted, so
     * retry with the same idempotency key or message ids.
     */
    public static final class HilalTimeoutException extends HilalConnectionException {
        private static final long serialVersionUID = 1L;

        /**
         * See {@link HilalException}.
         *
         * @param message what timed out
         * @param cause the I/O error, or null when the call's deadline passed between attempts
         */
        public HilalTimeoutException(String message, Throwable cause) {
            super("timeout", message, cause);
        }
    }
}
