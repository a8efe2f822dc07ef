package io.hilal.core.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Flyway migrations: Hilal's own tables ({@code db/migration}) and, for the campaign worker,
 * Quartz's ({@code db/quartz}, with a history table of its own).
 */
public final class Migrations {
    private Migrations() {}

    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .table("flyway_schema_history")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    public static MigrateResult migrateQuartz(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/quartz")
                .table("flyway_quartz_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
