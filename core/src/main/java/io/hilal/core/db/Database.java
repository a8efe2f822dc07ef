package io.hilal.core.db;

import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The open database: Jdbi over a pool for everything but the campaign sender, which has a pool of
 * its own whose connections may send several statements in one round trip ({@link
 * JdbcUrls#forSender}), and the embedded server when this process started one. The sender's pool
 * opens no connection until it is used.
 */
public record Database(
        Jdbi jdbi,
        org.apache.tomcat.jdbc.pool.DataSource pool,
        Jdbi senderJdbi,
        org.apache.tomcat.jdbc.pool.DataSource senderPool,
        EmbeddedDatabase embedded)
        implements AutoCloseable {

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close(true);
        senderPool.close(true);
        if (embedded != null) {
            embedded.close();
        }
    }
}
