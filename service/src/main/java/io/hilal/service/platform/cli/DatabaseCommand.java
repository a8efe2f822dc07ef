package io.hilal.service.platform.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.hilal.core.db.Database;
import io.hilal.service.HilalConfiguration;
import net.sourceforge.argparse4j.inf.Namespace;

/** A command that needs the database: opens it (migrated), runs, and closes it. */
abstract class DatabaseCommand extends ConfiguredCommand<HilalConfiguration> {
    DatabaseCommand(String name, String description) {
        super(name, description);
    }

    @Override
    protected final void run(
            Bootstrap<HilalConfiguration> bootstrap, Namespace namespace, HilalConfiguration config)
            throws Exception {
        Database database = config.getDatabase().open("hilal-cli");
        try {
            run(database, namespace, bootstrap);
        } finally {
            database.close();
        }
    }

    abstract void run(
            Database database, Namespace namespace, Bootstrap<HilalConfiguration> bootstrap)
            throws Exception;
}
