package io.hilal.service.platform.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hilal.core.catalog.JsonErrors;
import io.hilal.core.error.BadRequestException;
import io.hilal.core.error.FieldError;
import io.hilal.core.error.HilalException;
import io.hilal.core.error.StorageFullException;
import io.hilal.core.error.UnavailableException;
import io.hilal.core.pods.PodScopes;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.jdbi.v3.core.ConnectionException;

/**
 * Classifies anything thrown while serving a request as one of Hilal's errors, so that every path
 * ends in the same problem body: ours as they are, Jackson's as 400s naming the field, JAX-RS ones
 * by their status, a lost database as a retryable 503, and the rest as a 500.
 */
public final class Problems {
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;

    private Problems() {}

    public static HilalException classify(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof HilalException hilal) {
                return hilal;
            }
        }
        if (error instanceof JsonProcessingException json) {
            return fromJson(json);
        }
        if (error instanceof java.io.CharConversionException) {
            // Jackson guesses a body's encoding from its first bytes: a body starting with NULs
            // reads as UTF-32 and fails in the decoder, before any JSON is parsed.
            return new BadRequestException("malformed_json", "The body is not valid JSON");
        }
        if (error instanceof WebApplicationException web) {
            return fromWeb(web);
        }
        if (isDatabaseFull(error)) {
            return new StorageFullException(
                    "database_full",
                    "The database has no room left for this write; nothing of it was stored. The"
                            + " operator has been told; retry later.",
                    error);
        }
        // A write on the read-only connection a tenant gets while a move switches its pod.
        if (PodScopes.refusedAsFrozen(error)) {
            return new UnavailableException(
                    "tenant_moving",
                    "This shop's data is being moved to another database and cannot be changed for"
                            + " a few seconds; nothing was changed. Retry later.",
                    error);
        }
        if (isPoolExhausted(error)) {
            return new UnavailableException(
                    "database_busy",
                    "Every database connection of this instance is in use; nothing was changed."
                            + " Retry later.",
                    error);
        }
        if (isLockedByAnotherChange(error)) {
            return new UnavailableException(
                    "locked",
                    "Another change to the same data is still under way (a campaign being"
                            + " launched, say); nothing was changed. Retry later.",
                    error);
        }
        if (isDatabaseUnavailable(error)) {
            return new UnavailableException(
                    "database_unavailable",
                    "The database cannot be reached; nothing was changed. Retry later.",
                    error);
        }
        return new InternalError(error);
    }

    private static HilalException fromJson(JsonProcessingException error) {
        java.util.Optional<String> duplicate = JsonErrors.duplicateKey(error);
        if (duplicate.isPresent()) {
            return duplicateKey(duplicate.get());
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException
                    || (cause instanceof MismatchedInputException
                            && String.valueOf(cause.getMessage()).contains("end-of-input"))) {
                return new BadRequestException("malformed_json", "The body is not valid JSON");
            }
        }
        if (error instanceof UnrecognizedPropertyException unknown) {
            String field = JsonErrors.path(unknown);
            return new BadRequestException(
                    "unknown_field",
                    "Unknown field '" + field + "'",
                    List.of(new FieldError(field, "is not a known field")));
        }
        if (error instanceof InvalidFormatException || error instanceof MismatchedInputException) {
            String field = JsonErrors.path((JsonMappingException) error);
            if (field.isEmpty()) {
                return new BadRequestException(
                        "invalid_body", "The body does not have the expected shape");
            }
            return new BadRequestException(
                    "invalid_field_type",
                    "Field '" + field + "' has the wrong type or an invalid value",
                    List.of(new FieldError(field, "has the wrong type or an invalid value")));
        }
        if (error instanceof JsonMappingException mapping && !JsonErrors.path(mapping).isEmpty()) {
            String field = JsonErrors.path(mapping);
            return new BadRequestException(
                    "invalid_field_type",
                    "Field '" + field + "' is invalid",
                    List.of(new FieldError(field, "is invalid")));
        }
        return new BadRequestException("malformed_json", "The body is not valid JSON");
    }

    /** A key given twice in one object: which value was meant is not ours to guess. */
    public static BadRequestException duplicateKey(String field) {
        return new BadRequestException(
                "duplicate_key",
                "Field '" + field + "' appears more than once in one object",
                List.of(new FieldError(field, "appears more than once")));
    }

    private static HilalException fromWeb(WebApplicationException error) {
        int status = error.getResponse().getStatus();
        if (error instanceof NotFoundException) {
            return new HttpError(404, "not_found", "Not found", "No such resource");
        }
        if (error instanceof NotAllowedException) {
            return new HttpError(
                    405,
                    "method_not_allowed",
                    "Method not allowed",
                    "Allowed: " + error.getResponse().getAllowedMethods());
        }
        return switch (status) {
            case 400 -> new BadRequestException("bad_request", "The request cannot be read");
            case 406 ->
                    new HttpError(
                            406,
                            "not_acceptable",
                            "Not acceptable",
                            "This endpoint answers application/json");
            case 415 ->
                    new HttpError(
                            415,
                            "unsupported_media_type",
                            "Unsupported media type",
                            "Send the body as application/json");
            default ->
                    status >= 500
                            ? new InternalError(error)
                            : new HttpError(
                                    status,
                                    "http_" + status,
                                    error.getResponse().getStatusInfo().getReasonPhrase(),
                                    error.getMessage());
        };
    }

    /** MySQL's and MariaDB's "table is full" (the tablespace at its limit) and "disk full". */
    private static final java.util.Set<Integer> FULL_ERRORS = java.util.Set.of(1114, 1021);

    /**
     * The database refused a write for want of space: its tablespace at its configured limit or its
     * disk full (errno 28, ENOSPC, as the storage engine reports it). The transaction was rolled
     * back; the same write may succeed once the operator has made room.
     */
    static boolean isDatabaseFull(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql
                    && (FULL_ERRORS.contains(sql.getErrorCode())
                            || String.valueOf(sql.getMessage()).contains("No space left on device")
                            || String.valueOf(sql.getMessage())
                                    .matches("(?s).*\\berror 28\\b.*"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every connection of the pool was in use for the pool's whole wait: the database is fine, this
     * instance is saturated (tomcat-jdbc's {@code PoolExhaustedException}).
     */
    static boolean isPoolExhausted(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getName().endsWith("PoolExhaustedException")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database gave up waiting for a row another transaction holds (InnoDB's lock wait timeout,
     * 50 s by default), or chose this one to end a deadlock: a long launch holds its campaign's
     * row, and an edit or cancel of it meanwhile waits that long.
     */
    static boolean isLockedByAnotherChange(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql
                    && (sql.getErrorCode() == ER_LOCK_WAIT_TIMEOUT
                            || sql.getErrorCode() == ER_LOCK_DEADLOCK)) {
                return true;
            }
        }
        return false;
    }

    static boolean isDatabaseUnavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (cause instanceof SQLException sql && isClosedByALostConnection(sql)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Connector/J closes a connection's statements when the connection is lost, and a statement
     * cached on it then answers "No operations allowed after statement closed." with a generic SQL
     * state (S1009): seen when the database's process was killed under ingest (DatabaseRestartIT).
     * Nothing else closes our statements while they are used.
     */
    private static boolean isClosedByALostConnection(SQLException sql) {
        String message = sql.getMessage();
        return message != null && message.startsWith("No operations allowed after");
    }

    /** A plain HTTP error with our code and title. */
    static final class HttpError extends HilalException {
        private static final long serialVersionUID = 1L;

        HttpError(int status, String code, String title, String detail) {
            super(status, code, title, detail);
        }
    }

    /** Something we did not expect: the details stay in our log, under the request id. */
    static final class InternalError extends HilalException {
        private static final long serialVersionUID = 1L;

        InternalError(Throwable cause) {
            super(
                    500,
                    "internal_error",
                    "Internal server error",
                    "Something went wrong on our side; quote the request id to support",
                    false,
                    List.of(),
                    cause);
        }
    }
}
