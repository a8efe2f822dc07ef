package io.hilal.app;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.lifecycle.Managed;
import io.hilal.core.admin.AdminMetrics;
import io.hilal.core.campaigns.mail.SmtpFactory;
import io.hilal.core.db.Database;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.worker.CampaignWorker;
import io.hilal.worker.CampaignWorkerConfiguration;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve}: the service and, unless {@code --no-worker}, a campaign worker (training, sending,
 * lift) in one process, so that on a fresh install a campaign really goes out at its time. The
 * worker's settings come from the worker's own YAML (scheduler, sending, SMTP), its database, link
 * signing and lift settings from the service's, so the two cannot disagree. With no SMTP relay
 * configured, mail goes to the service's built-in capture, which the dashboard's outbox shows.
 *
 * <p>The studio's test sends go through the same relay. A service alone reads the relay from the
 * worker's YAML too ({@code HILAL_SMTP_*}), so a production deployment's marketers can send tests;
 * without a relay there it has no capture to send them to, and they are off.
 */
public final class ServeCommand extends ServerCommand<HilalConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    /** The worker's YAML, relative to where {@code ./hilal} runs. */
    static final String WORKER_CONFIG = "config/campaign-worker.yml";

    /**
     * Prefix of system properties that override the worker's YAML (as "dw." does the service's).
     */
    static final String WORKER_PROPERTY_PREFIX = "hilal.worker";

    private final HilalApplication application;
    private final String defaultWorkerConfig;
    private final boolean workerUnlessFlagged;

    public ServeCommand(HilalApplication application, String defaultWorkerConfig) {
        this(application, defaultWorkerConfig, true);
    }

    /**
     * @param workerUnlessFlagged whether a worker runs when the command line does not say (tests
     *     start the command without parsing one)
     */
    ServeCommand(
            HilalApplication application, String defaultWorkerConfig, boolean workerUnlessFlagged) {
        super(
                application,
                "serve",
                "Run the service and a campaign worker (--no-worker: the service alone)");
        this.application = application;
        this.defaultWorkerConfig = defaultWorkerConfig;
        this.workerUnlessFlagged = workerUnlessFlagged;
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser
                .addArgument("--no-worker")
                .dest("noWorker")
                .action(Arguments.storeTrue())
                .help("run the service alone (campaign workers run elsewhere)");
        subparser
                .addArgument("--worker-config")
                .dest("workerConfig")
                .setDefault(defaultWorkerConfig)
                .help("the worker's YAML (default " + defaultWorkerConfig + ")");
    }

    @Override
    protected void run(Environment environment, Namespace namespace, HilalConfiguration config)
            throws Exception {
        Boolean noWorker = namespace.getBoolean("noWorker");
        String path = namespace.getString("workerConfig");
        String workerConfig = path == null ? defaultWorkerConfig : path;
        if (noWorker == null ? workerUnlessFlagged : !noWorker) {
            startWorker(environment, config, workerConfiguration(environment, workerConfig));
        } else {
            LOG.info("Serving without a campaign worker (--no-worker)");
            testSendsAlone(environment, workerConfig);
        }
        super.run(environment, namespace, config);
    }

    /** A service alone sends the studio's tests through the workers' relay, when it has one. */
    private void testSendsAlone(Environment environment, String workerConfig)
            throws IOException, ConfigurationException {
        if (!Files.isRegularFile(Path.of(workerConfig))) {
            LOG.info(
                    "No worker configuration at {}: the studio's test sends are off", workerConfig);
            return;
        }
        SmtpFactory smtp = workerConfiguration(environment, workerConfig).getSmtp();
        if (!smtp.hasRelay()) {
            LOG.info(
                    "No SMTP relay is configured (HILAL_SMTP_HOST): the studio's test sends are"
                            + " off");
            return;
        }
        useForTestSends(environment, smtp);
        LOG.info("The studio's test sends go through {}:{}", smtp.getHost(), smtp.getPort());
    }

    private void useForTestSends(Environment environment, SmtpFactory smtp) {
        application.testSends().use(smtp);
        environment.lifecycle().manage(application.testSends());
    }

    private static CampaignWorkerConfiguration workerConfiguration(
            Environment environment, String path) throws IOException, ConfigurationException {
        return new YamlConfigurationFactory<>(
                        CampaignWorkerConfiguration.class,
                        environment.getValidator(),
                        Jackson.newObjectMapper(),
                        WORKER_PROPERTY_PREFIX)
                .build(
                        new SubstitutingSourceProvider(
                                new FileConfigurationSourceProvider(),
                                new EnvironmentVariableSubstitutor(false, true)),
                        path);
    }

    private void startWorker(
            Environment environment, HilalConfiguration config, CampaignWorkerConfiguration worker)
            throws SchedulerException {
        // One source of truth for what both halves must agree on.
        worker.setDatabase(config.getDatabase());
        worker.setMailLinks(config.getMailLinks());
        worker.setLift(config.getLift());
        SmtpFactory smtp = worker.getSmtp();
        if (!smtp.hasRelay()) {
            int port = application.mailCapture().open();
            environment.lifecycle().manage(application.mailCapture());
            smtp.setHost("127.0.0.1");
            smtp.setPort(port);
            smtp.setUsername("");
            smtp.setPassword("");
            smtp.setStartTls(false);
            LOG.warn(
                    "No SMTP relay is configured (HILAL_SMTP_HOST): campaign mail goes to the"
                            + " built-in capture (dashboard: Outbox), nothing is delivered");
        }
        // The studio's test sends go through the same relay (or capture) as campaign mail.
        useForTestSends(environment, smtp);
        // Its own pool, as a worker process would have: sending never waits for API connections.
        Database database = config.getDatabase().open("hilal-worker");
        // Managed before the worker's parts, so stopped after them.
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
        // The worker's metrics join the service's on the one admin port; its pools have a name of
        // their own there.
        PrometheusRegistry metrics = application.prometheus();
        AdminMetrics.poolGauge(
                metrics, "hilal_worker_db_pool_connections", AdminMetrics.workerPools(database));
        CampaignWorker.start(worker, environment, database, metrics, application.readinessChecks());
        LOG.info("Campaign worker running in this process (training, sending, lift)");
    }
}
