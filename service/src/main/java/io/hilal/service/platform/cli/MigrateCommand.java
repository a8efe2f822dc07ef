package io.hilal.service.platform.cli;

import io.dropwizard.core.setup.Bootstrap;
import io.hilal.core.db.Database;
import io.hilal.core.db.Migrations;
import io.hilal.service.HilalConfiguration;
import net.sourceforge.argparse4j.inf.Namespace;

/** {@code migrate}: brings the schema up to date (also done on start unless turned off). */
public final class MigrateCommand extends DatabaseCommand {
    public MigrateCommand() {
        super("migrate", "Migrate the database schema to the newest version");
    }

    @Override
    void run(Database database, Namespace namespace, Bootstrap<HilalConfiguration> bootstrap) {
        var result = Migrations.migrate(database.dataSource());
        System.out.println(
                "Schema at version "
                        + (result.targetSchemaVersion == null
                                ? result.initialSchemaVersion
                                : result.targetSchemaVersion)
                        + " ("
                        + result.migrationsExecuted
                        + " migrations applied)");
    }
}
