package io.hilal.service.platform.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** The one exception mapper of the API: every error leaves as application/problem+json. */
public final class ProblemMapper implements ExceptionMapper<Throwable> {
    private final ProblemWriter writer;

    @Context private HttpServletRequest request;

    public ProblemMapper(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Response toResponse(Throwable error) {
        String instance = request == null ? null : request.getRequestURI();
        return writer.response(error, instance, RequestIds.of(request));
    }
}
