package io.hilal.service.platform.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/**
 * Answers 429 before a batch is read when its tenant's ingest quota has nothing left: a tenant
 * flooding ingest would otherwise have the service parse every refused batch (hundreds of kilobytes
 * each) on the threads its neighbours are served from. The batch's own size is charged once it is
 * read ({@link IngestRateQuota#charge}).
 */
@IngestQuotaCheck
@Priority(Priorities.AUTHENTICATION + 1)
public final class IngestQuotaFilter implements ContainerRequestFilter {
    private final IngestRateQuota quota;

    public IngestQuotaFilter(IngestRateQuota quota) {
        this.quota = quota;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        quota.requireSomeLeft(AuthFeature.principal(request.getSecurityContext()).tenantId());
    }
}
