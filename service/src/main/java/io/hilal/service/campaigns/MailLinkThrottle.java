package io.hilal.service.campaigns;

import io.hilal.service.platform.auth.AttemptLimiter;
import io.hilal.service.platform.auth.ClientAddresses;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * Email links (unsubscribe, click, "Not for me") need no key, so anyone can call them: each client
 * address gets a number of them per minute, checked before the token is even read.
 */
public final class MailLinkThrottle implements DynamicFeature {
    private final AttemptLimiter perAddress;

    public MailLinkThrottle(AttemptLimiter perAddress) {
        this.perAddress = perAddress;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        if (MailLinkResource.class.equals(resource.getResourceClass())) {
            context.register(
                    (ContainerRequestFilter)
                            request -> perAddress.acquire(ClientAddresses.of(request)),
                    Priorities.AUTHENTICATION);
        }
    }
}
