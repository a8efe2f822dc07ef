package io.hilal.service.platform.metrics;

import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.jdbc.pool.DataSource;

/**
 * Serves every metric in Prometheus' text format at {@code /prometheus} on the admin port:
 * Dropwizard's own (JVM, Jetty's threads and requests), bridged by Prometheus' Java client, plus
 * the database pool's connections, per-route request latency and per-tenant ingest counts.
 */
public final class PrometheusEndpoint {
    /** Tenants with a label of their own in per-tenant metrics; the rest count as "other". */
    public static final int TENANT_LABELS = 20;

    public static final String PATH = "/prometheus";

    private PrometheusEndpoint() {}

    public static PrometheusRegistry install(Environment environment, DataSource pool) {
        PrometheusRegistry registry = new PrometheusRegistry();
        DropwizardExports.builder().dropwizardRegistry(environment.metrics()).register(registry);
        GaugeWithCallback.builder()
                .name("hilal_db_pool_connections")
                .help("The database pool's connections: active, idle, waiting for one, and its max")
                .labelNames("state")
                .callback(
                        callback -> {
                            callback.call(pool.getActive(), "active");
                            callback.call(pool.getIdle(), "idle");
                            callback.call(pool.getWaitCount(), "waiting");
                            callback.call(pool.getMaxActive(), "max");
                        })
                .register(registry);
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
