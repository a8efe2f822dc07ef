package io.hilal.core.admin;

import com.codahale.metrics.MetricRegistry;
import io.hilal.core.db.Database;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tomcat.jdbc.pool.DataSource;

/**
 * What the service's and the worker's Prometheus endpoints share: Dropwizard's own metrics (JVM,
 * Jetty, health) bridged by Prometheus' Java client, and the database pools' connections. Each app
 * adds its own metrics to the registry and serves it at {@link #PATH} on its admin port.
 */
public final class AdminMetrics {
    public static final String PATH = "/prometheus";

    /** Tenants with a label of their own in per-tenant metrics; the rest count as "other". */
    public static final int TENANT_LABELS = 20;

    /** The {@code pool} label of the pool everything but the campaign sender uses. */
    public static final String MAIN_POOL = "main";

    /** The {@code pool} label of the campaign sender's own pool ({@link Database#senderPool}). */
    public static final String SENDER_POOL = "sender";

    private AdminMetrics() {}

    /** Dropwizard's metrics and {@code pools} (by their {@code pool} label) in a new registry. */
    public static PrometheusRegistry registry(
            MetricRegistry dropwizard, Map<String, DataSource> pools) {
        PrometheusRegistry registry = new PrometheusRegistry();
        DropwizardExports.builder().dropwizardRegistry(dropwizard).register(registry);
        poolGauge(registry, "hilal_db_pool_connections", pools);
        return registry;
    }

    /**
     * The pools of a process that sends campaigns: the main one and the sender's, which a campaign
     * run can exhaust while the main one idles.
     */
    public static Map<String, DataSource> workerPools(Database database) {
        Map<String, DataSource> pools = new LinkedHashMap<>();
        pools.put(MAIN_POOL, database.pool());
        pools.put(SENDER_POOL, database.senderPool());
        return pools;
    }

    /**
     * Database pools' connections, as gauge {@code name} with labels {@code pool} (the key in
     * {@code pools}) and {@code state}.
     */
    public static void poolGauge(
            PrometheusRegistry registry, String name, Map<String, DataSource> pools) {
        Map<String, DataSource> labelled = new LinkedHashMap<>(pools);
        GaugeWithCallback.builder()
                .name(name)
                .help("Database pools' connections: active, idle, waiting for one, and the max")
                .labelNames("pool", "state")
                .callback(
                        callback ->
                                labelled.forEach(
                                        (label, pool) -> {
                                            callback.call(pool.getActive(), label, "active");
                                            callback.call(pool.getIdle(), label, "idle");
                                            callback.call(pool.getWaitCount(), label, "waiting");
                                            callback.call(pool.getMaxActive(), label, "max");
                                        }))
                .register(registry);
    }
}
