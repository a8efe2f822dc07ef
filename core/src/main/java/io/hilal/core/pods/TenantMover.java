package io.hilal.core.pods;

import io.hilal.core.db.HilalJdbi;
import io.hilal.core.error.ConflictException;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.error.ValidationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one tenant's rows to another pod while it keeps ingesting:
 *
 * <ol>
 *   <li><b>copy</b> every row of the tenant, table by table (state {@code COPYING}: the tenant
 *       reads and writes its old pod as usual);
 *   <li><b>catch up</b>: copy again what changed since the copy began, by each table's {@code
 *       updated_at} or {@code received_at} (order lines with their events), the small tables whole;
 *   <li><b>switch</b>: freeze the tenant ({@code FROZEN}: its connections are read-only, so its
 *       writes are answered 503 and retried by the client), wait until no process can still hold a
 *       writable connection for it, catch up once more, <b>verify</b> that every table has as many
 *       of its rows in the target as in the source, and the same bytes in its model artifacts'
 *       chunks (a table that does not is copied whole again, and a second mismatch aborts the
 *       move), then point the directory at the target;
 *   <li><b>remove</b> the tenant's rows from the source, once no process reads there any more.
 * </ol>
 *
 * Sends are safe through it: a send is claimed with a write, so none can start while the tenant is
 * frozen, and one already started when the freeze came cannot record its outcome; it is copied as
 * in flight (its worker's SENDING row), never sent again, and its live worker records how it ended
 * in the new pod after the switch ({@code CampaignSender}); a worker that died meanwhile leaves it
 * of unknown fate, as any crash does (see {@code SendLedger}).
 */
public final class TenantMover {
    private static final Logger LOG = LoggerFactory.getLogger(TenantMover.class);

    /** Tables of the home database only: never copied, never removed. */
    static final Set<String> HOME_ONLY =
            Set.of(
                    "api_keys",
                    "dashboard_users",
                    "dashboard_sessions",
                    "tenant_quotas",
                    "tenant_pods",
                    "pods");

    /** How late a row may commit after the time it was stamped with (a request's longest). */
    private static final Duration SLACK = Duration.ofMinutes(1);

    private static final int BATCH = 500;

    /**
     * A batch is written once its values reach this many bytes, however few its rows: 500 model
     * artifact chunks would be 250 MiB in memory and in one statement.
     */
    private static final long BATCH_BYTES = 8L << 20;

    /**
     * Tables whose rows' contents are compared after the copy, not only counted: a column, by the
     * sum of its values' lengths and checksums. A model artifact's chunk copied short or damaged
     * would otherwise pass the count and break the model in its new pod.
     */
    static final java.util.Map<String, String> CHECKSUMMED =
            java.util.Map.of("model_artifact_chunks", "data");

    private final PodRouter router;
    private final Jdbi home;
    private final Clock clock;
    private final Duration grace;

    /**
     * {@code grace}: how long, after every process has seen the freeze, a write it began before may
     * still be running (the longest request; the database pool's wait bounds most).
     */
    public TenantMover(PodRouter router, Jdbi home, Clock clock, Duration grace) {
        this.router = router;
        this.home = home;
        this.clock = clock;
        this.grace = grace;
    }

    public record TableCount(String table, long source, long target) {}

    public record MoveReport(
            String tenantId,
            String fromPod,
            String toPod,
            long copiedRows,
            long frozenMillis,
            List<TableCount> counts) {}

    public MoveReport move(String tenantId, String targetPodId) {
        Placement placement =
                home.withExtension(PodDirectoryDao.class, dao -> dao.placement(tenantId))
                        .orElseThrow(() -> new NotFoundException("tenant", tenantId));
        Pod target =
                router.pods().stream()
                        .filter(pod -> pod.podId().equals(targetPodId))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new ValidationException(
                                                "targetPod", "no pod '" + targetPodId + "'"));
        if (target.status() != Pod.Status.ACTIVE) {
            throw new ValidationException("targetPod", "pod '" + targetPodId + "' is closed");
        }
        String source = placement.podId();
        if (source.equals(targetPodId)) {
            throw new ValidationException("targetPod", "the tenant is already in this pod");
        }
        if (placement.state() != Placement.State.ACTIVE
                || transition(
                                tenantId,
                                Placement.State.ACTIVE,
                                Placement.State.COPYING,
                                targetPodId)
                        == 0) {
            throw new ConflictException(
                    "tenant_moving", "Tenant " + tenantId + " is already being moved");
        }
        Copier copier =
                new Copier(
                        tenantId,
                        router.podDataSource(source, PodRouter.Family.API),
                        router.podDataSource(targetPodId, PodRouter.Family.API),
                        Pod.HOME_ID.equals(source),
                        Pod.HOME_ID.equals(targetPodId));
        boolean switched = false;
        try {
            List<Table> tables = copier.tables();
            Instant copyStart = clock.instant();
            long copied = 0;
            for (Table table : tables) {
                copier.clearTarget(table);
                copied += copier.copyAll(table);
            }
            Instant catchUpStart = clock.instant();
            for (Table table : tables) {
                copied += copier.catchUp(table, copyStart.minus(SLACK));
            }
            LOG.info("Move of {}: {} rows copied to {}, switching", tenantId, copied, targetPodId);

            long frozenAt = System.nanoTime();
            if (transition(tenantId, Placement.State.COPYING, Placement.State.FROZEN, targetPodId)
                    == 0) {
                throw new ConflictException(
                        "tenant_moving", "The move of tenant " + tenantId + " was interrupted");
            }
            router.invalidate(tenantId);
            waitForWriters(tenantId);
            for (Table table : tables) {
                copied += copier.catchUp(table, catchUpStart.minus(SLACK));
            }
            List<TableCount> counts = new ArrayList<>();
            for (Table table : tables) {
                TableCount count = copier.count(table);
                if (count.source() != count.target() || !copier.sameContents(table)) {
                    // Rows deleted in the source since the copy, or changed without a stamp:
                    // the table again, whole, while nothing can write it.
                    copier.clearTarget(table);
                    copied += copier.copyAll(table);
                    count = copier.count(table);
                }
                if (count.source() != count.target() || !copier.sameContents(table)) {
                    throw new ConflictException(
                            "move_failed",
                            "Table "
                                    + table.name()
                                    + " has "
                                    + count.source()
                                    + " rows of the tenant in the source and "
                                    + count.target()
                                    + " in the target (or other contents) after copying it"
                                    + " whole; the tenant stays where it was");
                }
                counts.add(count);
            }
            if (home.withExtension(
                            PodDirectoryDao.class,
                            dao -> dao.switchToTarget(tenantId, clock.instant()))
                    == 0) {
                throw new ConflictException(
                        "tenant_moving", "The move of tenant " + tenantId + " was interrupted");
            }
            switched = true;
            router.invalidate(tenantId);
            long frozenMillis = (System.nanoTime() - frozenAt) / 1_000_000;
            LOG.info(
                    "Move of {} switched to {} after {} ms frozen; removing it from {}",
                    tenantId,
                    targetPodId,
                    frozenMillis,
                    source);
            // Processes that read the directory before the switch still read the source (read
            // only) until their copy of it expires.
            pause(router.refresh());
            List<Table> childrenFirst = new ArrayList<>(tables);
            java.util.Collections.reverse(childrenFirst);
            for (Table table : childrenFirst) {
                copier.clearSource(table);
            }
            return new MoveReport(tenantId, source, targetPodId, copied, frozenMillis, counts);
        } catch (RuntimeException e) {
            if (!switched) {
                abort(tenantId, copier, e);
            }
            throw e;
        }
    }

    private void abort(String tenantId, Copier copier, RuntimeException cause) {
        LOG.warn("Move of {} aborted; it stays in its pod", tenantId, cause);
        try {
            home.useExtension(
                    PodDirectoryDao.class,
                    dao -> {
                        Instant now = clock.instant();
                        dao.transition(
                                tenantId,
                                Placement.State.FROZEN,
                                Placement.State.ACTIVE,
                                null,
                                now);
                        dao.transition(
                                tenantId,
                                Placement.State.COPYING,
                                Placement.State.ACTIVE,
                                null,
                                now);
                    });
            router.invalidate(tenantId);
            for (Table table : copier.tables()) {
                copier.clearTarget(table);
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private int transition(
            String tenantId, Placement.State from, Placement.State to, String targetPodId) {
        return home.withExtension(
                PodDirectoryDao.class,
                dao -> dao.transition(tenantId, from, to, targetPodId, clock.instant()));
    }

    /**
     * Until every process has read the freeze (its directory cache expired) and a write begun
     * before it had time to end; and, in this process, until no writable connection is left.
     */
    private void waitForWriters(String tenantId) {
        pause(router.refresh().plus(grace));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (router.openConnections(tenantId) > 0) {
            if (System.nanoTime() > deadline) {
                throw new ConflictException(
                        "move_failed",
                        "A writer of tenant " + tenantId + " kept its connection for a minute");
            }
            pause(Duration.ofMillis(10));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while moving a tenant", e);
        }
    }

    /** A table of tenant rows, and the column its changed rows can be found by, if any. */
    record Table(String name, String stamp) {}

    /** Row copying between two pods, over plain JDBC: the tables are whatever the schema has. */
    static final class Copier {
        private final String tenantId;
        private final DataSource source;
        private final DataSource target;
        private final boolean sourceIsHome;
        private final boolean targetIsHome;
        private List<Table> tables;

        Copier(
                String tenantId,
                DataSource source,
                DataSource target,
                boolean sourceIsHome,
                boolean targetIsHome) {
            this.tenantId = tenantId;
            this.source = source;
            this.target = target;
            this.sourceIsHome = sourceIsHome;
            this.targetIsHome = targetIsHome;
        }

        /**
         * Every table of the source's schema with a {@code tenant_id} column, but those kept in the
         * home database only; {@code tenants} first (the others' foreign keys point to it).
         */
        List<Table> tables() {
            if (tables != null) {
                return tables;
            }
            List<Table> found = new ArrayList<>();
            try (Connection connection = source.getConnection();
                    PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT c.TABLE_NAME,"
                                            + " MAX(CASE WHEN s.COLUMN_NAME = 'updated_at' THEN 2"
                                            + " WHEN s.COLUMN_NAME = 'received_at' THEN 1 ELSE 0 END)"
                                            + " FROM information_schema.COLUMNS c"
                                            + " JOIN information_schema.TABLES t ON t.TABLE_SCHEMA ="
                                            + " c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME AND"
                                            + " t.TABLE_TYPE = 'BASE TABLE'"
                                            + " JOIN information_schema.COLUMNS s ON s.TABLE_SCHEMA ="
                                            + " c.TABLE_SCHEMA AND s.TABLE_NAME = c.TABLE_NAME"
                                            + " WHERE c.TABLE_SCHEMA = DATABASE() AND c.COLUMN_NAME ="
                                            + " 'tenant_id' GROUP BY c.TABLE_NAME ORDER BY"
                                            + " c.TABLE_NAME <> 'tenants', c.TABLE_NAME");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    if (HOME_ONLY.contains(name)) {
                        continue;
                    }
                    String stamp =
                            switch (rows.getInt(2)) {
                                case 2 -> "updated_at";
                                case 1 -> "received_at";
                                default -> null;
                            };
                    found.add(new Table(name, stamp));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not list the tenant tables", e);
            }
            tables = List.copyOf(found);
            return tables;
        }

        long copyAll(Table table) {
            return copy(table, "", null);
        }

        /** Rows changed since {@code since}: by the table's stamp, or all of a small table. */
        long catchUp(Table table, Instant since) {
            if (table.stamp() != null) {
                return copy(table, " AND `" + table.stamp() + "` >= ?", since);
            }
            if (table.name().equals("order_lines")) {
                // Written in the transaction of their event, so new lines belong to new events.
                return copy(
                        table,
                        " AND message_id IN (SELECT message_id FROM events WHERE tenant_id = ?"
                                + " AND received_at >= ?)",
                        since);
            }
            return copyAll(table);
        }

        TableCount count(Table table) {
            return new TableCount(table.name(), count(source, table), count(target, table));
        }

        void clearTarget(Table table) {
            if (!(targetIsHome && isTenants(table))) {
                clear(target, table);
            }
        }

        void clearSource(Table table) {
            if (!(sourceIsHome && isTenants(table))) {
                clear(source, table);
            }
        }

        /** The home database keeps every tenant's row: its keys and accounts point to it. */
        private static boolean isTenants(Table table) {
            return table.name().equals("tenants");
        }

        /**
         * Whether the tenant's rows of a {@link #CHECKSUMMED} table hold the same bytes in both
         * pods (true for the other tables, which are counted only).
         */
        boolean sameContents(Table table) {
            String column = CHECKSUMMED.get(table.name());
            return column == null
                    || checksum(source, table, column).equals(checksum(target, table, column));
        }

        private String checksum(DataSource pod, Table table, String column) {
            try (Connection connection = pod.getConnection();
                    PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT CONCAT(COALESCE(SUM(LENGTH(`"
                                            + column
                                            + "`)), 0), '/', COALESCE(SUM(CRC32(`"
                                            + column
                                            + "`)), 0)) FROM `"
                                            + table.name()
                                            + "` WHERE tenant_id = ?")) {
                statement.setString(1, tenantId);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getString(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not checksum " + table.name(), e);
            }
        }

        private long count(DataSource pod, Table table) {
            try (Connection connection = pod.getConnection();
                    PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT COUNT(*) FROM `"
                                            + table.name()
                                            + "` WHERE tenant_id = ?")) {
                statement.setString(1, tenantId);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not count " + table.name(), e);
            }
        }

        private void clear(DataSource pod, Table table) {
            try (Connection connection = pod.getConnection();
                    PreparedStatement statement =
                            connection.prepareStatement(
                                    "DELETE FROM `"
                                            + table.name()
                                            + "` WHERE tenant_id = ? LIMIT 5000")) {
                statement.setString(1, tenantId);
                // Small transactions: a large tenant's rows would hold locks for long.
                while (statement.executeUpdate() > 0) {
                    // next chunk
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not clear " + table.name(), e);
            }
        }

        private long copy(Table table, String condition, Instant since) {
            String select = "SELECT * FROM `" + table.name() + "` WHERE tenant_id = ?" + condition;
            try (Connection from = source.getConnection();
                    Connection to = target.getConnection()) {
                try (Statement settings = to.createStatement()) {
                    // tenants is copied first, but a table's own references may point anywhere.
                    settings.execute("SET SESSION foreign_key_checks = 0");
                }
                to.setAutoCommit(false);
                try (PreparedStatement read = from.prepareStatement(select)) {
                    read.setString(1, tenantId);
                    if (since != null) {
                        int next = 2;
                        if (condition.contains("events WHERE tenant_id")) {
                            read.setString(next++, tenantId);
                        }
                        read.setObject(next, HilalJdbi.toUtc(since));
                    }
                    read.setFetchSize(Integer.MIN_VALUE); // streamed, not held in memory
                    try (ResultSet rows = read.executeQuery()) {
                        return write(table, rows, to);
                    }
                } finally {
                    to.rollback();
                    to.setAutoCommit(true);
                    try (Statement settings = to.createStatement()) {
                        settings.execute("SET SESSION foreign_key_checks = 1");
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not copy " + table.name(), e);
            }
        }

        private static long write(Table table, ResultSet rows, Connection to) throws SQLException {
            ResultSetMetaData meta = rows.getMetaData();
            int columns = meta.getColumnCount();
            StringBuilder sql = new StringBuilder("REPLACE INTO `" + table.name() + "` (");
            for (int i = 1; i <= columns; i++) {
                sql.append(i > 1 ? ", `" : "`").append(meta.getColumnName(i)).append('`');
            }
            sql.append(") VALUES (").append("?, ".repeat(columns - 1)).append("?)");
            long copied = 0;
            try (PreparedStatement insert = to.prepareStatement(sql.toString())) {
                int batched = 0;
                long batchedBytes = 0;
                while (rows.next()) {
                    for (int i = 1; i <= columns; i++) {
                        Object value = rows.getObject(i);
                        insert.setObject(i, value);
                        batchedBytes += value instanceof byte[] bytes ? bytes.length : 0;
                    }
                    insert.addBatch();
                    copied++;
                    if (++batched == BATCH || batchedBytes >= BATCH_BYTES) {
                        insert.executeBatch();
                        to.commit();
                        batched = 0;
                        batchedBytes = 0;
                    }
                }
                if (batched > 0) {
                    insert.executeBatch();
                    to.commit();
                }
            }
            return copied;
        }
    }
}
