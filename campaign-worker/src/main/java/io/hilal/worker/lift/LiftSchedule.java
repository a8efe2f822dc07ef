package io.hilal.worker.lift;

import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * The daily lift recomputation in the shared job store (cron in UTC). Registering twice — every
 * worker does at start — changes nothing; {@link #runNow} triggers it on demand.
 */
public final class LiftSchedule {
    public static final JobKey DAILY = JobKey.jobKey("lift-reports", "lift");

    private LiftSchedule() {}

    public static void register(Scheduler scheduler, String cron) throws SchedulerException {
        if (scheduler.checkExists(DAILY)) {
            return;
        }
        JobDetail job = JobBuilder.newJob(LiftJob.class).withIdentity(DAILY).storeDurably().build();
        Trigger trigger =
                TriggerBuilder.newTrigger()
                        .withIdentity("lift-reports-daily", "lift")
                        .withSchedule(
                                CronScheduleBuilder.cronSchedule(cron)
                                        .inTimeZone(TimeZone.getTimeZone("UTC")))
                        .build();
        try {
            scheduler.scheduleJob(job, trigger);
        } catch (ObjectAlreadyExistsException alreadyThere) {
            // registered by another member of the cluster at the same moment
        }
    }

    /** Runs the recomputation once, now, on whichever cluster member picks it up. */
    public static void runNow(Scheduler scheduler) throws SchedulerException {
        scheduler.triggerJob(DAILY);
    }
}
