package io.hilal.worker;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.hilal.core.db.Database;
import io.hilal.core.db.Migrations;
import io.hilal.core.json.HilalJson;
import io.hilal.core.lift.LiftReportService;
import io.hilal.core.models.ModelStore;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.worker.lift.LiftJob;
import io.hilal.worker.lift.LiftSchedule;
import io.hilal.worker.scheduling.HilalJobFactory;
import io.hilal.worker.scheduling.ManagedScheduler;
import io.hilal.worker.scheduling.SchedulerHealthCheck;
import io.hilal.worker.training.NightlyTrainingJob;
import io.hilal.worker.training.TrainingJob;
import io.hilal.worker.training.TrainingPool;
import io.hilal.worker.training.TrainingSchedule;
import java.time.Clock;
import java.time.Duration;
import org.quartz.Scheduler;
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
        bootstrap.setConfigurationSourceProvider(
                new SubstitutingSourceProvider(
                        bootstrap.getConfigurationSourceProvider(),
                        new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(CampaignWorkerConfiguration config, Environment environment)
            throws SchedulerException {
        Database database = config.getDatabase().open("hilal-worker");
        Migrations.migrateQuartz(database.dataSource());

        Clock clock = Clock.systemUTC();
        TrainingService training =
                new TrainingService(
                        new RecommendationTrainer(database.jdbi()),
                        new ModelStore(database.jdbi(), clock),
                        new TenantService(database.jdbi(), clock));
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
        LiftReportService lift =
                config.getLift().build(database.jdbi(), HilalJson.newMapper(), clock);
        HilalJobFactory jobs =
                new HilalJobFactory()
                        .register(
                                TrainingJob.class,
                                () -> new TrainingJob(training, trainingPool, trainingMaxRuntime))
                        .register(NightlyTrainingJob.class, () -> new NightlyTrainingJob(training))
                        .register(LiftJob.class, () -> new LiftJob(lift));
        Scheduler scheduler = config.getScheduler().build(database.dataSource(), jobs);
        TrainingSchedule.register(
                scheduler,
                config.getScheduler().getTrainingPollSeconds(),
                config.getScheduler().getNightlyTrainingCron());
        LiftSchedule.register(scheduler, config.getScheduler().getLiftCron());

        // Stopped in reverse order: the scheduler (and its running jobs) before the pool.
        environment
                .lifecycle()
                .manage(
                        new Managed() {
                            @Override
                            public void stop() {
                                database.close();
                            }
                        });
        environment
                .lifecycle()
                .manage(new ManagedScheduler(scheduler, config.getScheduler().isAutoStart()));
        environment.healthChecks().register("scheduler", new SchedulerHealthCheck(scheduler));
    }
}
