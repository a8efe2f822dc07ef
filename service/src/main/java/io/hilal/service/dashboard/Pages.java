package io.hilal.service.dashboard;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import io.hilal.core.dashboard.DashboardSession;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the dashboard's mustache templates (one layout, a template per page) into complete HTML
 * responses. Pages show one tenant's data, so none may be cached or framed by another site.
 */
final class Pages {
    static final MediaType HTML = MediaType.valueOf("text/html; charset=utf-8");
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
                    + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /**
     * The studio form's policy: as every page's, plus its own script (served by this site) and the
     * script's recounts. Only pages that show no HTML of anyone else's get it.
     */
    private static final String SCRIPTED_POLICY =
            CONTENT_SECURITY_POLICY + "; script-src 'self'; connect-src 'self'";

    private final MustacheFactory mustache =
            new DefaultMustacheFactory("io/hilal/service/dashboard");

    /**
     * A page for a signed-in session; {@code nav} names the current menu entry, {@code title} the
     * page.
     */
    Response page(
            int status,
            DashboardSession session,
            String template,
            String nav,
            String title,
            Map<String, Object> scope) {
        Map<String, Object> all = new HashMap<>(scope);
        all.put("session", session);
        all.put("csrf", session.csrfToken());
        all.put("title", title);
        all.put("nav", Map.of(nav, Boolean.TRUE));
        return html(status, template, all);
    }

    /**
     * A page for a signed-in session rendered from a typed view object: the template reads the
     * view's record components by name, and the layout's session, token, title and menu entry.
     */
    Response view(
            int status,
            DashboardSession session,
            String template,
            String nav,
            String title,
            Object view) {
        Map<String, Object> layout = new HashMap<>();
        layout.put("session", session);
        layout.put("csrf", session.csrfToken());
        layout.put("title", title);
        layout.put("nav", Map.of(nav, Boolean.TRUE));
        StringWriter out = new StringWriter();
        mustache.compile(template + ".mustache").execute(out, List.of(layout, view));
        return withHeaders(Response.status(status).entity(out.toString()).type(HTML)).build();
    }

    /**
     * {@link #view}, for a page that runs this site's own script (see {@link #SCRIPTED_POLICY}).
     */
    Response scriptedView(
            int status,
            DashboardSession session,
            String template,
            String nav,
            String title,
            Object view) {
        Response page = view(status, session, template, nav, title, view);
        return Response.fromResponse(page)
                .header("Content-Security-Policy", null)
                .header("Content-Security-Policy", SCRIPTED_POLICY)
                .build();
    }

    /** A page outside a session (sign-in, errors before sign-in). */
    Response html(int status, String template, Map<String, Object> scope) {
        StringWriter out = new StringWriter();
        mustache.compile(template + ".mustache").execute(out, scope);
        return withHeaders(Response.status(status).entity(out.toString()).type(HTML)).build();
    }

    static Response.ResponseBuilder withHeaders(Response.ResponseBuilder response) {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        noStore.setNoCache(true);
        return response.cacheControl(noStore)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin");
    }
}
