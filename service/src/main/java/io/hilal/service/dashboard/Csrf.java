package io.hilal.service.dashboard;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The two checks every state-changing dashboard request passes: the synchronizer token from the
 * form equals the session's (compared in constant time), and the request came from a page of this
 * site (its {@code Origin}, or failing that its {@code Referer}, names this host; one of them must
 * be there). SameSite=Strict cookies already keep other sites' forms from carrying the session;
 * these checks do not depend on the browser honouring that.
 */
final class Csrf {
    private Csrf() {}

    /** Constant-time equality; false when either is missing or empty. */
    static boolean tokensMatch(String expected, String given) {
        if (expected == null || given == null || expected.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * True when the request shows it came from this site: its Origin header is this site's, or it
     * has none and its Referer is a page of this site. A request with neither is refused (every
     * browser the dashboard supports sends Origin with a POST), as is an opaque {@code Origin:
     * null}.
     */
    static boolean sameOrigin(ContainerRequestContext request) {
        URI base = request.getUriInfo().getBaseUri();
        String own = base.getScheme() + "://" + base.getRawAuthority();
        String origin = request.getHeaderString("Origin");
        if (origin != null) {
            return origin.equalsIgnoreCase(own);
        }
        String referer = request.getHeaderString("Referer");
        if (referer != null) {
            return referer.regionMatches(true, 0, own + "/", 0, own.length() + 1);
        }
        return false;
    }
}
