package io.hilal.service.platform.db;

import com.codahale.metrics.MetricRegistry;
import io.hilal.core.db.DurabilityCheck;
import io.hilal.core.db.Migrations;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opening the database the way every entry point does: pool, migrations, durability check. */
public final class Startup {
    private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

    private Startup() {}

    public static HilalDatabase openDatabase(DatabaseFactory config, MetricRegistry metrics) {
        HilalDatabase database = config.open(metrics, "hilal");
        if (config.isMigrateOnStart()) {
            var result = Migrations.migrate(database.dataSource());
            LOG.info(
                    "Database schema migrated: {} migrations applied, now at version {}",
                    result.migrationsExecuted,
                    result.targetSchemaVersion == null
                            ? result.initialSchemaVersion
                            : result.targetSchemaVersion);
        }
        checkDurability(config, database);
        return database;
    }

    static void checkDurability(DatabaseFactory config, HilalDatabase database) {
        List<String> risks = DurabilityCheck.risks(database.jdbi());
        if (risks.isEmpty()) {
            return;
        }
        String message =
                "!!! The database can lose acknowledged writes on a crash: "
                        + String.join("; ", risks);
        if (config.getDurability() == DatabaseFactory.DurabilityPolicy.REFUSE) {
            throw new IllegalStateException(message + " (database.durability is REFUSE)");
        }
        LOG.warn("{}", message);
        LOG.warn(
                "!!! Hilal acknowledges events after commit; fix the settings above in production.");
    }
}
