package io.hilal.service.segment;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriBuilder;

/**
 * Serves Segment's API under a configured path prefix (the resource itself lives at {@code
 * /segment/v1}): a request to {@code <prefix>/v1/...} is routed as {@code /segment/v1/...}.
 */
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public final class SegmentPrefix implements ContainerRequestFilter {
    static final String DEFAULT = "/segment";

    private final String prefix;

    public SegmentPrefix(String prefix) {
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        this.prefix = trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (!prefix.equals(DEFAULT) && path.startsWith(prefix + "/v1/")) {
            request.setRequestUri(
                    UriBuilder.fromUri(request.getUriInfo().getRequestUri())
                            .replacePath(DEFAULT + path.substring(prefix.length()))
                            .build());
        }
    }
}
