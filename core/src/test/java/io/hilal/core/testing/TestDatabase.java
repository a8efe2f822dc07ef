package io.hilal.core.testing;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.hilal.core.db.EmbeddedDatabase;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.db.JdbcUrls;
import io.hilal.core.db.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * One embedded MariaDB per test JVM (its first start takes seconds), and a fresh, migrated schema
 * per test class (cheap). The server's files live under {@code target/} and go with it.
 */
public final class TestDatabase {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedDatabase server;

    private TestDatabase() {}

    /** Starts the shared server on first use. */
    public static synchronized EmbeddedDatabase server() {
        if (server == null) {
            try {
                // Benchmarks run from the repository root, where a fresh clone has no target/ yet.
                Path target = Files.createDirectories(Path.of("target"));
                Path folder = Files.createTempDirectory(target, "test-mariadb-");
                server = EmbeddedDatabase.start(folder, 0, true);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return server;
    }

    /** The account of the shared server (the embedded server's only one). */
    public static String user() {
        return server().user();
    }

    /** Its password, generated when the server's folder was made. */
    public static String password() {
        return server().password();
    }

    /** A new empty schema, migrated; returns its JDBC URL. */
    public static String newSchema() {
        EmbeddedDatabase db = server();
        String schema =
                "hilal_test_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        db.createSchema(schema);
        String url = db.jdbcUrl(schema);
        Migrations.migrate(dataSource(url));
        return url;
    }

    /**
     * An unpooled data source on {@code url}, whose connections run READ COMMITTED: the isolation
     * the apps' pool sets ({@link io.hilal.core.db.DatabaseFactory}), not the server's default.
     * They are the campaign sender's kind ({@link JdbcUrls#forSender}), which can do what every
     * other can and send several statements at once, so that a test's one Jdbi serves a sender too.
     * The apps given {@code url} itself open their API pool without that.
     */
    public static DataSource dataSource(String url) {
        MysqlDataSource dataSource =
                new MysqlDataSource() {
                    @Override
                    public Connection getConnection() throws SQLException {
                        return readCommitted(super.getConnection());
                    }

                    @Override
                    public Connection getConnection(String user, String password)
                            throws SQLException {
                        return readCommitted(super.getConnection(user, password));
                    }
                };
        dataSource.setURL(JdbcUrls.forSender(url));
        dataSource.setUser(user());
        dataSource.setPassword(password());
        return dataSource;
    }

    private static Connection readCommitted(Connection connection) throws SQLException {
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return connection;
    }

    /** A Jdbi on a new migrated schema, configured as the apps configure theirs. */
    public static Jdbi newJdbi() {
        return HilalJdbi.configure(Jdbi.create(dataSource(newSchema())));
    }
}
