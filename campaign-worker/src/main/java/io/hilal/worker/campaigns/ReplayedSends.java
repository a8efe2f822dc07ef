package io.hilal.worker.campaigns;

import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.db.Migrations;
import io.hilal.worker.scheduling.HilalJobFactory;
import io.hilal.worker.scheduling.SchedulerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.matchers.KeyMatcher;
import org.quartz.listeners.JobListenerSupport;

/**
 * The worker's campaign sending on a replayed clock, for the demo's historical data: the send job,
 * registered by {@link CampaignSchedule} and fired by Quartz on the clustered JDBC job store as in
 * production, only more often, and the clock moved to the next instant of the replay after each
 * firing. The scheduler is a cluster of its own ({@value #INSTANCE_NAME}), so no production worker
 * runs the replay's firings, nor the replay theirs.
 */
public final class ReplayedSends {
    static final String INSTANCE_NAME = "hilal-demo";

    /** How often the send job fires: each firing is one step of the replay. */
    static final Duration POLL = Duration.ofMillis(50);

    /** The longest a replay may take before it is given up. */
    static final Duration TIMEOUT = Duration.ofMinutes(30);

    private ReplayedSends() {}

    /**
     * Runs {@code sender} from the send job at each of {@code at}, in order: {@code setClock} moves
     * the sender's clock there before the firing, and to the next one after it.
     */
    public static void replay(
            DataSource dataSource,
            CampaignSender sender,
            List<Instant> at,
            Consumer<Instant> setClock)
            throws SchedulerException, InterruptedException {
        if (at.isEmpty()) {
            return;
        }
        Migrations.migrateQuartz(dataSource);
        SchedulerFactory factory = new SchedulerFactory();
        factory.setInstanceName(INSTANCE_NAME);
        factory.setThreadCount(1);
        // The Quartz instance is the sender's worker, as a worker's is.
        Scheduler scheduler =
                factory.build(
                        dataSource,
                        new HilalJobFactory()
                                .register(CampaignSendJob.class, () -> new CampaignSendJob(sender)),
                        sender.settings().workerId());
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger step = new AtomicInteger();
        AtomicReference<JobExecutionException> failed = new AtomicReference<>();
        setClock.accept(at.get(0));
        scheduler
                .getListenerManager()
                .addJobListener(
                        new JobListenerSupport() {
                            @Override
                            public String getName() {
                                return "replay-clock";
                            }

                            @Override
                            public void jobWasExecuted(
                                    JobExecutionContext context, JobExecutionException failure) {
                                if (failure != null) {
                                    failed.compareAndSet(null, failure);
                                    done.countDown();
                                    return;
                                }
                                int next = step.incrementAndGet();
                                if (next < at.size()) {
                                    setClock.accept(at.get(next));
                                } else {
                                    done.countDown();
                                }
                            }
                        },
                        KeyMatcher.keyEquals(CampaignSchedule.SENDS));
        try {
            // A replay left behind by an interrupted demo is not resumed: this one starts afresh.
            scheduler.deleteJob(CampaignSchedule.SENDS);
            CampaignSchedule.register(scheduler, POLL);
            scheduler.start();
            if (!done.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        "the replay did not finish in " + TIMEOUT.toMinutes() + " minutes");
            }
            scheduler.pauseAll();
            scheduler.deleteJob(CampaignSchedule.SENDS);
            if (failed.get() != null) {
                throw new IllegalStateException("the send job failed", failed.get());
            }
        } finally {
            scheduler.shutdown(true);
            // No worker of the replay stays on the dashboard: its heartbeat is on the replayed
            // clock.
            sender.retire();
        }
    }
}
