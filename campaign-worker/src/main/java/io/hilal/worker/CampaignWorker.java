package io.hilal.worker;

import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.hilal.core.admin.AdminMetrics;
import io.hilal.core.admin.TenantLabels;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.mail.SmtpPool;
import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.Database;
import io.hilal.core.db.Migrations;
import io.hilal.core.journeys.JourneyPlanner;
import io.hilal.core.json.HilalJson;
import io.hilal.core.lift.LiftReportService;
import io.hilal.core.pods.PodScopes;
import io.hilal.core.reco.ModelLoader;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.PopularityFallback;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.worker.campaigns.CampaignSchedule;
import io.hilal.worker.campaigns.CampaignSendJob;
import io.hilal.worker.campaigns.SendLoop;
import io.hilal.worker.campaigns.SendingFactory;
import io.hilal.worker.campaigns.SendingModels;
import io.hilal.worker.journeys.ActiveModels;
import io.hilal.worker.journeys.JourneyPlanJob;
import io.hilal.worker.journeys.JourneySchedule;
import io.hilal.worker.lift.LiftJob;
import io.hilal.worker.lift.LiftSchedule;
import io.hilal.worker.platform.SmtpHealthCheck;
import io.hilal.worker.platform.WorkerHealthCheck;
import io.hilal.worker.platform.WorkerMetrics;
import io.hilal.worker.scheduling.HilalJobFactory;
import io.hilal.worker.scheduling.ManagedScheduler;
import io.hilal.worker.scheduling.SchedulerHealthCheck;
import io.hilal.worker.training.NightlyTrainingJob;
import io.hilal.worker.training.TrainingJob;
import io.hilal.worker.training.TrainingPool;
import io.hilal.worker.training.TrainingSchedule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a campaign worker runs (Quartz with the training, sending and lift jobs, the SMTP
 * pool, the send executor and heartbeat), wired onto a Dropwizard environment. The worker
 * application runs it alone; {@code ./hilal serve} runs it in the service's process.
 */
