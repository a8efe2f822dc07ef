package io.hilal.sdk;

import java.util.List;

/**
 * An error Hilal answered (or, for {@link HilalConnectionException}, could not answer). Carries the
 * HTTP status, Hilal's stable error {@code code}, the request id to quote to support, whether a
 * retry can succeed, and per-field errors.
 */
public class HilalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String requestId;
    private final boolean retryable;
    private final transient List<FieldError> errors;

    /** One invalid field of a request. */
    public record FieldError(String field, String message) {}

    /** An error with everything the problem body said. */
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

    /** The HTTP status (0 when no answer came). */
    public int status() {
        return status;
    }

    /** Hilal's error code, e.g. {@code validation_failed}. */
    public String code() {
        return code;
    }

    /** The request id to quote to support, when known. */
    public String requestId() {
        return requestId;
    }

    /** Whether the same request may succeed later. */
    public boolean retryable() {
        return retryable;
    }

    /** The invalid fields, for validation errors. */
    public List<FieldError> errors() {
        return errors;
    }

    /** 401: the API key is missing, unknown or revoked. */
    public static final class AuthenticationException extends HilalException {
        private static final long serialVersionUID = 1L;

        /** See {@link HilalException}. */
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

        /** See {@link HilalException}. */
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

        /** See {@link HilalException}. */
        public NotFoundException(
                int status,
                String code,
                String message,
                String requestId,
                List<FieldError> errors) {
            super(status, code, message, requestId, false, errors);
        }
    }

    /** 400, 409, 413, 415 or 422: the request itself is wrong. */
    public static final class InvalidRequestException extends HilalException {
        private static final long serialVersionUID = 1L;

        /** See {@link HilalException}. */
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
        private final long retryAfterSeconds;

        /** See {@link HilalException}. */
        public RateLimitException(
                int status, String code, String message, String requestId, long retryAfterSeconds) {
            super(status, code, message, requestId, true, List.of());
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** The seconds the server asked us to wait. */
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** 5xx: Hilal could not serve the request; {@link #retryable()} says whether to try again. */
    public static final class ServerException extends HilalException {
        private static final long serialVersionUID = 1L;

        /** See {@link HilalException}. */
        public ServerException(
                int status, String code, String message, String requestId, boolean retryable) {
            super(status, code, message, requestId, retryable, List.of());
        }
    }

    /** No answer: the connection failed or timed out. Always retryable. */
    public static final class HilalConnectionException extends HilalException {
        private static final long serialVersionUID = 1L;

        /** See {@link HilalException}. */
        public HilalConnectionException(String message, Throwable cause) {
            super(0, "connection_failed", message, null, true, List.of());
            initCause(cause);
        }
    }
}
