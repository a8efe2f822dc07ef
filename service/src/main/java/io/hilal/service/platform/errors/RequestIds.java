package io.hilal.service.platform.errors;

import io.hilal.core.admin.AdminRequestIds;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is sane, a new one
 * otherwise. It is echoed in the response, put in every problem body and in the log context.
 */
public final class RequestIds implements Filter {
    public static final String HEADER = "X-Request-Id";
    static final String ATTRIBUTE = "hilal.requestId";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = AdminRequestIds.idFor(((HttpServletRequest) request).getHeader(HEADER));
        request.setAttribute(ATTRIBUTE, id);
        ((HttpServletResponse) response).setHeader(HEADER, id);
        MDC.put("requestId", id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("requestId");
            MDC.remove("tenantId");
            MDC.remove("actor");
            // The request's database scope ends with it: a pooled thread starts the next
            // request in none.
            io.hilal.core.pods.DbScope.clear();
        }
    }

    /** The id of the request being served, or null outside a request. */
    public static String of(HttpServletRequest request) {
        Object id = request == null ? null : request.getAttribute(ATTRIBUTE);
        return id == null ? MDC.get("requestId") : id.toString();
    }
}
