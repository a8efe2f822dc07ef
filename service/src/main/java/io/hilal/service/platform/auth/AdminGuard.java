package io.hilal.service.platform.auth;

import io.hilal.core.error.ForbiddenException;
import io.hilal.core.error.UnauthorizedException;
import io.hilal.service.platform.errors.ProblemWriter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Guards the admin port (metrics, health checks, tasks such as garbage collection or log levels):
 *
 * <ul>
 *   <li>the Host header must name an allowed host, so a web page cannot reach the port through a
 *       name it controls (DNS rebinding);
 *   <li>a request that changes something (any method but GET, HEAD or OPTIONS) is refused when a
 *       browser says it comes from another origin, so no page can POST to a task;
 *   <li>with an admin token set, every request needs it as {@code Authorization: Bearer}.
 * </ul>
 */
public final class AdminGuard implements Filter {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Set<String> allowedHosts;
    private final byte[] tokenDigest;
    private final ProblemWriter problems;

    public AdminGuard(Set<String> allowedHosts, String token, ProblemWriter problems) {
        this.allowedHosts =
                Set.copyOf(
                        allowedHosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).toList());
        this.tokenDigest = token == null || token.isEmpty() ? null : sha256(token);
        this.problems = problems;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        RuntimeException refusal = refusal(http);
        if (refusal != null) {
            if (refusal instanceof UnauthorizedException) {
                ((HttpServletResponse) response).setHeader("WWW-Authenticate", "Bearer");
            }
            problems.write(http, (HttpServletResponse) response, refusal);
            return;
        }
        chain.doFilter(request, response);
    }

    private RuntimeException refusal(HttpServletRequest request) {
        String host = hostName(request.getHeader("Host"));
        if (host == null || !allowedHosts.contains(host)) {
            return new ForbiddenException(
                    "The admin port answers only to the host names in adminHosts");
        }
        if (!SAFE_METHODS.contains(request.getMethod()) && crossOrigin(request)) {
            return new ForbiddenException("The admin port refuses requests from other sites");
        }
        if (tokenDigest != null) {
            String header = request.getHeader("Authorization");
            boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
            if (!bearer
                    || !MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).strip()))) {
                return new UnauthorizedException(
                        "Send the admin token as 'Authorization: Bearer <token>'");
            }
        }
        return null;
    }

    /** A browser marks where a request comes from; anything but this very origin is refused. */
    static boolean crossOrigin(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return true;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            String host = request.getHeader("Host");
            return uri.getAuthority() == null
                    || host == null
                    || !uri.getAuthority().equalsIgnoreCase(host);
        } catch (URISyntaxException e) {
            return true;
        }
    }

    /** The host of a Host header without its port: "127.0.0.1:8081" → "127.0.0.1". */
    static String hostName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? null : value.substring(0, end + 1);
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
