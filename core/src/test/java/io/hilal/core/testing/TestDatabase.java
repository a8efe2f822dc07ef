package io.hilal.core.testing;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.hilal.core.db.EmbeddedDatabase;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.db.JdbcUrls;
import io.hilal.core.db.Migrations;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * One database server per test JVM, and a fresh, migrated schema per test class (cheap). The server
 * is an embedded MariaDB (its first start takes seconds; its files live under {@code target/} and
 * go with it), or, when {@code HILAL_TEST_DB_URL} (or {@code -Dhilal.test.db.url}) names one, such
 * as {@code jdbc:mysql://127.0.0.1:3399/}, a server running as a process of its own: the path of a
 * real deployment. Its account comes from {@code HILAL_TEST_DB_USER} / {@code
 * HILAL_TEST_DB_PASSWORD} and must be allowed to create schemas. With {@code
 * -Dhilal.test.db=packaged} the test JVM starts Debian's packaged server as such a process itself
 * ({@link PackagedMariadb}): the build's {@code packaged-mariadb} pass does, when {@code
 * mariadb-server} is installed.
 */
public final class TestDatabase {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static Server server;

    private TestDatabase() {}

    /** Starts (or finds) the shared server on first use. */
    public static synchronized Server server() {
        if (server == null) {
            String external = setting("hilal.test.db.url", "HILAL_TEST_DB_URL");
            if (!external.isEmpty()) {
                server = Server.external(external);
            } else if (setting("hilal.test.db", "HILAL_TEST_DB").equals("packaged")) {
                server = PackagedMariadb.start();
            } else {
                server = embedded();
            }
        }
        return server;
    }

    /**
     * Another server, a database process of its own beside {@link #server()}, of the same kind
     * (Debian's packaged server under {@code -Dhilal.test.db=packaged}, else an embedded one): for
     * tests of several databases, such as tenant pods. Each call starts one more; it stops when the
     * test JVM exits.
     */
    public static Server anotherServer() {
        if (setting("hilal.test.db", "HILAL_TEST_DB").equals("packaged")) {
            return PackagedMariadb.start();
        }
        return embedded();
    }

    private static Server embedded() {
        try {
            // Benchmarks run from the repository root, where a fresh clone has no target/ yet.
            Path target = Files.createDirectories(Path.of("target"));
            Path folder = Files.createTempDirectory(target, "test-mariadb-");
            EmbeddedDatabase embedded = EmbeddedDatabase.start(folder, 0, true);
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
            return new Server("127.0.0.1", embedded.port(), embedded.user(), embedded.password());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String setting(String property, String variable) {
        String value = System.getProperty(property, System.getenv(variable));
        return value == null ? "" : value.trim();
    }

    /** The shared server: where it listens and the account tests connect with. */
    public record Server(String host, int port, String user, String password) {
        static Server external(String url) {
            URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException(
                        "HILAL_TEST_DB_URL needs a host and port, like"
                                + " jdbc:mysql://127.0.0.1:3399/: "
                                + url);
            }
            String user = setting("hilal.test.db.user", "HILAL_TEST_DB_USER");
            return new Server(
                    uri.getHost(),
                    uri.getPort(),
                    user.isEmpty() ? "hilal" : user,
                    setting("hilal.test.db.password", "HILAL_TEST_DB_PASSWORD"));
        }

        /** Creates the schema if it does not exist yet. */
        public void createSchema(String schema) {
            if (!schema.matches("[a-z0-9_]+")) {
                throw new IllegalArgumentException("schema names are [a-z0-9_]+: " + schema);
            }
            try (Connection connection = DriverManager.getConnection(jdbcUrl(""), user, password);
                    Statement statement = connection.createStatement()) {
                statement.execute(
                        "CREATE DATABASE IF NOT EXISTS `"
                                + schema
                                + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            } catch (SQLException e) {
                throw new IllegalStateException("Could not create schema " + schema, e);
            }
        }

        /** A JDBC URL for {@code schema} on this server, with Hilal's connection properties. */
        public String jdbcUrl(String schema) {
            // Loopback: TLS would add nothing but handshakes.
            return JdbcUrls.withDefaults(
                    "jdbc:mysql://" + host + ":" + port + "/" + schema + "?sslMode=DISABLED");
        }

        @Override
        public String toString() {
            // No password in a test report.
            return "Server[" + host + ":" + port + ", user " + user + "]";
        }
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
        Server db = server();
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
