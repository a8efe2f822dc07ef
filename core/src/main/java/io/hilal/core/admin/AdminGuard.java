package io.hilal.core.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.error.ForbiddenException;
import io.hilal.core.error.HilalException;
import io.hilal.core.error.UnauthorizedException;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>The service and the campaign worker both put it in front of their admin ports.
 */
public final class AdminGuard implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(AdminGuard.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** Answers a refused request (as application/problem+json). */
    @FunctionalInterface
    public interface Refusals {
        void write(HttpServletRequest request, HttpServletResponse response, HilalException error)
                throws IOException;
    }

    private final Set<String> allowedHosts;
    private final byte[] tokenDigest;
    private final Refusals problems;

    public AdminGuard(Collection<String> allowedHosts, String token, Refusals problems) {
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
        HilalException refusal = refusal(http);
        if (refusal != null) {
            if (refusal instanceof UnauthorizedException) {
                ((HttpServletResponse) response).setHeader("WWW-Authenticate", "Bearer");
            }
            problems.write(http, (HttpServletResponse) response, refusal);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * A plain problem+json answer, for an app without a problem writer of its own (the worker,
     * which serves no API): the RFC 9457 fields and Hilal's {@code code}, logged at WARN.
     */
    public static Refusals problemJson(ObjectMapper mapper) {
        return (request, response, error) -> {
            LOG.warn(
                    "{} {} on admin port {}: {}",
                    error.status(),
                    error.code(),
                    request.getRequestURI(),
                    error.detail());
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "/problems/" + error.code());
            problem.put("title", error.title());
            problem.put("status", error.status());
            problem.put("detail", error.detail());
            problem.put("instance", request.getRequestURI());
            problem.put("code", error.code());
            problem.put("retryable", error.retryable());
            response.setStatus(error.status());
            response.setContentType("application/problem+json");
            mapper.writeValue(response.getOutputStream(), problem);
        };
    }

    private HilalException refusal(HttpServletRequest request) {
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
