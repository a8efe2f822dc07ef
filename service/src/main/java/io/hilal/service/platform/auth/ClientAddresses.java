package io.hilal.service.platform.auth;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.IOException;

/**
 * Records the client's address on each request, where Jersey filters and resources can read it
 * (servlet attributes are Jersey request properties). It is the connection's peer, or the forwarded
 * client when the connector trusts {@code X-Forwarded-For} ({@code useForwardedHeaders}); behind a
 * proxy without it, every client shares the proxy's address.
 */
public final class ClientAddresses implements Filter {
    static final String ATTRIBUTE = "hilal.clientAddress";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        request.setAttribute(ATTRIBUTE, request.getRemoteAddr());
        chain.doFilter(request, response);
    }

    /** The client address of a request, or "unknown" outside the servlet container. */
    public static String of(ContainerRequestContext request) {
        Object address = request.getProperty(ATTRIBUTE);
        return address == null ? "unknown" : address.toString();
    }
}
