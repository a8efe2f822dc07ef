package io.hilal.core.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's packaged MariaDB server ({@code apt-get install mariadb-server}) started as a process of
 * its own, in a fresh folder under {@code target/}, on a free loopback port: the path of a real
 * deployment, whose database is another process, rather than the embedded one. Nothing of the
 * system's MariaDB (its service, {@code /var/lib/mysql}) is touched. The server runs with the
 * settings the embedded one has ({@link io.hilal.core.db.EmbeddedDatabase}), so the same tests
 * hold, and stops when the test JVM exits.
 */
final class PackagedMariadb {
    /** Where Debian puts the server; {@code PATH} is searched first. */
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/sbin", "/usr/bin");

    private PackagedMariadb() {}

    /** The server's program, when the package is installed. */
    static Optional<Path> installed() {
        return program("mariadbd");
    }

    static TestDatabase.Server start() {
        Path server =
                installed()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "Debian's mariadb-server is not installed"
                                                        + " (apt-get install mariadb-server)"));
        Path installer =
                program("mariadb-install-db")
                        .orElseThrow(() -> new IllegalStateException("no mariadb-install-db"));
        try {
            Path folder =
                    Files.createTempDirectory(
                                    Files.createDirectories(Path.of("target")), "packaged-mariadb-")
                            .toAbsolutePath();
            Path data = folder.resolve("data");
            // A Unix socket's path has at most 107 bytes: a deep checkout's target/ can be longer.
            Path socket = Files.createTempDirectory("hilal-mariadb-").resolve("mysqld.sock");
            String user = System.getProperty("user.name");
            run(
                    folder.resolve("install.log"),
                    installer.toString(),
                    "--no-defaults",
                    "--datadir=" + data,
                    "--user=" + user,
                    "--auth-root-authentication-method=normal",
                    "--skip-test-db");
            int port = freePort();
            Process process =
                    new ProcessBuilder(
                                    server.toString(),
                                    "--no-defaults",
                                    "--datadir=" + data,
                                    "--socket=" + socket,
                                    "--port=" + port,
                                    "--bind-address=127.0.0.1",
                                    "--user=" + user,
                                    "--character-set-server=utf8mb4",
                                    "--collation-server=utf8mb4_bin",
                                    "--innodb-flush-log-at-trx-commit=1",
                                    "--max-connections=500",
                                    "--log-error=" + folder.resolve("error.log"))
                            .redirectErrorStream(true)
                            .redirectOutput(folder.resolve("server.out").toFile())
                            .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            // A fresh install's root may log in without a password, from localhost only: it makes
            // the account the tests use, as an operator would make Hilal's.
            String rootUrl = "jdbc:mysql://127.0.0.1:" + port + "/?sslMode=DISABLED";
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            try (Connection root = connectWhenUp(process, rootUrl, folder);
                    Statement statement = root.createStatement()) {
                statement.execute(
                        "CREATE USER 'hilal'@'127.0.0.1' IDENTIFIED BY '" + password + "'");
                statement.execute("GRANT ALL PRIVILEGES ON *.* TO 'hilal'@'127.0.0.1'");
            }
            return new TestDatabase.Server("127.0.0.1", port, "hilal", password);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Could not start Debian's MariaDB server", e);
        }
    }

    private static Connection connectWhenUp(Process process, String url, Path folder)
            throws SQLException, IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                return DriverManager.getConnection(url, "root", "");
            } catch (SQLException notYet) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "MariaDB did not start; its log: "
                                    + Files.readString(folder.resolve("error.log")),
                            notYet);
                }
                // A separate process: the only way to know it is up is to ask it, again.
                try {
                    process.waitFor(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static void run(Path log, String... command) throws IOException {
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Optional<Path> program(String name) {
        String path = System.getenv("PATH");
        Stream<String> directories =
                Stream.concat(
                        path == null ? Stream.empty() : Stream.of(path.split(":")),
                        SYSTEM_DIRECTORIES.stream());
        return directories
                .map(directory -> Path.of(directory, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
