package io.hilal.service.dashboard;

import io.hilal.core.dashboard.DashboardAuth;
import io.hilal.core.error.HilalException;
import io.hilal.core.error.RateLimitedException;
import io.hilal.service.platform.auth.AttemptLimiter;
import io.hilal.service.platform.auth.ClientAddresses;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The sign-in page: a dashboard user's email and password, or an API key with the {@code read}
 * scope, exchanged for a session cookie. Before there is a session, the form is protected by a
 * token that must match a SameSite=Strict cookie set with the page (so no other site can sign a
 * browser in to its own account), and by the same-origin check every dashboard POST passes.
 */
@Path("/dashboard/sign-in")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {
    static final String SIGN_IN_COOKIE = "hilal_sign_in";
    private static final Pattern LOCAL_PATH = Pattern.compile("/dashboard(/[\\w./?=&%-]*)?");
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DashboardAuth auth;
    private final AttemptLimiter perAddress;
    private final AttemptLimiter perEmail;
    private final Pages pages = new Pages();

    public SignInResource(DashboardAuth auth, AttemptLimiter perAddress, AttemptLimiter perEmail) {
        this.auth = auth;
        this.perAddress = perAddress;
        this.perEmail = perEmail;
    }

    @GET
    public Response form(
            @QueryParam("next") String next,
            @CookieParam(SIGN_IN_COOKIE) String formToken,
            @Context ContainerRequestContext request) {
        return render(200, next, formToken, null, null, request);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(
            @FormParam("method") String method,
            @FormParam("email") String email,
            @FormParam("password") String password,
            @FormParam("apiKey") String apiKey,
            @FormParam("next") String next,
            @FormParam(DashboardFeature.CSRF_FIELD) String given,
            @CookieParam(SIGN_IN_COOKIE) String formToken,
            @Context ContainerRequestContext request) {
        if (!Csrf.sameOrigin(request)
                || formToken == null
                || !TOKEN.matcher(formToken).matches()
                || !Csrf.tokensMatch(formToken, given)) {
            return render(
                    403,
                    next,
                    null,
                    email,
                    "This sign-in form expired or came from another site. Please try again.",
                    request);
        }
        // Before any password is hashed (a PBKDF2 run each): a 429 once an address or an email
        // has used its attempts. Attempts that succeed are given back.
        String address = ClientAddresses.of(request);
        String emailKey = "key".equals(method) ? null : emailKey(email);
        perAddress.acquire(address);
        try {
            perEmail.acquire(emailKey);
        } catch (RateLimitedException e) {
            perAddress.refund(address);
            throw e;
        }
        DashboardAuth.OpenedSession opened;
        try {
            opened =
                    "key".equals(method)
                            ? auth.signInWithApiKey(apiKey)
                            : auth.signInWithPassword(
                                    email, password == null ? null : password.toCharArray());
        } catch (HilalException e) {
            return render(e.status(), next, formToken, email, e.detail(), request);
        }
        perAddress.refund(address);
        perEmail.refund(emailKey);
        boolean secure = request.getSecurityContext().isSecure();
        return Pages.withHeaders(Response.seeOther(URI.create(safeNext(next))))
                .cookie(
                        cookie(
                                DashboardFeature.SESSION_COOKIE,
                                opened.token(),
                                "/dashboard",
                                (int) DashboardAuth.SESSION_LIFETIME.toSeconds(),
                                secure),
                        cookie(SIGN_IN_COOKIE, "", "/dashboard/sign-in", 0, secure))
                .build();
    }

    /**
     * The sign-in page: the form's own token (no session yet), where to go afterwards, the email
     * typed so far and why the last attempt failed, if it did.
     */
    record SignInView(String csrf, String next, String email, String error) {}

    private Response render(
            int status,
            String next,
            String formToken,
            String email,
            String error,
            ContainerRequestContext request) {
        String token =
                formToken != null && TOKEN.matcher(formToken).matches() ? formToken : newToken();
        Response page =
                pages.html(status, "sign-in", new SignInView(token, safeNext(next), email, error));
        return Response.fromResponse(page)
                .cookie(
                        cookie(
                                SIGN_IN_COOKIE,
                                token,
                                "/dashboard/sign-in",
                                3600,
                                request.getSecurityContext().isSecure()))
                .build();
    }

    /** The email an attempt is counted against: normalized, and bounded in length. */
    static String emailKey(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        String normalized = email.strip().toLowerCase(java.util.Locale.ROOT);
        return normalized.length() > 320 ? normalized.substring(0, 320) : normalized;
    }

    /** Where to go after signing in: a dashboard path of this site, never another site. */
    static String safeNext(String next) {
        return next != null && LOCAL_PATH.matcher(next).matches() && !next.contains("//")
                ? next
                : "/dashboard";
    }

    static NewCookie cookie(String name, String value, String path, int maxAge, boolean secure) {
        return new NewCookie.Builder(name)
                .value(value)
                .path(path)
                .maxAge(maxAge)
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
