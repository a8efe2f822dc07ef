package io.hilal.service.platform.db;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.hilal.core.db.EmbeddedDatabase;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.db.JdbcUrls;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Where the data lives. With no {@code url}, an embedded MariaDB is started under {@code dataDir}
 * (or reused, if another Hilal process on this machine already runs it); with a {@code url}, that
 * MySQL 8 / MariaDB server is used.
 */
public class DatabaseFactory {
    /** What to do when the server's settings can lose acknowledged writes. */
    public enum DurabilityPolicy {
        WARN,
        REFUSE
    }

    private String url = "";

    @NotNull private String user = "root";

    private String password = "";

    @NotEmpty private String dataDir = "./var";

    @Min(0)
    @Max(65535)
    private int embeddedPort = 0;

    private boolean migrateOnStart = true;

    @NotNull private DurabilityPolicy durability = DurabilityPolicy.WARN;

    @Min(1)
    @Max(500)
    private int maxConnections = 32;

    @Valid @NotNull private Map<String, String> properties = Map.of();

    @JsonProperty
    public String getUrl() {
        return url;
    }

    @JsonProperty
    public void setUrl(String url) {
        this.url = url == null ? "" : url;
    }

    @JsonProperty
    public String getUser() {
        return user;
    }

    @JsonProperty
    public void setUser(String user) {
        this.user = user;
    }

    @JsonProperty
    public String getPassword() {
        return password;
    }

    @JsonProperty
    public void setPassword(String password) {
        this.password = password == null ? "" : password;
    }

    @JsonProperty
    public String getDataDir() {
        return dataDir;
    }

    @JsonProperty
    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    @JsonProperty
    public int getEmbeddedPort() {
        return embeddedPort;
    }

    @JsonProperty
    public void setEmbeddedPort(int embeddedPort) {
        this.embeddedPort = embeddedPort;
    }

    @JsonProperty
    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    @JsonProperty
    public void setMigrateOnStart(boolean migrateOnStart) {
        this.migrateOnStart = migrateOnStart;
    }

    @JsonProperty
    public DurabilityPolicy getDurability() {
        return durability;
    }

    @JsonProperty
    public void setDurability(DurabilityPolicy durability) {
        this.durability = durability;
    }

    @JsonProperty
    public int getMaxConnections() {
        return maxConnections;
    }

    @JsonProperty
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @JsonProperty
    public Map<String, String> getProperties() {
        return properties;
    }

    @JsonProperty
    public void setProperties(Map<String, String> properties) {
        this.properties = properties;
    }

    public boolean isEmbedded() {
        return url.isBlank();
    }

    /** Opens the pool (starting the embedded server first when there is no URL). */
    public HilalDatabase open(MetricRegistry metrics, String name) {
        EmbeddedDatabase embedded = null;
        String jdbcUrl;
        String jdbcUser = user;
        String jdbcPassword = password;
        if (isEmbedded()) {
            embedded = EmbeddedDatabase.startOrReuse(Path.of(dataDir, "mariadb"), embeddedPort);
            embedded.createSchema("hilal");
            jdbcUrl = embedded.jdbcUrl("hilal");
            jdbcUser = "root";
            jdbcPassword = "";
        } else {
            jdbcUrl = JdbcUrls.withDefaults(url);
        }
        DataSourceFactory pool = new DataSourceFactory();
        pool.setDriverClass("com.mysql.cj.jdbc.Driver");
        pool.setUrl(jdbcUrl);
        pool.setUser(jdbcUser);
        pool.setPassword(jdbcPassword);
        pool.setMaxSize(maxConnections);
        pool.setMinSize(Math.min(4, maxConnections));
        pool.setInitialSize(Math.min(4, maxConnections));
        pool.setProperties(properties);
        pool.setValidationQuery("/* Hilal health check */ SELECT 1");
        pool.setCheckConnectionOnBorrow(true);
        pool.setMaxWaitForConnection(io.dropwizard.util.Duration.seconds(5));
        pool.setDefaultTransactionIsolation(DataSourceFactory.TransactionIsolation.READ_COMMITTED);
        ManagedDataSource dataSource = pool.build(metrics, name);
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(dataSource));
        return new HilalDatabase(jdbi, dataSource, embedded);
    }
}