public final class CampaignWorker {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignWorker.class);

    private CampaignWorker() {}

    /**
     * Wires the worker onto {@code environment}'s lifecycle over an open {@code database} (which
     * the caller closes after the lifecycle stops) and returns its scheduler, started with the
     * lifecycle.
     */
    public static Scheduler start(
            CampaignWorkerConfiguration config,
            Environment environment,
            Database database,
            PrometheusRegistry metricsRegistry,
            HealthCheckRegistry readinessChecks)
            throws SchedulerException {
        Migrations.migrateQuartz(database.dataSource());

        Clock clock = Clock.systemUTC();
        // One id everywhere: Quartz instance, ledger claims and heartbeat, health, logs.
        String workerId = WorkerId.create();
        TenantLabels tenantLabels = new TenantLabels(AdminMetrics.TENANT_LABELS);
        // Every tenant's work in its tenant's scope, every listing across tenants in each pod.
        PodScopes pods = PodScopes.of(database.pods());
        WorkerMetrics metrics =
                new WorkerMetrics(metricsRegistry, database.jdbi(), tenantLabels, clock, pods);
        ScheduledExecutorService ranking =
                environment
                        .lifecycle()
                        .scheduledExecutorService("worker-tenant-labels")
                        .threads(1)
                        .build();
        ranking.scheduleAtFixedRate(tenantLabels::rerank, 1, 1, TimeUnit.MINUTES);
        TrainingService training =
                new TrainingService(
                        new RecommendationTrainer(database.jdbi()),
                        new ModelStore(database.jdbi(), database.homeJdbi(), clock),
                        new TenantService(database.homeJdbi(), clock),
                        metrics.training(),
                        // The largest tenants' factor models on Spark, when configured.
                        config.getSparkTrainer().build(),
                        pods,
                        // Old versions deleted after each run, in the tenant's pod.
                        Optional.of(config.getModels().build(database.jdbi())));
        int trainingThreads = config.getScheduler().getTrainingThreads();
        TrainingPool trainingPool =
                new TrainingPool(
                        environment
                                .lifecycle()
                                .executorService("training-%d")
                                .minThreads(trainingThreads)
                                .maxThreads(trainingThreads)
                                .build(),
                        trainingThreads);
        Duration trainingMaxRuntime =
                Duration.ofMinutes(config.getScheduler().getTrainingMaxRuntimeMinutes());
        // The worker's one heartbeat (the sender's) says whether its training runs are alive too.
        Duration trainingHeartbeatTimeout =
                Duration.ofMillis(config.getSending().getHeartbeatTimeoutMillis());
        CampaignSender sender =
                campaignSender(config, environment, database, clock, workerId, metrics, pods);
        // Planning never trains: a tenant without a model takes no one into cross-sell or restock.
        JourneyPlanner journeys =
                new JourneyPlanner(
                        database.jdbi(),
                        HilalJson.newMapper(),
                        clock,
                        new SendLedger(
                                database.jdbi(), clock, config.getMailLinks().getMessageIdDomain()),
                        new ActiveModels(new ModelLoader(new ModelStore(database.jdbi(), clock))),
                        config.getJourneys().sweepInterval());
        LiftReportService lift =
                config.getLift().build(database.jdbi(), HilalJson.newMapper(), clock);
        HilalJobFactory jobs =
                new HilalJobFactory()
                        .register(
                                TrainingJob.class,
                                () ->
                                        new TrainingJob(
                                                training,
                                                trainingPool,
                                                workerId,
                                                trainingHeartbeatTimeout,
                                                trainingMaxRuntime))
                        .register(NightlyTrainingJob.class, () -> new NightlyTrainingJob(training))
                        .register(LiftJob.class, () -> new LiftJob(lift, pods))
                        .register(CampaignSendJob.class, () -> new CampaignSendJob(sender))
                        .register(JourneyPlanJob.class, () -> new JourneyPlanJob(journeys, pods));
        Scheduler scheduler = config.getScheduler().build(database.dataSource(), jobs, workerId);
        scheduler.getListenerManager().addTriggerListener(metrics.misfires());
        TrainingSchedule.register(
                scheduler,
                config.getScheduler().getTrainingPollSeconds(),
                config.getScheduler().getNightlyTrainingCron());
        LiftSchedule.register(scheduler, config.getScheduler().getLiftCron());
        CampaignSchedule.register(scheduler, config.getSending().getPollSeconds());
        if (config.getScheduler().isAutoStart()) {
            // Every worker sends side by side; the cluster's send job adds a pass where it fires.
            environment
                    .lifecycle()
                    .manage(
                            new SendLoop(
                                    sender,
                                    environment
                                            .lifecycle()
                                            .scheduledExecutorService("campaign-send-loop")
                                            .build(),
                                    environment
                                            .lifecycle()
                                            .scheduledExecutorService("campaign-takeover")
                                            .build(),
                                    Duration.ofSeconds(config.getSending().getPollSeconds()),
                                    Duration.ofMillis(config.getSending().getHeartbeatMillis())));
        }
        JourneySchedule.register(scheduler, config.getJourneys().getPollSeconds());

        environment
                .lifecycle()
                .manage(new ManagedScheduler(scheduler, config.getScheduler().isAutoStart()));
        environment.healthChecks().register("scheduler", new SchedulerHealthCheck(scheduler));
        environment.healthChecks().register("campaign-worker", new WorkerHealthCheck(sender));
        // Readiness only: a relay that is down defers sends, it is not the worker's fault.
        readinessChecks.register(
                "smtp",
                new SmtpHealthCheck(config.getSmtp().getHost(), config.getSmtp().getPort()));
        LOG.info("Campaign worker {} started", workerId);
        return scheduler;
    }

    /**
     * The campaign sender: pooled SMTP connections, a send executor of the configured concurrency
     * and a heartbeat that tells other workers this one's claims are alive.
     */
    private static CampaignSender campaignSender(
            CampaignWorkerConfiguration config,
            Environment environment,
            Database database,
            Clock clock,
            String workerId,
            WorkerMetrics metrics,
            PodScopes pods) {
        Jdbi jdbi = database.jdbi();
        ObjectMapper mapper = HilalJson.newMapper();
        MailLinks links = config.getMailLinks().build(config.getDatabase());
        SmtpPool smtp = config.getSmtp().build();
        // Tenants are the home database's, whichever pod holds their data.
        TenantService tenants = new TenantService(database.homeJdbi(), clock);
        // The ledger's sending steps send several statements per round trip: on the sender's pool.
        Jdbi senderJdbi = database.senderJdbi();
        SendLedger ledger =
                new SendLedger(senderJdbi, clock, config.getMailLinks().getMessageIdDomain());
        EmailComposer composer = new EmailComposer(jdbi, links);
        // Sending never trains: the active model, or best sellers until the training job made one.
        Function<String, RecommendationModel> models =
                new SendingModels(
                        new ActiveModels(new ModelLoader(new ModelStore(jdbi, clock))),
                        new PopularityFallback(jdbi));
        CampaignService campaigns =
                new CampaignService(jdbi, mapper, clock, tenants, composer, ledger, models);
        SendingFactory sending = config.getSending();
        ExecutorService executor =
                environment
                        .lifecycle()
                        .executorService("campaign-sends-%d")
                        .minThreads(sending.getConcurrency())
                        .maxThreads(sending.getConcurrency())
                        .build();
        CampaignSender sender =
                new CampaignSender(
                        senderJdbi,
                        clock,
                        ledger,
                        campaigns,
                        composer,
                        tenants,
                        metrics.counting(smtp),
                        models,
                        executor,
                        sending.settings(workerId),
                        pods,
                        database.homeJdbi());
        // Managed objects stop in the reverse order of their registration: the worker leaves after
        // the heartbeat below, the send passes and Quartz (registered by start() after this) have
        // stopped, and before the database closes (registered by start()'s caller before).
        environment
                .lifecycle()
                .manage(
                        new Managed() {
                            @Override
                            public void stop() {
                                sender.leave();
                            }
                        });
        ScheduledExecutorService heartbeat =
                environment.lifecycle().scheduledExecutorService("campaign-heartbeat").build();
        environment
                .lifecycle()
                .manage(
                        new Managed() {
                            @Override
                            public void start() {
                                sender.heartbeat();
                                heartbeat.scheduleWithFixedDelay(
                                        () -> {
                                            try {
                                                sender.heartbeat();
                                            } catch (RuntimeException e) {
                                                LOG.warn("Heartbeat failed: {}", e.getMessage());
                                            }
                                        },
                                        sending.getHeartbeatMillis(),
                                        sending.getHeartbeatMillis(),
                                        TimeUnit.MILLISECONDS);
                            }

                            @Override
                            public void stop() {
                                smtp.close();
                            }
                        });
        return sender;
    }
}
