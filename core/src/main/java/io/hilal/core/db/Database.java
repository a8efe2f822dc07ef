package io.hilal.core.db;

import io.hilal.core.pods.PodRouter;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The open database: Jdbi over a pool for everything but the campaign sender, which has a pool of
 * its own whose connections may send several statements in one round trip ({@link
 * JdbcUrls#forSender}), and the embedded server when this process started one. The sender's pool
 * opens no connection until it is used.
 *
 * <p>{@link #jdbi} and {@link #senderJdbi} are routed by tenant ({@link PodRouter}): on a
 * single-database install they are the home database's, as they always were; with several pods a
 * query runs in the pod of the thread's {@link io.hilal.core.pods.DbScope}. {@link #homeJdbi} is
 * the home database's always: the directory, tenants, keys, dashboard accounts, operator data and
 * Quartz, and {@link #pool} is its pool.
 */
public record Database(
        Jdbi jdbi,
        org.apache.tomcat.jdbc.pool.DataSource pool,
        Jdbi senderJdbi,
        org.apache.tomcat.jdbc.pool.DataSource senderPool,
        EmbeddedDatabase embedded,
        Jdbi homeJdbi,
        PodRouter pods)
        implements AutoCloseable {

    public DataSource dataSource() {
        return pool;
    }

    /**
     * Says the application is up and its orderly stop closes this database last ({@link #close}
     * from a lifecycle stop): the embedded server this process started, if any, then waits for that
     * at exit instead of stopping under the application's last writes. Call it once the
     * application's shutdown hook is in place (a lifecycle start), so that a process failing to
     * start still stops its server at once.
     */
    public Database closedByTheApplication() {
        if (embedded != null) {
            embedded.stopsWithTheApplication();
        }
        return this;
    }

    @Override
    public void close() {
        pods.close();
        pool.close(true);
        senderPool.close(true);
        if (embedded != null) {
            embedded.close();
        }
    }
}
