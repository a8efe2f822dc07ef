package io.hilal.worker.campaigns;

import java.time.Duration;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * The campaign send job in the shared job store, fired every few seconds on one member of the
 * cluster; it requests recovery, so a firing cut short by a dying worker is run again by another.
 * Registering twice (every worker does at start) changes nothing.
 */
public final class CampaignSchedule {
    static final JobKey SENDS = JobKey.jobKey("campaign-sends", "campaigns");

    private CampaignSchedule() {}

    public static void register(Scheduler scheduler, int pollSeconds) throws SchedulerException {
        register(scheduler, Duration.ofSeconds(pollSeconds));
    }

    /**
     * As {@link #register(Scheduler, int)}, firing every {@code poll} (the demo's replay is fast).
     */
    public static void register(Scheduler scheduler, Duration poll) throws SchedulerException {
        if (scheduler.checkExists(SENDS)) {
            return;
        }
        JobDetail job =
                JobBuilder.newJob(CampaignSendJob.class)
                        .withIdentity(SENDS)
                        .storeDurably()
                        .requestRecovery()
                        .build();
        Trigger trigger =
                TriggerBuilder.newTrigger()
                        .withIdentity("campaign-sends", "campaigns")
                        .withSchedule(
                                SimpleScheduleBuilder.simpleSchedule()
                                        .withIntervalInMilliseconds(poll.toMillis())
                                        .repeatForever()
                                        .withMisfireHandlingInstructionNextWithRemainingCount())
                        .startNow()
                        .build();
        try {
            scheduler.scheduleJob(job, trigger);
        } catch (ObjectAlreadyExistsException alreadyThere) {
            // registered by another member of the cluster
        }
    }
}
