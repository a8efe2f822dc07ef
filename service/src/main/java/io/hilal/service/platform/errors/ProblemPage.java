package io.hilal.service.platform.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * A page a person's browser gets for a problem instead of its JSON, where a part of the site has
 * one: the dashboard's. Scripts and API clients keep getting the problem.
 */
@FunctionalInterface
public interface ProblemPage {
    /**
     * The page for {@code problem}, with its status and headers, or empty to answer with the
     * problem itself.
     */
    Optional<Response.ResponseBuilder> page(HttpServletRequest request, Problem problem);
}
