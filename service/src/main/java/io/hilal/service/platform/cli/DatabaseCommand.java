package io.hilal.service.platform.cli;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.platform.db.HilalDatabase;
import io.hilal.service.platform.db.Startup;
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
        HilalDatabase database = Startup.openDatabase(config.getDatabase(), new MetricRegistry());
        try {
            run(database, namespace, bootstrap);
        } finally {
            database.stop();
        }
    }

    abstract void run(
            HilalDatabase database, Namespace namespace, Bootstrap<HilalConfiguration> bootstrap)
            throws Exception;
}
