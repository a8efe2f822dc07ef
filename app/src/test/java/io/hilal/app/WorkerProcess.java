package io.hilal.app;

import static org.awaitility.Awaitility.await;

import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.CampaignWorkerApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;

/**
 * A campaign worker as an operator runs it: {@code CampaignWorkerApplication server
 * config/campaign-worker.yml} in a JVM of its own on the test's schema, its settings given as
 * {@code -Ddw.*} overrides, its log in {@code target/<name>.log}; killed with SIGKILL, as a crash
 * or the OOM killer would, or stopped with SIGTERM, as an operator or an orchestrator does.
 */
final class WorkerProcess implements AutoCloseable {
    static final String LINK_SECRET = "test-link-secret-0123456789abcdef0123456789";

    private final Process process;
    private final String workerId;

    private WorkerProcess(Process process, String workerId) {
        this.process = process;
        this.workerId = workerId;
    }

    /**
     * Starts a worker on {@code databaseUrl} sending to SMTP on {@code smtpPort}, with {@code
     * settings} (YAML paths to values) over the shipped configuration, and returns once its
     * scheduler has joined the cluster.
     */
    static WorkerProcess start(
            String name, String databaseUrl, int smtpPort, Map<String, String> settings) {
        Jdbi jdbi = Jdbi.create(TestDatabase.dataSource(databaseUrl));
        // Earlier workers' rows stay (a killed one's until another forgets it): only a new id
        // is this process's.
        List<String> earlier =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery("SELECT worker_id FROM campaign_workers")
                                        .mapTo(String.class)
                                        .list());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        property(command, "server.adminConnectors[0].port", "0");
        property(command, "database.url", databaseUrl);
        property(command, "database.user", TestDatabase.user());
        property(command, "database.password", TestDatabase.password());
        property(command, "smtp.host", "127.0.0.1");
        property(command, "smtp.port", Integer.toString(smtpPort));
        property(command, "mailLinks.secret", LINK_SECRET);
        property(command, "logging.level", "INFO");
        settings.forEach((key, value) -> property(command, key, value));
        command.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        CampaignWorkerApplication.class.getName(),
                        "server",
                        Path.of("..", "config", "campaign-worker.yml")
                                .toAbsolutePath()
                                .normalize()
                                .toString()));
        Process process;
        try {
            process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(
                                    ProcessBuilder.Redirect.appendTo(
                                            Path.of("target", name + ".log").toFile()))
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The worker's one id is its Quartz instance id and its heartbeat's: the scheduler's
        // check-in row says it has joined the cluster.
        String workerId =
                await("worker " + name + " joins the cluster")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () -> {
                                    if (!process.isAlive()) {
                                        throw new IllegalStateException(
                                                "worker "
                                                        + name
                                                        + " exited; see target/"
                                                        + name
                                                        + ".log");
                                    }
                                    return joined(jdbi, earlier);
                                },
                                Optional::isPresent)
                        .orElseThrow();
        return new WorkerProcess(process, workerId);
    }

    private static Optional<String> joined(Jdbi jdbi, List<String> earlier) {
        try {
            return joinedOrFail(jdbi).stream().filter(id -> !earlier.contains(id)).findFirst();
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException noQuartzTablesYet) {
            return Optional.empty();
        }
    }

    /** The workers whose heartbeat and Quartz check-in rows are both there. */
    private static List<String> joinedOrFail(Jdbi jdbi) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT w.worker_id FROM campaign_workers w"
                                                + " JOIN QRTZ_SCHEDULER_STATE s"
                                                + " ON s.INSTANCE_NAME = w.worker_id")
                                .mapTo(String.class)
                                .list());
    }

    private static void property(List<String> command, String key, String value) {
        command.add("-Ddw." + key + "=" + value);
    }

    /** Its one id: Quartz instance, heartbeat, training and ledger claims. */
    String workerId() {
        return workerId;
    }

    /** SIGKILL; returns once the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM; returns once the process has run its shutdown and exited. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "worker " + workerId + " did not exit within 60 s of SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
