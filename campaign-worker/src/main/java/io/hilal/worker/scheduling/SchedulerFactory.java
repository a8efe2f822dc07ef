package io.hilal.worker.scheduling;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz on the clustered JDBC job store, in Hilal's own database. Every worker with the same
 * {@code instanceName} joins one cluster: each firing runs on exactly one of them, and the jobs of
 * a worker that stops checking in are recovered by another.
 */
public class SchedulerFactory {
    @NotEmpty private String instanceName = "hilal";

    @Min(1)
    @Max(64)
    private int threadCount = 4;

    @Min(1000)
    private long checkinIntervalMillis = 5_000;

    @Min(1000)
    private long misfireThresholdMillis = 60_000;

    private boolean autoStart = true;

    @Min(1)
    private int trainingPollSeconds = 5;

    @NotEmpty private String nightlyTrainingCron = "0 0 3 * * ?";

    @Min(1)
    private int trainingThreads = 2;

    @Min(1)
    private int trainingMaxRuntimeMinutes = 120;

    @NotEmpty private String liftCron = "0 30 * * * ?";

    /** Threads training may use on this worker; one tenant never holds more than one. */
    @JsonProperty
    public int getTrainingThreads() {
        return trainingThreads;
    }

    @JsonProperty
    public void setTrainingThreads(int trainingThreads) {
        this.trainingThreads = trainingThreads;
    }

    /**
     * A run still marked running after this long is queued again, even if its worker lives (its
     * thread hangs); a dead worker's runs are queued again as soon as its heartbeat is stale.
     */
    @JsonProperty
    public int getTrainingMaxRuntimeMinutes() {
        return trainingMaxRuntimeMinutes;
    }

    @JsonProperty
    public void setTrainingMaxRuntimeMinutes(int trainingMaxRuntimeMinutes) {
        this.trainingMaxRuntimeMinutes = trainingMaxRuntimeMinutes;
    }

    /** Quartz cron, UTC: when open lift reports are recomputed (default daily at 04:30). */
    @JsonProperty
    public String getLiftCron() {
        return liftCron;
    }

    @JsonProperty
    public void setLiftCron(String liftCron) {
        this.liftCron = liftCron;
    }

    @JsonProperty
    public int getTrainingPollSeconds() {
        return trainingPollSeconds;
    }

    @JsonProperty
    public void setTrainingPollSeconds(int trainingPollSeconds) {
        this.trainingPollSeconds = trainingPollSeconds;
    }

    /** Quartz cron, UTC: when every tenant is queued for training (default 03:00). */
    @JsonProperty
    public String getNightlyTrainingCron() {
        return nightlyTrainingCron;
    }

    @JsonProperty
    public void setNightlyTrainingCron(String nightlyTrainingCron) {
        this.nightlyTrainingCron = nightlyTrainingCron;
    }

    @JsonProperty
    public String getInstanceName() {
        return instanceName;
    }

    @JsonProperty
    public void setInstanceName(String instanceName) {
        this.instanceName = instanceName;
    }

    @JsonProperty
    public int getThreadCount() {
        return threadCount;
    }

    @JsonProperty
    public void setThreadCount(int threadCount) {
        this.threadCount = threadCount;
    }

    @JsonProperty
    public long getCheckinIntervalMillis() {
        return checkinIntervalMillis;
    }

    @JsonProperty
    public void setCheckinIntervalMillis(long checkinIntervalMillis) {
        this.checkinIntervalMillis = checkinIntervalMillis;
    }

    @JsonProperty
    public long getMisfireThresholdMillis() {
        return misfireThresholdMillis;
    }

    @JsonProperty
    public void setMisfireThresholdMillis(long misfireThresholdMillis) {
        this.misfireThresholdMillis = misfireThresholdMillis;
    }

    @JsonProperty
    public boolean isAutoStart() {
        return autoStart;
    }

    @JsonProperty
    public void setAutoStart(boolean autoStart) {
        this.autoStart = autoStart;
    }

    /** A scheduler (not started) whose jobs are built by {@code jobs}. */
    public Scheduler build(DataSource dataSource, JobFactory jobs) throws SchedulerException {
        return build(dataSource, jobs, instanceId());
    }

    /**
     * A scheduler (not started) whose jobs are built by {@code jobs}, with the given Quartz
     * instance id (a worker's one id: the same in its ledger claims and health check).
     */
    public Scheduler build(DataSource dataSource, JobFactory jobs, String instanceId)
            throws SchedulerException {
        // Quartz looks data sources up by name in a JVM-wide registry; a unique name lets tests
        // run two cluster members in one JVM.
        String dataSourceName = "hilal-" + UUID.randomUUID();
        DBConnectionManager.getInstance()
                .addConnectionProvider(dataSourceName, new PoolProvider(dataSource));
        Properties quartz = new Properties();
        quartz.setProperty("org.quartz.scheduler.instanceName", instanceName);
        quartz.setProperty("org.quartz.scheduler.instanceId", instanceId);
        quartz.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        quartz.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        quartz.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threadCount));
        quartz.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        quartz.setProperty(
                "org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        quartz.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        quartz.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        quartz.setProperty("org.quartz.jobStore.isClustered", "true");
        quartz.setProperty(
                "org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinIntervalMillis));
        quartz.setProperty(
                "org.quartz.jobStore.misfireThreshold", Long.toString(misfireThresholdMillis));
        quartz.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        quartz.setProperty(
                "org.quartz.scheduler.batchTriggerAcquisitionMaxCount",
                Integer.toString(threadCount));
        StdSchedulerFactory factory = new StdSchedulerFactory(quartz);
        Scheduler scheduler = factory.getScheduler();
        // Quartz keeps one scheduler per name in a JVM-wide repository and would hand this one
        // back to the next member built here; we hold our own reference instead.
        SchedulerRepository.getInstance().remove(instanceName);
        scheduler.setJobFactory(jobs);
        return scheduler;
    }

    /** Host name plus a random suffix: unique even for several members on one host. */
    private static String instanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Hands Quartz connections from Hilal's pool. */
    private record PoolProvider(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // The pool belongs to the application and closes with it.
        }

        @Override
        public void initialize() {
            // Nothing to set up: the pool is open already.
        }
    }
}
