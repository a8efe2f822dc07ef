package io.hilal.service.platform.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.error.HilalException;
import io.hilal.core.error.RateLimitedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an error into a problem response and logs it once: 4xx at WARN without a stack trace, 5xx
 * at ERROR with it and the request id, except the database being away, busy (every pooled
 * connection in use) or full, each logged at ERROR as one short line at most every few seconds (see
 * {@link OutageLog}), and a tenant frozen while it moves between pods (every write of the shop
 * answers 503 for seconds), logged so at WARN: the operator's move, not an error.
 */
public final class ProblemWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemWriter.class);

    private final ObjectMapper mapper;

    /** The database's states that fail many requests at once, each logged at a bounded rate. */
    private final java.util.Map<String, OutageLog> outages =
            java.util.Map.of(
                    "database_unavailable", new OutageLog(java.time.Clock.systemUTC()),
                    "database_busy", new OutageLog(java.time.Clock.systemUTC()),
                    "database_full", new OutageLog(java.time.Clock.systemUTC()),
                    "tenant_moving", new OutageLog(java.time.Clock.systemUTC()));

    public ProblemWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Problem problem(HilalException error, String instance, String requestId) {
        return Problem.of(
                error.status(),
                error.code(),
                error.title(),
                error.detail(),
                error.retryable(),
                error.errors(),
                instance,
                requestId);
    }

    public Response response(Throwable thrown, String instance, String requestId) {
        HilalException error = Problems.classify(thrown);
        log(error, thrown, instance, requestId);
        Response.ResponseBuilder response =
                Response.status(error.status())
                        .type(Problem.MEDIA_TYPE)
                        .entity(problem(error, instance, requestId));
        retryAfter(error).ifPresent(seconds -> response.header("Retry-After", seconds));
        return response.build();
    }

    /** For code outside Jersey: servlet filters and Jetty's error handler. */
    public void write(HttpServletRequest request, HttpServletResponse response, Throwable thrown)
            throws IOException {
        HilalException error = Problems.classify(thrown);
        String requestId = RequestIds.of(request);
        log(error, thrown, request.getRequestURI(), requestId);
        response.setStatus(error.status());
        response.setContentType(Problem.MEDIA_TYPE);
        retryAfter(error)
                .ifPresent(seconds -> response.setHeader("Retry-After", Long.toString(seconds)));
        mapper.writeValue(
                response.getOutputStream(), problem(error, request.getRequestURI(), requestId));
    }

    /**
     * Seconds a client should wait before trying again, for errors that say so: a rate limit's own,
     * a few seconds for a database away or busy, a minute for a full one (an operator must act).
     */
    static java.util.OptionalLong retryAfter(HilalException error) {
        if (error instanceof RateLimitedException limited) {
            return java.util.OptionalLong.of(limited.retryAfterSeconds());
        }
        if (error.status() == 503) {
            return java.util.OptionalLong.of(5);
        }
        if (error.status() == 507) {
            return java.util.OptionalLong.of(60);
        }
        return java.util.OptionalLong.empty();
    }

    private void log(HilalException error, Throwable thrown, String instance, String requestId) {
        OutageLog outage = outages.get(error.code());
        if (outage != null) {
            // Expected while the database is away, busy or full, or a tenant moves: one short line
            // now and then, no stack trace (thousands of requests can fail within seconds).
            long failures = outage.failure();
            if (failures > 0 && "tenant_moving".equals(error.code())) {
                // The operator's own move, expected and over in seconds: not an error.
                LOG.warn(
                        "{} {}: {} write(s) answered {} since the last such line (latest {},"
                                + " request {}): the tenant is frozen while a move switches it to"
                                + " another pod; clients retry after Retry-After",
                        error.status(),
                        error.code(),
                        failures,
                        error.status(),
                        instance,
                        requestId);
            } else if (failures > 0) {
                LOG.error(
                        "{} {}: {} request(s) answered {} since the last such line (latest {},"
                                + " request {}): {}",
                        error.status(),
                        error.code(),
                        failures,
                        error.status(),
                        instance,
                        requestId,
                        rootMessage(thrown));
            }
            return;
        }
        if (error.status() >= 500) {
            LOG.error(
                    "{} {} on {} (request {})",
                    error.status(),
                    error.code(),
                    instance,
                    requestId,
                    thrown);
        } else {
            LOG.warn(
                    "{} {} on {} (request {}): {}",
                    error.status(),
                    error.code(),
                    instance,
                    requestId,
                    error.detail());
        }
    }

    private static String rootMessage(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
