package io.hilal.service.dashboard;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import io.hilal.core.dashboard.DashboardSession;
import io.hilal.service.platform.errors.Problem;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

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
     * What the layout around every signed-in page shows: who is signed in, the session's form token
     * for the sign-out button, the page's title and which menu entry is current.
     */
    record Layout(DashboardSession session, String csrf, String title, Menu nav) {}

    /** The menu entries, one of which is the current page's. */
    record Menu(
            boolean overview,
            boolean models,
            boolean customers,
            boolean campaigns,
            boolean outbox,
            boolean lift) {
        static Menu current(String entry) {
            Menu menu =
                    new Menu(
                            "overview".equals(entry),
                            "models".equals(entry),
                            "customers".equals(entry),
                            "campaigns".equals(entry),
                            "outbox".equals(entry),
                            "lift".equals(entry));
            if (!(menu.overview
                    || menu.models
                    || menu.customers
                    || menu.campaigns
                    || menu.outbox
                    || menu.lift)) {
                throw new IllegalArgumentException("no menu entry " + entry);
            }
            return menu;
        }
    }

    /** A page that says one thing (not found, a refusal). */
    record Message(String message) {}

    /**
     * A page for a signed-in session rendered from typed view objects: the template reads the
     * views' record components by name (the last view first), then the layout's session, token,
     * title and menu entry ({@code nav}).
     */
    Response view(
            int status,
            DashboardSession session,
            String template,
            String nav,
            String title,
            Object... views) {
        List<Object> scopes = new ArrayList<>();
        scopes.add(new Layout(session, session.csrfToken(), title, Menu.current(nav)));
        scopes.addAll(List.of(views));
        StringWriter out = new StringWriter();
        mustache.compile(template + ".mustache").execute(out, scopes);
        return withHeaders(Response.status(status).entity(out.toString()).type(HTML)).build();
    }

    /** The not-found page (404) with its one sentence, under the menu entry {@code nav}. */
    Response notFound(DashboardSession session, String nav, String message) {
        return view(404, session, "not-found", nav, "Not found", new Message(message));
    }

    /**
     * The page of a problem met outside any page's own handling (an address that is no page, a
     * failure): its title, detail and request id, with no session to show, so no menu.
     */
    String error(Problem problem) {
        StringWriter out = new StringWriter();
        mustache.compile("error.mustache").execute(out, problem);
        return out.toString();
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

    /** A page outside a session (sign-in, a refused request), rendered from its typed view. */
    Response html(int status, String template, Object view) {
        StringWriter out = new StringWriter();
        mustache.compile(template + ".mustache").execute(out, view);
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
