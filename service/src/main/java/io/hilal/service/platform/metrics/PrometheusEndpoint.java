package io.hilal.service.platform.metrics;

import io.dropwizard.core.setup.Environment;
import io.hilal.core.admin.AdminMetrics;
import io.hilal.core.admin.TenantLabels;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.jdbc.pool.DataSource;

/**
 * Serves every metric in Prometheus' text format at {@code /prometheus} on the admin port:
 * Dropwizard's own (JVM, Jetty's threads and requests) and the database pool's connections ({@link
 * AdminMetrics}), plus per-route request latency and per-tenant ingest counts.
 */
public final class PrometheusEndpoint {
    /** Tenants with a label of their own in per-tenant metrics; the rest count as "other". */
    public static final int TENANT_LABELS = AdminMetrics.TENANT_LABELS;

    public static final String PATH = AdminMetrics.PATH;

    private PrometheusEndpoint() {}

    public static PrometheusRegistry install(Environment environment, DataSource pool) {
        // The service sends no campaign mail: its one pool (the sender's opens no connection).
        PrometheusRegistry registry =
                AdminMetrics.registry(environment.metrics(), Map.of(AdminMetrics.MAIN_POOL, pool));
        TenantLabels tenants = new TenantLabels(TENANT_LABELS);
        environment.jersey().register(new RequestMetrics(registry, tenants));
        ScheduledExecutorService ranking =
                environment
                        .lifecycle()
                        .scheduledExecutorService("tenant-labels")
                        .threads(1)
                        .build();
        ranking.scheduleAtFixedRate(tenants::rerank, 1, 1, TimeUnit.MINUTES);
        environment
                .admin()
                .addServlet("prometheus", new PrometheusMetricsServlet(registry))
                .addMapping(PATH);
        return registry;
    }
}
