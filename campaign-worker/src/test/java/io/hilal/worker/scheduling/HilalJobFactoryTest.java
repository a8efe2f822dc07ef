package io.hilal.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.MDC;

/** Issue 24: every line a Quartz job logs carries the job's firing as {@code jobId}. */
class HilalJobFactoryTest {
    /** The probe job's jobId in its log context, and its firing's id. */
    static final CompletableFuture<String> SEEN = new CompletableFuture<>();

    public static final class Probe implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            SEEN.complete(MDC.get("jobId") + " " + context.getFireInstanceId());
        }
    }

    @Test
    void aJobRunsWithItsFiringAsJobIdInTheLogContext() throws Exception {
        Properties settings = new Properties();
        settings.setProperty("org.quartz.scheduler.instanceName", "job-factory-test");
        settings.setProperty("org.quartz.threadPool.threadCount", "1");
        settings.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        Scheduler scheduler = new StdSchedulerFactory(settings).getScheduler();
        scheduler.setJobFactory(new HilalJobFactory().register(Probe.class, Probe::new));
        try {
            scheduler.start();
            scheduler.scheduleJob(
                    JobBuilder.newJob(Probe.class).withIdentity("probe").build(),
                    TriggerBuilder.newTrigger().startNow().build());

            String[] seen = SEEN.get(30, TimeUnit.SECONDS).split(" ");

            assertThat(seen[0]).isEqualTo("probe#" + seen[1]);
            assertThat(seen[1]).isNotBlank().isNotEqualTo("null");
        } finally {
            scheduler.shutdown(true);
        }
    }
}
