package io.hilal.core.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hilal.core.pods.Pod;
import io.hilal.core.pods.PodPassword;
import io.hilal.core.pods.PodRouter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the data lives. With no {@code url}, an embedded MariaDB is started under {@code dataDir}
 * (or reused, if another Hilal process on this machine already runs it); with a {@code url}, that
 * MySQL 8 / MariaDB server is used. Both apps configure their database with this.
 */
public class DatabaseFactory {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseFactory.class);

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

    /**
     * How long a request waits for a free connection when all are in use before it is answered 503
     * {@code database_busy}.
     */
    @Min(0)
    @Max(60_000)
    private int maxWaitMillis = 5_000;

    @Valid @NotNull private Map<String, String> properties = Map.of();

    /**
     * How long a process keeps what it read from the pod directory: a tenant's pod and state, the
     * list of pods. A move waits this long between its steps so every process has seen each one.
     */
    @Min(50)
    @Max(60_000)
    private long podRefreshMillis = 1_000;

    /**
     * How long a tenant's write begun before its move froze it may still run: the move waits this
     * long (after {@code podRefreshMillis}) before its last catch-up.
     */
    @Min(0)
    @Max(600_000)
    private long moveGraceMillis = 10_000;

    @JsonProperty
    public long getMoveGraceMillis() {
        return moveGraceMillis;
    }

    @JsonProperty
    public void setMoveGraceMillis(long moveGraceMillis) {
        this.moveGraceMillis = moveGraceMillis;
    }

    @JsonProperty
    public long getPodRefreshMillis() {
        return podRefreshMillis;
    }

    @JsonProperty
    public void setPodRefreshMillis(long podRefreshMillis) {
        this.podRefreshMillis = podRefreshMillis;
    }

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
    public int getMaxWaitMillis() {
        return maxWaitMillis;
    }

    @JsonProperty
    public void setMaxWaitMillis(int maxWaitMillis) {
        this.maxWaitMillis = maxWaitMillis;
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

    /**
     * Opens the pools, the campaign sender's and everyone else's (starting the embedded server
     * first when there is no URL), migrates the schema when configured to, and checks that the
     * server keeps acknowledged writes.
     */
    public Database open(String poolName) {
        JdbcUrls.checkProperties(properties);
        EmbeddedDatabase embedded = null;
        String jdbcUrl;
        String jdbcUser = user;
        String jdbcPassword = password;
        if (isEmbedded()) {
            embedded = EmbeddedDatabase.startOrReuse(Path.of(dataDir, "mariadb"), embeddedPort);
            embedded.createSchema("hilal");
            jdbcUrl = embedded.jdbcUrl("hilal");
            jdbcUser = embedded.user();
            jdbcPassword = embedded.password();
        } else {
            jdbcUrl = JdbcUrls.withDefaults(url);
        }
        DataSource dataSource = pool(poolName, jdbcUrl, jdbcUser, jdbcPassword);
        DataSource senderPool =
                pool(poolName + "-sender", JdbcUrls.forSender(jdbcUrl), jdbcUser, jdbcPassword);
        Jdbi home = HilalJdbi.configure(Jdbi.create(dataSource));
        PodRouter pods = null;
        try {
            if (migrateOnStart) {
                migrate(dataSource, "home");
            }
            pods =
                    new PodRouter(
                            home,
                            dataSource,
                            senderPool,
                            (pod, family) -> podPool(poolName, pod, family),
                            java.time.Duration.ofMillis(podRefreshMillis));
            // Every pod is migrated and checked at start, so a broken one stops the process here
            // rather than failing its tenants' requests later.
            for (String podId : pods.podIds()) {
                pods.podDataSource(podId, PodRouter.Family.API);
            }
        } catch (RuntimeException e) {
            if (pods != null) {
                pods.close();
            }
            dataSource.close(true);
            senderPool.close(true);
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        Database database =
                new Database(
                        HilalJdbi.configure(Jdbi.create(pods.dataSource(PodRouter.Family.API))),
                        dataSource,
                        HilalJdbi.configure(Jdbi.create(pods.dataSource(PodRouter.Family.SENDER))),
                        senderPool,
                        embedded,
                        home,
                        pods);
        try {
            checkDurability(home);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    private static void migrate(javax.sql.DataSource dataSource, String podId) {
        var result = Migrations.migrate(dataSource);
        LOG.info(
                "Database schema of pod {} migrated: {} migrations applied, now at version {}",
                podId,
                result.migrationsExecuted,
                result.targetSchemaVersion == null
                        ? result.initialSchemaVersion
                        : result.targetSchemaVersion);
    }

    /**
     * A pool on a pod other than home: its own URL and account from the directory, this process's
     * pool settings. The API pool migrates the pod's schema first when this process migrates.
     */
    private DataSource podPool(String poolName, Pod pod, PodRouter.Family family) {
        String podUrl = JdbcUrls.withDefaults(pod.jdbcUrl());
        String podUser = pod.user() == null ? user : pod.user();
        String podPassword = PodPassword.resolve(pod, password, System::getenv);
        if (family == PodRouter.Family.SENDER) {
            return pool(
                    poolName + "-" + pod.podId() + "-sender",
                    JdbcUrls.forSender(podUrl),
                    podUser,
                    podPassword);
        }
        DataSource pool = pool(poolName + "-" + pod.podId(), podUrl, podUser, podPassword);
        if (migrateOnStart) {
            try {
                migrate(pool, pod.podId());
            } catch (RuntimeException e) {
                pool.close(true);
                throw e;
            }
        }
        return pool;
    }

    private DataSource pool(String name, String jdbcUrl, String jdbcUser, String jdbcPassword) {
        PoolProperties pool = new PoolProperties();
        pool.setName(name);
        pool.setDriverClassName("com.mysql.cj.jdbc.Driver");
        pool.setUrl(jdbcUrl);
        pool.setUsername(jdbcUser);
        pool.setPassword(jdbcPassword);
        pool.setMaxActive(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMinIdle(Math.min(4, maxConnections));
        pool.setInitialSize(0);
        pool.setMaxWait(maxWaitMillis);
        pool.setTestOnBorrow(true);
        pool.setValidationQuery("/* Hilal health check */ SELECT 1");
        pool.setValidationInterval(1_000);
        pool.setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        Properties driver = new Properties();
        driver.putAll(properties);
        pool.setDbProperties(driver);
        return new DataSource(pool);
    }

    private void checkDurability(Jdbi database) {
        List<String> risks = DurabilityCheck.risks(database);
        if (risks.isEmpty()) {
            return;
        }
        String message =
                "!!! The database can lose acknowledged writes on a crash: "
                        + String.join("; ", risks);
        if (durability == DurabilityPolicy.REFUSE) {
            throw new IllegalStateException(message + " (database.durability is REFUSE)");
        }
        LOG.warn("{}", message);
        LOG.warn(
                "!!! Hilal acknowledges writes after commit; fix the settings above in production.");
    }
}
