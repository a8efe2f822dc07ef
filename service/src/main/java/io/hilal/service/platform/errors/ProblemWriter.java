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
 * at ERROR with it and the request id, except the database being away, which is logged as one short
 * line at most every few seconds (see {@link OutageLog}).
 */
public final class ProblemWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemWriter.class);

    private final ObjectMapper mapper;
    private final OutageLog databaseOutage = new OutageLog(java.time.Clock.systemUTC());

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
        if (error instanceof RateLimitedException limited) {
            response.header("Retry-After", limited.retryAfterSeconds());
        }
        if (error.status() == 503) {
            response.header("Retry-After", 5);
        }
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
        if (error instanceof RateLimitedException limited) {
            response.setHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
        }
        mapper.writeValue(
                response.getOutputStream(), problem(error, request.getRequestURI(), requestId));
    }

    private void log(HilalException error, Throwable thrown, String instance, String requestId) {
        if (error.code().equals("database_unavailable")) {
            // Expected while the database is away: one short line now and then, no stack trace.
            long failures = databaseOutage.failure();
            if (failures > 0) {
                LOG.error(
                        "503 database_unavailable: {} request(s) answered 503 since the last such"
                                + " line (latest {}, request {}): {}",
                        failures,
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
