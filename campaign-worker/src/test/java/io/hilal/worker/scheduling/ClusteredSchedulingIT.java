package io.hilal.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hilal.core.db.Migrations;
import io.hilal.core.testing.TestDatabase;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;

/** Two cluster members on one database: every firing runs on exactly one of them. */
class ClusteredSchedulingIT {
    private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
    private static final Map<String, String> RUN_BY = new ConcurrentHashMap<>();

    private Scheduler first;
    private Scheduler second;

    /** Records which member ran which firing. */
    public static final class RecordingJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            String name = context.getJobDetail().getKey().getName();
            RUNS.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            try {
                RUN_BY.put(name, context.getScheduler().getSchedulerInstanceId());
            } catch (org.quartz.SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static DataSource pool(String url) {
        PoolProperties properties = new PoolProperties();
        properties.setUrl(url);
        properties.setDriverClassName("com.mysql.cj.jdbc.Driver");
        properties.setUsername(TestDatabase.user());
        properties.setPassword(TestDatabase.password());
        properties.setMaxActive(10);
        return new org.apache.tomcat.jdbc.pool.DataSource(properties);
    }

    private static Scheduler member(DataSource dataSource) throws Exception {
        SchedulerFactory factory = new SchedulerFactory();
        factory.setInstanceName("cluster-test");
        factory.setThreadCount(3);
        factory.setCheckinIntervalMillis(1_000);
        return factory.build(
                dataSource, new HilalJobFactory().register(RecordingJob.class, RecordingJob::new));
    }

    @AfterEach
    void stop() throws Exception {
        for (Scheduler scheduler : new Scheduler[] {first, second}) {
            if (scheduler != null) {
                scheduler.shutdown(true);
            }
        }
    }

    @Test
    void eachFiringRunsOnceAcrossTwoSchedulers() throws Exception {
        String url = TestDatabase.newSchema();
        DataSource dataSource = pool(url);
        Migrations.migrateQuartz(dataSource);
        first = member(dataSource);
        second = member(pool(url));
        first.start();
        second.start();

        int jobs = 60;
        Date soon = new Date(System.currentTimeMillis() + 1_000);
        for (int i = 0; i < jobs; i++) {
            first.scheduleJob(
                    JobBuilder.newJob(RecordingJob.class).withIdentity("job-" + i).build(),
                    TriggerBuilder.newTrigger().withIdentity("trigger-" + i).startAt(soon).build());
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(RUNS).hasSize(jobs));
        // Give a double firing, if there were one, the time to show itself.
        await().pollDelay(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(RUNS.values())
                                        .allSatisfy(count -> assertThat(count.get()).isEqualTo(1)));
        String firstId = first.getSchedulerInstanceId();
        String secondId = second.getSchedulerInstanceId();
        assertThat(firstId).isNotEqualTo(secondId);
        assertThat(RUN_BY.values()).allMatch(id -> id.equals(firstId) || id.equals(secondId));
    }
}
