package io.hilal.worker.journeys;

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
 * The journey planning job in the shared job store, fired every few seconds on one member of the
 * cluster. Registering twice (every worker does at start) changes nothing.
 */
public final class JourneySchedule {
    static final JobKey PLAN = JobKey.jobKey("journey-plan", "journeys");

    private JourneySchedule() {}

    public static void register(Scheduler scheduler, int pollSeconds) throws SchedulerException {
        if (scheduler.checkExists(PLAN)) {
            return;
        }
        JobDetail job =
                JobBuilder.newJob(JourneyPlanJob.class)
                        .withIdentity(PLAN)
                        .storeDurably()
                        .requestRecovery()
                        .build();
        Trigger trigger =
                TriggerBuilder.newTrigger()
                        .withIdentity("journey-plan", "journeys")
                        .withSchedule(
                                SimpleScheduleBuilder.repeatSecondlyForever(pollSeconds)
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
