package io.hilal.core.testing;

import io.hilal.core.db.EmbeddedDatabase;
import io.hilal.core.db.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;

/**
 * An embedded MariaDB of one test class's own whose storage is bounded, to see what a full disk
 * does without filling the machine's: every table lives in InnoDB's system tablespace ({@code
 * innodb_file_per_table=OFF}), which may grow to {@code maxMegabytes} and no further. {@link #fill}
 * takes the room left with a table of padding, so the next write that needs a page fails as it
 * would on a full disk (MariaDB's error 1114, "The table … is full"); {@link #free} drops it, as an
 * operator making room would, and the pages are reused.
 */
public final class CappedDatabase implements AutoCloseable {
    private static final int ER_RECORD_FILE_FULL = 1114;
    private static final int PADDING_BYTES = 7000;

    private final Path folder;
    private final int port;
    private EmbeddedDatabase server;

    private CappedDatabase(Path folder, int port, int maxMegabytes) {
        this.folder = folder;
        this.port = port;
        this.server = EmbeddedDatabase.start(folder, port, false, options(maxMegabytes));
    }

    private static List<String> options(int maxMegabytes) {
        return List.of(
                "--innodb-file-per-table=OFF",
                // 12M: the size the installer created ibdata1 with.
                "--innodb-data-file-path=ibdata1:12M:autoextend:max:" + maxMegabytes + "M");
    }

    /** Starts a server under {@code target/} named {@code name}, with one migrated schema. */
    public static CappedDatabase start(String name, int maxMegabytes) {
        Path folder =
                Path.of("target", name + "-" + ProcessHandle.current().pid())
                        .toAbsolutePath()
                        .normalize();
        CappedDatabase database = new CappedDatabase(folder, freePort(), maxMegabytes);
        database.server.createSchema("hilal");
        Migrations.migrate(database.dataSource());
        return database;
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the server again on the same port and data with a higher limit, as an operator would
     * after it stopped for want of room (MariaDB aborts when it cannot roll a write back).
     */
    public void restart(int maxMegabytes) {
        try {
            server.close();
        } catch (RuntimeException alreadyGone) {
            // The crashed server's process is gone; there is nothing left to stop.
        }
        server = EmbeddedDatabase.start(folder, port, false, options(maxMegabytes));
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

    /**
     * Pads the tablespace until InnoDB refuses rows of every size down to 100 bytes as "table is
     * full", so that no write needing a new page fits; returns how many rows it took. Bounded by
     * the tablespace's limit. The rows stay in their pages: a refused row with a part stored off
     * the page (a BLOB's) has to be rolled back, and MariaDB aborts when it has no room left to
     * roll back ("Out of disk space in rollback").
     */
    public int fill() {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS test_padding (id INT AUTO_INCREMENT PRIMARY KEY,"
                            + " pad VARBINARY(7000) NOT NULL) ENGINE=InnoDB");
            // Committed a hundred rows at a time: one flush per row would take long.
            connection.setAutoCommit(false);
            int rows = 0;
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO test_padding (pad) VALUES (?)")) {
                for (int size = PADDING_BYTES; size >= 100; size /= 4) {
                    insert.setBytes(1, new byte[size]);
                    rows += insertUntilFull(connection, insert);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not fill the tablespace", e);
        }
    }

    private static int insertUntilFull(Connection connection, PreparedStatement insert)
            throws SQLException {
        for (int rows = 0; ; rows++) {
            try {
                insert.executeUpdate();
                if (rows % 100 == 99) {
                    connection.commit();
                }
            } catch (SQLException full) {
                if (full.getErrorCode() != ER_RECORD_FILE_FULL) {
                    throw full;
                }
                // Only the refused statement is undone: keep the rows before it.
                connection.commit();
                return rows;
            }
        }
    }

    /** Drops the padding: once purged, its pages are free for every table again. */
    public void free() {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS test_padding");
            // The dropped table's pages are freed by InnoDB's purge, in the background: wait for
            // it (MariaDB 10.5.7+), as the operator would wait for the space to show.
            statement.execute("SET GLOBAL innodb_max_purge_lag_wait = 0");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the padding", e);
        }
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
