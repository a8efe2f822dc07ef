package io.hilal.worker.scheduling;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/**
 * Builds jobs with their collaborators, wired by hand in the application's {@code run()}, instead
 * of Quartz's reflective no-argument constructor. Jobs stay thin and delegate to services.
 */
public final class HilalJobFactory implements JobFactory {
    private final Map<Class<? extends Job>, Supplier<? extends Job>> jobs = new HashMap<>();

    public <T extends Job> HilalJobFactory register(Class<T> type, Supplier<T> supplier) {
        jobs.put(type, supplier);
        return this;
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        Class<? extends Job> type = bundle.getJobDetail().getJobClass();
        Supplier<? extends Job> supplier = jobs.get(type);
        if (supplier == null) {
            throw new SchedulerException("No job registered for " + type.getName());
        }
        return supplier.get();
    }
}
