package io.hilal.service.testing;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The real service on random ports, over a fresh schema of the shared embedded MariaDB. */
public final class TestApps {
    public static final String OPERATOR_KEY = "test-operator-key-0123456789";
    public static final String LINK_SECRET = "test-link-secret-0123456789abcdef0123456789";

    /** Tests run in the module folder; the shipped configuration is one level up. */
    public static final String CONFIG =
            Path.of("..", "config", "service.yml").toAbsolutePath().normalize().toString();

    private TestApps() {}

    public static DropwizardAppExtension<HilalConfiguration> app(ConfigOverride... extra) {
        return app(TestDatabase.newSchema(), extra);
    }

    public static DropwizardAppExtension<HilalConfiguration> app(
            String databaseUrl, ConfigOverride... extra) {
        return app(databaseUrl, TestDatabase.user(), TestDatabase.password(), extra);
    }

    /**
     * The app on a database server of the test's own. (Overriding {@code database.user} in {@code
     * extra} would not do: the test support keeps overrides in a set, so which of two values for
     * one key wins is random.)
     */
    public static DropwizardAppExtension<HilalConfiguration> app(
            String databaseUrl, String user, String password, ConfigOverride... extra) {
        List<ConfigOverride> overrides = new ArrayList<>();
        overrides.add(ConfigOverride.config("server.applicationConnectors[0].port", "0"));
        overrides.add(ConfigOverride.config("server.adminConnectors[0].port", "0"));
        overrides.add(ConfigOverride.config("database.url", databaseUrl));
        overrides.add(ConfigOverride.config("database.user", user));
        overrides.add(ConfigOverride.config("database.password", password));
        overrides.add(ConfigOverride.config("operatorKey", OPERATOR_KEY));
        overrides.add(ConfigOverride.config("mailLinks.secret", LINK_SECRET));
        overrides.add(ConfigOverride.config("logging.level", "WARN"));
        overrides.addAll(List.of(extra));
        return new DropwizardAppExtension<>(
                HilalApplication.class, CONFIG, overrides.toArray(ConfigOverride[]::new));
    }

    /** A Jdbi on the app's database, for tests that set up rows no API writes. */
    public static Jdbi jdbi(DropwizardAppExtension<HilalConfiguration> app) {
        return HilalJdbi.configure(
                Jdbi.create(
                        TestDatabase.dataSource(app.getConfiguration().getDatabase().getUrl())));
    }

    /**
     * Trains a tenant's models and stores them, as the campaign worker does (the service never
     * trains), then has the app serve them at once.
     */
    public static void train(DropwizardAppExtension<HilalConfiguration> app, String tenantId) {
        Jdbi jdbi =
                HilalJdbi.configure(
                        Jdbi.create(
                                TestDatabase.dataSource(
                                        app.getConfiguration().getDatabase().getUrl())));
        ModelStore store = new ModelStore(jdbi, Clock.systemUTC());
        new TrainingService(
                        new RecommendationTrainer(jdbi),
                        store,
                        new TenantService(jdbi, Clock.systemUTC()))
                .train(tenantId);
        ((HilalApplication) app.getApplication()).recommendations().refresh(tenantId);
    }
}
