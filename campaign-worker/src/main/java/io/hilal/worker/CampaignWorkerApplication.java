package io.hilal.worker;

import com.codahale.metrics.health.HealthCheckRegistry;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.hilal.core.admin.AdminGuard;
import io.hilal.core.admin.AdminMetrics;
import io.hilal.core.admin.AdminRequestIds;
import io.hilal.core.admin.DatabaseHealthCheck;
import io.hilal.core.admin.HealthEndpoints;
import io.hilal.core.db.Database;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.quartz.SchedulerException;

/**
 * The campaign worker: an admin port (health, metrics) and a Quartz cluster member on Hilal's
 * database. Training, campaign sends and lift computation run as its jobs.
 */
public class CampaignWorkerApplication extends Application<CampaignWorkerConfiguration> {
    public static void main(String[] args) throws Exception {
        new CampaignWorkerApplication().run(args);
    }

    @Override
    public String getName() {
        return "hilal-campaign-worker";
    }

    @Override
    public void initialize(Bootstrap<CampaignWorkerConfiguration> bootstrap) {
        // Substitution inside defaults, so that one variable can default to another's value
        // (HILAL_PUBLIC_URL to http://localhost:${HILAL_PORT}).
        bootstrap.setConfigurationSourceProvider(
                new SubstitutingSourceProvider(
                        bootstrap.getConfigurationSourceProvider(),
                        new EnvironmentVariableSubstitutor(false, true)));
    }

    @Override
    public void run(CampaignWorkerConfiguration config, Environment environment)
            throws SchedulerException {
        if (!config.getSmtp().hasRelay()) {
            throw new IllegalStateException(
                    "HILAL_SMTP_HOST is not set: a worker on its own needs an SMTP relay (./hilal"
                            + " serve, which runs a worker in the service's process, captures mail"
                            + " for its dashboard when there is none)");
        }
        // The same guard as the service's admin port: own host names, no cross-site POSTs to
        // tasks, the admin token when set.
        environment
                .admin()
                .addFilter(
                        "admin-guard",
                        new AdminGuard(
                                config.getAdminHosts(),
                                config.getAdminToken(),
                                AdminGuard.problemJson(environment.getObjectMapper())))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        // Each admin request's id, in its response and request log line, as the service's. Mapped
        // after the guard, it runs before it (each mapping goes first): refusals have one too.
        environment
                .admin()
                .addFilter("request-ids", new AdminRequestIds())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        Database database = config.getDatabase().open("hilal-worker");
        // Stopped in reverse order: the worker's scheduler and pools before the database.
        environment
                .lifecycle()
                .manage(
                        new Managed() {
                            @Override
                            public void start() {
                                // Up and stopped by its shutdown hook from now on: the database
                                // it started outlives the rest of that stop.
                                database.closedByTheApplication();
                            }

                            @Override
                            public void stop() {
                                database.close();
                            }
                        });
        environment.healthChecks().register("database", new DatabaseHealthCheck(database.jdbi()));
        environment
                .admin()
                .addServlet(
                        "live",
                        HealthEndpoints.live(
                                environment.healthChecks(), environment.getObjectMapper()))
                .addMapping(HealthEndpoints.LIVE);
        HealthCheckRegistry readinessChecks = new HealthCheckRegistry();
        environment
                .admin()
                .addServlet(
                        "ready",
                        HealthEndpoints.ready(
                                environment.healthChecks(),
                                readinessChecks,
                                environment.getObjectMapper()))
                .addMapping(HealthEndpoints.READY);
        PrometheusRegistry metrics =
                AdminMetrics.registry(environment.metrics(), AdminMetrics.workerPools(database));
        environment
                .admin()
                .addServlet("prometheus", new PrometheusMetricsServlet(metrics))
                .addMapping(AdminMetrics.PATH);
        CampaignWorker.start(config, environment, database, metrics, readinessChecks);
    }
}
