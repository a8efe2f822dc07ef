package io.hilal.core.testing;

import io.hilal.core.db.EmbeddedDatabase;
import io.hilal.core.db.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import javax.sql.DataSource;

/**
 * An embedded MariaDB of one test class's own, on a fixed port and data folder, whose server
 * process the test can kill (SIGKILL, as a crash or the OOM killer would) and start again on the
 * same data: killing the shared {@link TestDatabase} would fail every other test of the run.
 */
public final class KillableDatabase implements AutoCloseable {
    private final Path folder;
    private final int port;
    private EmbeddedDatabase server;

    private KillableDatabase(Path folder, int port) {
        this.folder = folder;
        this.port = port;
        this.server = EmbeddedDatabase.start(folder, port, false);
    }

    /** Starts a server under {@code target/} named {@code name}, with one migrated schema. */
    public static KillableDatabase start(String name) {
        Path folder =
                Path.of("target", name + "-" + ProcessHandle.current().pid())
                        .toAbsolutePath()
                        .normalize();
        KillableDatabase database = new KillableDatabase(folder, freePort());
        database.server.createSchema("hilal");
        Migrations.migrate(database.dataSource());
        return database;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return server.jdbcUrl("hilal");
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    /** Unpooled connections to the schema, for setup and checks. */
    public DataSource dataSource() {
        com.mysql.cj.jdbc.MysqlDataSource source = new com.mysql.cj.jdbc.MysqlDataSource();
        source.setURL(url());
        source.setUser(user());
        source.setPassword(password());
        return source;
    }

    /** SIGKILL to this server's mysqld (mariadbd); returns once it is gone. */
    public void kill() {
        ProcessHandle mysqld =
                ProcessHandle.current()
                        .descendants()
                        .filter(p -> p.info().command().orElse("").matches(".*/(mysqld|mariadbd)"))
                        .filter(p -> p.info().commandLine().orElse("").contains(folder.toString()))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no mysqld in " + folder));
        mysqld.destroyForcibly();
        mysqld.onExit().join();
    }

    /** Starts the server again on the same port and data, as an init system would. */
    public void restart() {
        server = EmbeddedDatabase.start(folder, port, false);
    }

    @Override
    public void close() {
        server.close();
        try (var paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
