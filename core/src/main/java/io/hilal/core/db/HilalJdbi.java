package io.hilal.core.db;

import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The Jdbi settings every Hilal process uses. Instants are stored as UTC {@code DATETIME(3)}: we
 * bind and read them as UTC wall-clock values so that neither the JVM's nor the server's time zone
 * can shift them.
 */
public final class HilalJdbi {
    private HilalJdbi() {}

    public static Jdbi configure(Jdbi jdbi) {
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.registerArgument(new InstantArgumentFactory());
        jdbi.registerColumnMapper(
                Instant.class,
                (rs, column, ctx) -> {
                    LocalDateTime value = rs.getObject(column, LocalDateTime.class);
                    return value == null ? null : value.toInstant(ZoneOffset.UTC);
                });
        return jdbi;
    }

    public static LocalDateTime toUtc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static final class InstantArgumentFactory extends AbstractArgumentFactory<Instant> {
        InstantArgumentFactory() {
            super(Types.TIMESTAMP);
        }

        @Override
        protected Argument build(Instant value, ConfigRegistry config) {
            return (position, statement, ctx) ->
                    statement.setObject(position, toUtc(value), Types.TIMESTAMP);
        }
    }
}
