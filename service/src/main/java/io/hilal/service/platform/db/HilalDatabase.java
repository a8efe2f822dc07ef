package io.hilal.service.platform.db;

import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import io.hilal.core.db.EmbeddedDatabase;
import org.jdbi.v3.core.Jdbi;

/** The open database: Jdbi over a pool, and the embedded server when this process started one. */
public record HilalDatabase(Jdbi jdbi, ManagedDataSource dataSource, EmbeddedDatabase embedded)
        implements Managed {

    @Override
    public void start() throws Exception {
        dataSource.start();
    }

    @Override
    public void stop() throws Exception {
        dataSource.stop();
        if (embedded != null) {
            embedded.close();
        }
    }
}
