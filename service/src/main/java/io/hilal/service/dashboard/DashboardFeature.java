package io.hilal.service.dashboard;

import io.hilal.core.dashboard.DashboardAuth;
import io.hilal.core.dashboard.DashboardSession;
import io.hilal.service.platform.auth.TenantRateLimiter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * Puts the session check in front of every {@link SignedIn} resource: no live session means a
 * redirect to the sign-in page (which comes back here afterwards), and every POST must carry the
 * session's synchronizer token and come from this site, or it is refused with 403 and changes
 * nothing. The tenant is the session's, never taken from the URL or the form.
 */
public final class DashboardFeature implements DynamicFeature {
    static final String SESSION_COOKIE = "hilal_session";
    static final String CSRF_FIELD = "csrf";
    private static final String SESSION_PROPERTY = "hilal.dashboardSession";

    private final DashboardAuth auth;
    private final TenantRateLimiter rateLimiter;
    private final Pages pages = new Pages();

    public DashboardFeature(DashboardAuth auth, TenantRateLimiter rateLimiter) {
        this.auth = auth;
        this.rateLimiter = rateLimiter;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        if (resource.getResourceClass().isAnnotationPresent(SignedIn.class)
                || resource.getResourceMethod().isAnnotationPresent(SignedIn.class)) {
            context.register(new SessionFilter());
        }
    }

    /** The session of a request that passed the filter. */
    static DashboardSession session(ContainerRequestContext request) {
        return (DashboardSession) request.getProperty(SESSION_PROPERTY);
    }

    /** The session token from the request's cookie, or null. */
    static String token(ContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(SESSION_COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    /**
     * A field of a form-encoded body, read so that the resource method can still read the form;
     * null when the body is not a form or lacks the field.
     */
    static String formField(ContainerRequestContext request, String name) {
        MediaType type = request.getMediaType();
        if (!request.hasEntity()
                || type == null
                || !MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(type)) {
            return null;
        }
        ContainerRequest container = (ContainerRequest) request;
        container.bufferEntity();
        Form form = container.readEntity(Form.class);
        return form == null ? null : form.asMap().getFirst(name);
    }

    @Priority(Priorities.AUTHENTICATION)
    private final class SessionFilter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            DashboardSession session = auth.session(token(request)).orElse(null);
            if (session == null) {
                String back = request.getUriInfo().getRequestUri().getRawPath();
                String query = request.getUriInfo().getRequestUri().getRawQuery();
                if (HttpMethod.GET.equals(request.getMethod()) && query != null) {
                    back += "?" + query;
                }
                request.abortWith(
                        Pages.withHeaders(
                                        Response.seeOther(
                                                URI.create(
                                                        "/dashboard/sign-in?next="
                                                                + URLEncoder.encode(
                                                                        back,
                                                                        StandardCharsets.UTF_8))))
                                .build());
                return;
            }
            if (HttpMethod.POST.equals(request.getMethod())) {
                String given = formField(request, CSRF_FIELD);
                if (!Csrf.sameOrigin(request) || !Csrf.tokensMatch(session.csrfToken(), given)) {
                    request.abortWith(
                            pages.html(
                                    403,
                                    "forbidden",
                                    Map.of(
                                            "message",
                                            "This form could not be checked: it came from another"
                                                    + " site, or it is older than your session."
                                                    + " Go back, reload the page and try again.")));
                    return;
                }
            }
            rateLimiter.acquire(session.tenantId());
            request.setProperty(SESSION_PROPERTY, session);
        }
    }
}
