package io.hilal.worker.scheduling;

import com.codahale.metrics.health.HealthCheck;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/** Healthy while Quartz runs and is not in standby. */
public final class SchedulerHealthCheck extends HealthCheck {
    private final Scheduler scheduler;

    public SchedulerHealthCheck(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    protected Result check() {
        try {
            if (scheduler.isShutdown() || scheduler.isInStandbyMode()) {
                return Result.unhealthy("scheduler is not running");
            }
            return Result.healthy(
                    "instance %s, %d jobs running",
                    scheduler.getSchedulerInstanceId(),
                    scheduler.getCurrentlyExecutingJobs().size());
        } catch (SchedulerException e) {
            // One line for a probe, not a stack trace.
            return Result.unhealthy("scheduler unavailable (%s)", e.getClass().getSimpleName());
        }
    }
}
