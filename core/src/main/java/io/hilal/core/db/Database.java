package io.hilal.core.db;

import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/** The open database: Jdbi over a pool, and the embedded server when this process started one. */
public record Database(
        Jdbi jdbi, org.apache.tomcat.jdbc.pool.DataSource pool, EmbeddedDatabase embedded)
        implements AutoCloseable {

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close(true);
        if (embedded != null) {
            embedded.close();
        }
    }
}
