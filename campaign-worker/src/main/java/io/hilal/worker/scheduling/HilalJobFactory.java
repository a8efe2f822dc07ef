package io.hilal.worker.scheduling;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;
import org.slf4j.MDC;

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
        return new LoggedJob(supplier.get());
    }

    /**
     * A job whose log lines carry its firing as {@code jobId} ({@code <job name>#<fire instance
     * id>}, the id Quartz keeps for the firing in its tables while it runs), so that every line a
     * job writes can be told apart from another firing's; what the job knows better (a send run's
     * or a training run's id) replaces it for its part of the work.
     */
    static final class LoggedJob implements Job {
        static final String JOB_ID = "jobId";

        private final Job job;

        LoggedJob(Job job) {
            this.job = job;
        }

        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            String previous = MDC.get(JOB_ID);
            MDC.put(
                    JOB_ID,
                    context.getJobDetail().getKey().getName() + "#" + context.getFireInstanceId());
            try {
                job.execute(context);
            } finally {
                if (previous == null) {
                    MDC.remove(JOB_ID);
                } else {
                    MDC.put(JOB_ID, previous);
                }
            }
        }
    }
}
