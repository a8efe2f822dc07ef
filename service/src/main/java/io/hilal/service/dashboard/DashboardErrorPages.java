package io.hilal.service.dashboard;

import io.hilal.service.platform.errors.Problem;
import io.hilal.service.platform.errors.ProblemPage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * The dashboard's errors as pages: a person whose browser opens a dashboard address that does not
 * exist, or a page that fails (the database away, a refusal), reads what happened with a way back,
 * not a problem's JSON. The studio's script and API clients, which do not ask for HTML first, keep
 * the problem.
 */
public final class DashboardErrorPages implements ProblemPage {
    private final Pages pages = new Pages();

    @Override
    public Optional<Response.ResponseBuilder> page(HttpServletRequest request, Problem problem) {
        String path = request.getRequestURI();
        boolean dashboard =
                path != null && (path.equals("/dashboard") || path.startsWith("/dashboard/"));
        return dashboard && asksForPage(request.getHeader("Accept"))
                ? Optional.of(
                        Pages.withHeaders(
                                Response.status(problem.status())
                                        .type(Pages.HTML)
                                        .entity(pages.error(problem))))
                : Optional.empty();
    }

    /** Whether an Accept header names HTML before any JSON, as a browser's navigation does. */
    static boolean asksForPage(String accept) {
        if (accept == null) {
            return false;
        }
        int html = accept.indexOf("text/html");
        int json = accept.indexOf("json");
        return html >= 0 && (json < 0 || html < json);
    }
}
