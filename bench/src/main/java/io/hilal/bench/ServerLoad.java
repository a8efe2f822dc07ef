package io.hilal.bench;

import io.hilal.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one database server has done so far: the CPU of its process (a child of this JVM, found by
 * the {@code --port} it was started with) and the server's own counters of statements, row writes
 * and reads and redo. Two snapshots taken around a phase give each pod's share of the load.
 */
record ServerLoad(
        long cpuNanos,
        long questions,
        long rowsWritten,
        long rowsUpdated,
        long indexReads,
        long redoBytes) {
    private static final String COUNTERS =
            "'Questions','Handler_write','Handler_update','Handler_read_key','Handler_read_next',"
                    + "'Innodb_lsn_current'";

    static ServerLoad now(TestDatabase.Server server) {
        Map<String, Long> status = new LinkedHashMap<>();
        try (Connection connection =
                        DriverManager.getConnection(
                                server.jdbcUrl(""), server.user(), server.password());
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SHOW GLOBAL STATUS WHERE Variable_name IN (" + COUNTERS + ")")) {
            while (rows.next()) {
                status.put(rows.getString(1), Long.parseLong(rows.getString(2)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read " + server + "'s status", e);
        }
        return new ServerLoad(
                cpuOf(server.port()),
                status.getOrDefault("Questions", 0L),
                status.getOrDefault("Handler_write", 0L),
                status.getOrDefault("Handler_update", 0L),
                status.getOrDefault("Handler_read_key", 0L)
                        + status.getOrDefault("Handler_read_next", 0L),
                status.getOrDefault("Innodb_lsn_current", 0L));
    }

    /** What was done between {@code before} and {@code after}. */
    static ServerLoad between(ServerLoad before, ServerLoad after) {
        return new ServerLoad(
                after.cpuNanos - before.cpuNanos,
                after.questions - before.questions,
                after.rowsWritten - before.rowsWritten,
                after.rowsUpdated - before.rowsUpdated,
                after.indexReads - before.indexReads,
                after.redoBytes - before.redoBytes);
    }

    /** -1 when no child process of this JVM listens on the port (a server started elsewhere). */
    private static long cpuOf(int port) {
        String flag = "--port=" + port;
        return ProcessHandle.current()
                .descendants()
                .filter(
                        process ->
                                process.info()
                                        .arguments()
                                        .map(arguments -> Arrays.asList(arguments).contains(flag))
                                        .orElse(false))
                .mapToLong(
                        process ->
                                process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .reduce(Long::sum)
                .orElse(-1L);
    }
}
