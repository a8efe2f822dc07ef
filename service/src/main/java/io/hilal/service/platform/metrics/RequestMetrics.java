package io.hilal.service.platform.metrics;

import io.hilal.core.admin.TenantLabels;
import io.hilal.core.events.IngestResult;
import io.hilal.core.tenant.ApiKeyPrincipal;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * Times every API request by its route template (so {@code /v1/customers/{id}/rows}, never the ids
 * themselves, which would be unbounded), method and status class, and counts ingested events by
 * result and tenant ({@link TenantLabels} bounds the tenants).
 */
public final class RequestMetrics implements ApplicationEventListener {
    private final Histogram requests;
    private final Counter ingested;
    private final TenantLabels tenants;

    public RequestMetrics(PrometheusRegistry registry, TenantLabels tenants) {
        this.tenants = tenants;
        this.requests =
                Histogram.builder()
                        .name("hilal_http_request_duration_seconds")
                        .help("API requests by route template, method and status class")
                        .labelNames("method", "route", "status")
                        .classicUpperBounds(
                                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
                                10)
                        .register(registry);
        this.ingested =
                Counter.builder()
                        .name("hilal_ingest_events_total")
                        .help(
                                "Events posted to /v1/events by result (accepted, duplicate,"
                                        + " rejected) and tenant (the busiest by name, the rest as other)")
                        .labelNames("tenant", "result")
                        .register(registry);
    }

    @Override
    public void onEvent(ApplicationEvent event) {}

    @Override
    public RequestEventListener onRequest(RequestEvent event) {
        long started = System.nanoTime();
        return finished -> {
            if (finished.getType() != RequestEvent.Type.FINISHED) {
                return;
            }
            ContainerRequest request = finished.getContainerRequest();
            ContainerResponse response = finished.getContainerResponse();
            int status = response == null ? 500 : response.getStatus();
            requests.labelValues(request.getMethod(), route(finished), (status / 100) + "xx")
                    .observe((System.nanoTime() - started) / 1e9);
            if (response != null && response.getEntity() instanceof IngestResult result) {
                String tenant = tenant(request.getSecurityContext(), result);
                ingested.labelValues(tenant, "accepted").inc(result.accepted());
                ingested.labelValues(tenant, "duplicate").inc(result.duplicates());
                ingested.labelValues(tenant, "rejected").inc(result.rejected());
            }
        };
    }

    private String tenant(SecurityContext security, IngestResult result) {
        Principal principal = security == null ? null : security.getUserPrincipal();
        if (!(principal instanceof ApiKeyPrincipal key)) {
            return TenantLabels.OTHER;
        }
        return tenants.label(
                key.tenantId(), (long) result.accepted() + result.duplicates() + result.rejected());
    }

    /** The matched route's template, or "unmatched" (a 404 must not mint a series per path). */
    private static String route(RequestEvent event) {
        List<org.glassfish.jersey.uri.UriTemplate> templates =
                event.getUriInfo().getMatchedTemplates();
        if (templates.isEmpty()) {
            return "unmatched";
        }
        StringBuilder route = new StringBuilder();
        for (int i = templates.size() - 1; i >= 0; i--) {
            String part = templates.get(i).getTemplate();
            if (route.length() > 0
                    && route.charAt(route.length() - 1) == '/'
                    && part.startsWith("/")) {
                part = part.substring(1);
            } else if (route.length() > 0
                    && route.charAt(route.length() - 1) != '/'
                    && !part.startsWith("/")
                    && !part.isEmpty()) {
                route.append('/');
            }
            route.append(part);
        }
        return route.length() == 0 ? "/" : route.toString();
    }
}
