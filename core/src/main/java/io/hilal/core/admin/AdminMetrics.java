package io.hilal.core.admin;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.tomcat.jdbc.pool.DataSource;

/**
 * What the service's and the worker's Prometheus endpoints share: Dropwizard's own metrics (JVM,
 * Jetty, health) bridged by Prometheus' Java client, and the database pool's connections. Each app
 * adds its own metrics to the registry and serves it at {@link #PATH} on its admin port.
 */
public final class AdminMetrics {
    public static final String PATH = "/prometheus";

    /** Tenants with a label of their own in per-tenant metrics; the rest count as "other". */
    public static final int TENANT_LABELS = 20;

    private AdminMetrics() {}

    public static PrometheusRegistry registry(MetricRegistry dropwizard, DataSource pool) {
        PrometheusRegistry registry = new PrometheusRegistry();
        DropwizardExports.builder().dropwizardRegistry(dropwizard).register(registry);
        poolGauge(registry, "hilal_db_pool_connections", pool);
        return registry;
    }

    /** A database pool's connections, as gauge {@code name} with a {@code state} label. */
    public static void poolGauge(PrometheusRegistry registry, String name, DataSource pool) {
        GaugeWithCallback.builder()
                .name(name)
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
    }
}
