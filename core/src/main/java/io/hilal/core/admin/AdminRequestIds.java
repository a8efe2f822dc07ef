package io.hilal.core.admin;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request to an admin port an id, as the service gives its API's: the caller's {@code
 * X-Request-Id} when it is sane, a new {@code req_…} otherwise, echoed in the response (where the
 * request log line reads it) and in the log context. Without it the worker's request log showed
 * {@code [-]} where the service's shows the id.
 */
public final class AdminRequestIds implements Filter {
    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = idFor(((HttpServletRequest) request).getHeader(HEADER));
        ((HttpServletResponse) response).setHeader(HEADER, id);
        MDC.put("requestId", id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("requestId");
        }
    }

    /**
     * The id of a request that came with {@code incoming} as its {@code X-Request-Id} (null when
     * none): the caller's when it is sane, a new {@code req_…} otherwise. The API's ids too.
     */
    public static String idFor(String incoming) {
        return incoming != null && SANE.matcher(incoming).matches()
                ? incoming
                : "req_" + UUID.randomUUID().toString().replace("-", "");
    }
}
