package io.hilal.worker.training;

import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * The training schedule in the shared job store: poll the request queue every few seconds, and
 * queue every tenant nightly. Registering twice (every worker does at start) changes nothing.
 */
public final class TrainingSchedule {
    static final JobKey QUEUE = JobKey.jobKey("training-queue", "training");
    static final JobKey NIGHTLY = JobKey.jobKey("nightly-training", "training");

    private TrainingSchedule() {}

    public static void register(Scheduler scheduler, int pollSeconds, String nightlyCron)
            throws SchedulerException {
        if (!scheduler.checkExists(QUEUE)) {
            JobDetail job =
                    JobBuilder.newJob(TrainingJob.class).withIdentity(QUEUE).storeDurably().build();
            Trigger trigger =
                    TriggerBuilder.newTrigger()
                            .withIdentity("training-queue", "training")
                            .withSchedule(
                                    SimpleScheduleBuilder.repeatSecondlyForever(pollSeconds)
                                            .withMisfireHandlingInstructionNextWithRemainingCount())
                            .startNow()
                            .build();
            scheduleQuietly(scheduler, job, trigger);
        }
        if (!scheduler.checkExists(NIGHTLY)) {
            JobDetail job =
                    JobBuilder.newJob(NightlyTrainingJob.class)
                            .withIdentity(NIGHTLY)
                            .storeDurably()
                            .build();
            Trigger trigger =
                    TriggerBuilder.newTrigger()
                            .withIdentity("nightly-training", "training")
                            .withSchedule(
                                    CronScheduleBuilder.cronSchedule(nightlyCron)
                                            .inTimeZone(java.util.TimeZone.getTimeZone("UTC")))
                            .build();
            scheduleQuietly(scheduler, job, trigger);
        }
    }

    /** Another worker starting at the same moment may have won the race: that is fine. */
    private static void scheduleQuietly(Scheduler scheduler, JobDetail job, Trigger trigger)
            throws SchedulerException {
        try {
            scheduler.scheduleJob(job, trigger);
        } catch (org.quartz.ObjectAlreadyExistsException alreadyThere) {
            // registered by another member of the cluster
        }
    }
}
