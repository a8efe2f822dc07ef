package io.hilal.bench;

import io.hilal.core.db.Migrations;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.scheduling.HilalJobFactory;
import io.hilal.worker.scheduling.SchedulerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Many triggers due at once on a two-node cluster, per MEASURE.md: 1,000 one-shot triggers all due
 * at the same instant, two cluster members on one database, time from the due instant until the
 * last firing, and a check that each fired exactly once. Hilal's scheduler settings
 * (SchedulerFactory: batch acquisition within the lock, 4 threads) against Quartz with its default
 * settings on the same clustered JDBC job store, interleaved A B A B, each run on a fresh schema.
 *
 * <p>Run from the repository root: {@code bench/run TriggerBenchmark [TRIGGERS REPS]}.
 */
public final class TriggerBenchmark {
    private static final Map<String, AtomicInteger> FIRED = new ConcurrentHashMap<>();
    private static volatile long lastFiredNanos;

    /** Records a firing. */
    public static final class Fire implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            FIRED.computeIfAbsent(
                            context.getJobDetail().getKey().getName(), k -> new AtomicInteger())
                    .incrementAndGet();
            lastFiredNanos = System.nanoTime();
        }
    }

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int triggers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf(
                "%,d triggers due at once, two cluster members, %d repetitions%n", triggers, reps);
        List<Double> defaults = new ArrayList<>();
        List<Double> hilal = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            double a = run(false, triggers);
            double b = run(true, triggers);
            defaults.add(a);
            hilal.add(b);
            System.out.printf(
                    "rep %d: Quartz defaults %.2f s, Hilal %.2f s, speed-up %.2f%n",
                    rep + 1, a, b, a / b);
        }
        double[] ratios = new double[reps];
        for (int i = 0; i < reps; i++) {
            ratios[i] = defaults.get(i) / hilal.get(i);
        }
        Arrays.sort(ratios);
        System.out.printf(
                "| Quartz defaults, clustered JDBC store | %.2f s | %.2f – %.2f s |%n",
                CampaignSendBenchmark.median(defaults),
                CampaignSendBenchmark.min(defaults),
                CampaignSendBenchmark.max(defaults));
        System.out.printf(
                "| Hilal SchedulerFactory | %.2f s | %.2f – %.2f s |%n",
                CampaignSendBenchmark.median(hilal),
                CampaignSendBenchmark.min(hilal),
                CampaignSendBenchmark.max(hilal));
        System.out.printf(
                "| speed-up (defaults / Hilal) | %.2f | %.2f – %.2f |%n",
                ratios[reps / 2], ratios[0], ratios[reps - 1]);
        System.exit(0);
    }

    /** Seconds from the due instant until the last of {@code triggers} fired. */
    private static double run(boolean hilalSettings, int triggers) throws Exception {
        FIRED.clear();
        String url = TestDatabase.newSchema();
        DataSource first = CampaignSendBenchmark.pool(url, 12);
        DataSource second = CampaignSendBenchmark.pool(url, 12);
        Migrations.migrateQuartz(first);
        Scheduler a = hilalSettings ? hilal(first) : defaults(first);
        Scheduler b = hilalSettings ? hilal(second) : defaults(second);
        a.start();
        b.start();
        try {
            long dueInMillis = 5_000;
            Date due = new Date(System.currentTimeMillis() + dueInMillis);
            long dueNanos = System.nanoTime() + dueInMillis * 1_000_000;
            for (int i = 0; i < triggers; i++) {
                a.scheduleJob(
                        JobBuilder.newJob(Fire.class).withIdentity("job-" + i).build(),
                        TriggerBuilder.newTrigger()
                                .withIdentity("trigger-" + i)
                                .startAt(due)
                                .build());
            }
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (FIRED.size() < triggers && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(2_000); // a double firing, if any, shows up here
            if (FIRED.size() < triggers) {
                throw new IllegalStateException("only " + FIRED.size() + " fired in 120 s");
            }
            long doubles = FIRED.values().stream().filter(count -> count.get() != 1).count();
            if (doubles > 0) {
                throw new IllegalStateException(doubles + " triggers fired more than once");
            }
            return Math.max(0, lastFiredNanos - dueNanos) / 1e9;
        } finally {
            a.shutdown(true);
            b.shutdown(true);
        }
    }

    private static Scheduler hilal(DataSource dataSource) throws Exception {
        SchedulerFactory factory = new SchedulerFactory();
        factory.setInstanceName("bench-hilal");
        factory.setCheckinIntervalMillis(5_000);
        return factory.build(dataSource, new HilalJobFactory().register(Fire.class, Fire::new));
    }

    /** Quartz's defaults: only what a clustered JDBC store cannot do without. */
    private static Scheduler defaults(DataSource dataSource) throws Exception {
        String name = "bench-defaults-" + UUID.randomUUID();
        DBConnectionManager.getInstance()
                .addConnectionProvider(
                        name,
                        new ConnectionProvider() {
                            @Override
                            public Connection getConnection() throws SQLException {
                                return dataSource.getConnection();
                            }

                            @Override
                            public void shutdown() {}

                            @Override
                            public void initialize() {}
                        });
        Properties quartz = new Properties();
        quartz.setProperty("org.quartz.scheduler.instanceName", "bench-defaults");
        quartz.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        quartz.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        quartz.setProperty("org.quartz.threadPool.threadCount", "10");
        quartz.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        quartz.setProperty(
                "org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        quartz.setProperty("org.quartz.jobStore.dataSource", name);
        quartz.setProperty("org.quartz.jobStore.isClustered", "true");
        Scheduler scheduler = new StdSchedulerFactory(quartz).getScheduler();
        SchedulerRepository.getInstance().remove("bench-defaults");
        return scheduler;
    }
}
