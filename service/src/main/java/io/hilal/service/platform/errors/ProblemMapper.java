package io.hilal.service.platform.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Optional;

/**
 * The one exception mapper of the API: every error leaves as application/problem+json, but where a
 * browser asked for a page of a part of the site that has error pages ({@link ProblemPage}).
 */
public final class ProblemMapper implements ExceptionMapper<Throwable> {
    private final ProblemWriter writer;
    private final ProblemPage pages;

    @Context private HttpServletRequest request;

    public ProblemMapper(ProblemWriter writer, ProblemPage pages) {
        this.writer = writer;
        this.pages = pages;
    }

    @Override
    public Response toResponse(Throwable error) {
        String instance = request == null ? null : request.getRequestURI();
        Response problem = writer.response(error, instance, RequestIds.of(request));
        Optional<Response.ResponseBuilder> page =
                request != null && problem.getEntity() instanceof Problem body
                        ? pages.page(request, body)
                        : Optional.empty();
        return page.map(
                        html -> {
                            Object retryAfter = problem.getHeaders().getFirst("Retry-After");
                            return retryAfter == null
                                    ? html.build()
                                    : html.header("Retry-After", retryAfter).build();
                        })
                .orElse(problem);
    }
}
