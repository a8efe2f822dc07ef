package io.hilal.service.dashboard;

import io.hilal.core.audit.OperatorLog;
import io.hilal.core.dashboard.DashboardAuth;
import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.TenantRateLimiter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
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
import org.glassfish.jersey.server.ContainerRequest;
import org.slf4j.MDC;

/**
 * Puts the session check in front of every {@link SignedIn} resource: no live session means a
 * redirect to the sign-in page (which comes back here afterwards), and every POST must carry the
 * session's synchronizer token and come from this site, or it is refused with 403 and changes
 * nothing. The session must also hold the scope the method names with {@link DashboardScope}: a
 * page needs {@code read}; a POST without one needs {@code admin}, so that a new form is closed
 * until it says which scope it needs. Lacking it is a 403 page that changes nothing. The tenant is
 * the session's, never taken from the URL or the form.
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
            context.register(new SessionFilter(requiredScope(resource)));
        }
    }

    static Scope requiredScope(ResourceInfo resource) {
        return requiredScope(resource.getResourceClass(), resource.getResourceMethod());
    }

    /** The scope a session needs for {@code method} of a {@link SignedIn} resource. */
    public static Scope requiredScope(Class<?> resource, java.lang.reflect.Method method) {
        DashboardScope declared = method.getAnnotation(DashboardScope.class);
        if (declared == null) {
            declared = resource.getAnnotation(DashboardScope.class);
        }
        if (declared != null) {
            return declared.value();
        }
        return method.isAnnotationPresent(POST.class) ? Scope.ADMIN : Scope.READ;
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
        private final Scope required;

        SessionFilter(Scope required) {
            this.required = required;
        }

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
                                    new Pages.Message(
                                            "This form could not be checked: it came from another"
                                                    + " site, or it is older than your session."
                                                    + " Go back, reload the page and try again.")));
                    return;
                }
            }
            if (!session.has(required)) {
                request.abortWith(
                        pages.html(
                                403,
                                "forbidden",
                                new Pages.Message(
                                        "You are signed in as "
                                                + session.displayName()
                                                + ", who may not do this: it needs the '"
                                                + required.wireName()
                                                + "' scope. Nothing was changed. Ask an admin"
                                                + " of this shop for a role that has it.")));
                return;
            }
            // Every log line of this request names the tenant and who acted (RequestIds clears
            // them): the session's user or key by id, never by email.
            MDC.put("tenantId", session.tenantId());
            MDC.put(OperatorLog.ACTOR, "dashboard:" + session.kind() + ":" + session.subjectId());
            // Every query of this request goes to the tenant's pod (RequestIds clears it).
            io.hilal.core.pods.DbScope.enterTenant(session.tenantId());
            rateLimiter.acquire(session.tenantId());
            request.setProperty(SESSION_PROPERTY, session);
        }
    }
}
