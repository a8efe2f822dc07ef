package io.hilal.core.pods;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Sends each connection to the database of the thread's {@link DbScope}: a tenant's to its pod (the
 * directory in the home database says which, cached for {@code refresh}), a pod's to that pod, home
 * to the home database. With one pod (a single-database install) every connection is the home
 * database's, scoped or not, exactly as before pods existed. With more than one, a connection asked
 * for outside any scope is refused: a query that forgot its tenant fails rather than landing in the
 * home database. A tenant {@link Placement#frozen() frozen} for a move gets read-only connections,
 * so its writes fail (and are answered 503, retry) while its data is switched to another pod.
 */
public final class PodRouter implements AutoCloseable {
    /** Which of a pod's two pools: the API's, or the campaign sender's (multi-statement). */
    public enum Family {
        API,
        SENDER
    }

    /** Opens a pool on a pod (not home), migrating its schema first when the process migrates. */
    @FunctionalInterface
    public interface PoolOpener {
        DataSource open(Pod pod, Family family);
    }

    private final Jdbi home;
    private final Map<Family, DataSource> homePools;
    private final PoolOpener opener;
    private final Duration refresh;
    private final Map<String, Map<Family, DataSource>> podPools = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> openByTenant = new ConcurrentHashMap<>();
    private final LoadingCache<String, Optional<Placement>> placements;
    private volatile Map<String, Pod> pods;
    private volatile long podsLoadedAt;
    private volatile boolean podsStale;

    public PodRouter(
            Jdbi home,
            DataSource homeApi,
            DataSource homeSender,
            PoolOpener opener,
            Duration refresh) {
        this.home = home;
        this.homePools = Map.of(Family.API, homeApi, Family.SENDER, homeSender);
        this.opener = opener;
        this.refresh = refresh;
        this.placements =
                Caffeine.newBuilder()
                        .expireAfterWrite(refresh)
                        .build(
                                tenantId ->
                                        home.withExtension(
                                                PodDirectoryDao.class,
                                                dao -> dao.placement(tenantId)));
        reloadPods();
    }

    /** A data source whose connections go where the calling thread's scope says. */
    public DataSource dataSource(Family family) {
        return new Routed(family, null);
    }

    /**
     * A data source whose connections are always the tenant's, whatever the calling thread's scope:
     * for a unit of work on threads it does not own (the demo's campaign, sent by a Quartz job and
     * an executor), where a thread's scope cannot be carried.
     */
    public DataSource tenantDataSource(String tenantId, Family family) {
        return new Routed(family, DbScope.forTenant(tenantId));
    }

    /** The pods of the directory, home first. */
    public List<Pod> pods() {
        Map<String, Pod> current = currentPods();
        return current.values().stream()
                .sorted((a, b) -> a.isHome() ? -1 : b.isHome() ? 1 : a.podId().compareTo(b.podId()))
                .toList();
    }

    public List<String> podIds() {
        return pods().stream().map(Pod::podId).toList();
    }

    public boolean multiPod() {
        return currentPods().size() > 1;
    }

    /** The tenant's placement, as this process sees it now (cached for the refresh period). */
    public Optional<Placement> placement(String tenantId) {
        return placements.get(tenantId);
    }

    /** Forgets what this process cached about a tenant, after changing it. */
    public void invalidate(String tenantId) {
        placements.invalidate(tenantId);
    }

    /** How long another process may keep acting on a directory entry it has read. */
    public Duration refresh() {
        return refresh;
    }

    /**
     * Writable connections this process has open for the tenant right now: a move, once the tenant
     * is frozen, waits for none to be left.
     */
    public int openConnections(String tenantId) {
        AtomicInteger open = openByTenant.get(tenantId);
        return open == null ? 0 : open.get();
    }

    /** The pod's own pool, whatever the thread's scope (for moving rows between pods). */
    public DataSource podDataSource(String podId, Family family) {
        Pod pod = currentPods().get(podId);
        if (pod == null) {
            reloadPods();
            pod = currentPods().get(podId);
        }
        if (pod == null) {
            throw new IllegalStateException("No pod '" + podId + "' in the directory");
        }
        return pool(pod, family);
    }

    /**
     * Opens (and, when this process migrates, migrates) a pod not yet in the directory, so that it
     * is known to work before any tenant can be placed there.
     */
    public void open(Pod pod) {
        Map<Family, DataSource> pools = new ConcurrentHashMap<>();
        pools.put(Family.API, opener.open(pod, Family.API));
        Map<Family, DataSource> before = podPools.putIfAbsent(pod.podId(), pools);
        if (before != null) {
            closeAll(pools);
        }
    }

    /** The API pool of a pod opened by {@link #open}, listed in the directory or not yet. */
    public DataSource podPool(String podId) {
        Map<Family, DataSource> pools = podPools.get(podId);
        if (pools == null) {
            throw new IllegalStateException("Pod '" + podId + "' is not open");
        }
        return pools.get(Family.API);
    }

    /** Closes the pools of a pod that was opened but will not be listed. */
    public void forget(String podId) {
        Map<Family, DataSource> pools = podPools.remove(podId);
        if (pools != null) {
            closeAll(pools);
        }
    }

    /** Reads the list of pods again at the next connection, after changing it. */
    public void refreshPods() {
        podsStale = true;
    }

    /** Which server and schema a pool reaches: two pods must never be the same database. */
    public static String identity(DataSource pool) {
        try (Connection connection = pool.getConnection();
                java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet row =
                        statement.executeQuery(
                                "SELECT @@hostname, @@port, @@datadir, DATABASE()")) {
            row.next();
            return row.getString(1)
                    + ":"
                    + row.getInt(2)
                    + ":"
                    + row.getString(3)
                    + "/"
                    + row.getString(4);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not identify a pod's database", e);
        }
    }

    private DataSource pool(Pod pod, Family family) {
        if (pod.isHome()) {
            return homePools.get(family);
        }
        return podPools.computeIfAbsent(pod.podId(), id -> new ConcurrentHashMap<>())
                .computeIfAbsent(family, f -> opener.open(pod, f));
    }

    private Map<String, Pod> currentPods() {
        if (podsStale || System.nanoTime() - podsLoadedAt > refresh.toNanos()) {
            reloadPods();
        }
        return pods;
    }

    private void reloadPods() {
        Map<String, Pod> loaded = new LinkedHashMap<>();
        try {
            for (Pod pod : home.withExtension(PodDirectoryDao.class, PodDirectoryDao::pods)) {
                loaded.put(pod.podId(), pod);
            }
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            if (!noDirectoryYet(e)) {
                throw e;
            }
            // A schema from before pods (migration off, `migrate` about to run): one database.
            loaded.put(
                    Pod.HOME_ID,
                    new Pod(Pod.HOME_ID, null, null, null, null, true, Pod.Status.ACTIVE));
        }
        pods = loaded;
        podsLoadedAt = System.nanoTime();
        podsStale = false;
    }

    private static boolean noDirectoryYet(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == 1146) {
                return true; // ER_NO_SUCH_TABLE
            }
        }
        return false;
    }

    private Connection connection(DbScope scope, Family family, String user, String password)
            throws SQLException {
        if (scope != null && scope.kind() == DbScope.Kind.HOME) {
            return open(homePools.get(family), user, password);
        }
        if (!multiPod()) {
            // One database: where everything has always gone.
            return open(homePools.get(family), user, password);
        }
        if (scope == null) {
            throw new MissingScopeException(
                    "A database connection was asked for outside any tenant or pod scope, and"
                            + " there are several pods: refusing rather than guessing the home"
                            + " database");
        }
        if (scope.kind() == DbScope.Kind.POD) {
            return open(podDataSource(scope.id(), family), user, password);
        }
        String tenantId = scope.id();
        Placement placement =
                placement(tenantId)
                        .orElseThrow(
                                () ->
                                        new MissingScopeException(
                                                "Tenant "
                                                        + tenantId
                                                        + " has no pod in the directory"));
        Connection connection = open(podDataSource(placement.podId(), family), user, password);
        try {
            if (placement.frozen()) {
                connection.setReadOnly(true);
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return counted(tenantId, connection, placement.frozen());
    }

    private static Connection open(DataSource pool, String user, String password)
            throws SQLException {
        return user == null ? pool.getConnection() : pool.getConnection(user, password);
    }

    /**
     * The connection, counted among the tenant's open ones until closed, and given back to its pool
     * writable again if it was lent read-only.
     */
    private Connection counted(String tenantId, Connection connection, boolean readOnly) {
        // Only writable connections matter to a move: a frozen tenant's cannot write.
        AtomicInteger open =
                readOnly
                        ? new AtomicInteger()
                        : openByTenant.computeIfAbsent(tenantId, id -> new AtomicInteger());
        open.incrementAndGet();
        boolean[] closed = {false};
        return (Connection)
                Proxy.newProxyInstance(
                        Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("close")
                                    && method.getParameterCount() == 0) {
                                synchronized (closed) {
                                    if (closed[0]) {
                                        return null;
                                    }
                                    closed[0] = true;
                                }
                                try {
                                    if (readOnly) {
                                        connection.setReadOnly(false);
                                    }
                                } finally {
                                    open.decrementAndGet();
                                    connection.close();
                                }
                                return null;
                            }
                            try {
                                return method.invoke(connection, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
    }

    @Override
    public void close() {
        for (Map<Family, DataSource> pools : podPools.values()) {
            closeAll(pools);
        }
        podPools.clear();
    }

    private static void closeAll(Map<Family, DataSource> pools) {
        for (DataSource pool : pools.values()) {
            if (pool instanceof org.apache.tomcat.jdbc.pool.DataSource tomcat) {
                tomcat.close(true);
            } else if (pool instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // Closing at shutdown: nothing to do about a pool that fails to.
                }
            }
        }
    }

    /** Thrown when a query could go to the wrong database: a bug, never a client's error. */
    public static final class MissingScopeException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MissingScopeException(String message) {
            super(message);
        }
    }

    private final class Routed implements DataSource {
        private final Family family;
        private final DbScope fixed;

        /** {@code fixed}: the scope of every connection; null: the calling thread's. */
        Routed(Family family, DbScope fixed) {
            this.family = family;
            this.fixed = fixed;
        }

        private DbScope scope() {
            return fixed == null ? DbScope.current() : fixed;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return connection(scope(), family, null, null);
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return connection(scope(), family, user, password);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            throw new SQLException("Not a wrapper of " + type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return type.isInstance(this);
        }
    }
}
