package io.hilal.service.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.TestApps;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server that can lose acknowledged writes: warned about by default, refused on request. */
class DurabilityPolicyIT {
    private final String url = TestDatabase.newSchema();
    private final Jdbi jdbi = Jdbi.create(TestDatabase.dataSource(url));

    @BeforeEach
    void makeTheServerLazy() {
        jdbi.useHandle(h -> h.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 2"));
    }

    @AfterEach
    void makeItDurableAgain() {
        jdbi.useHandle(h -> h.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 1"));
    }

    private DropwizardTestSupport<HilalConfiguration> app(String policy) {
        return new DropwizardTestSupport<>(
                HilalApplication.class,
                TestApps.CONFIG,
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("database.url", url),
                ConfigOverride.config("database.user", TestDatabase.user()),
                ConfigOverride.config("database.password", TestDatabase.password()),
                ConfigOverride.config("database.durability", policy),
                ConfigOverride.config(
                        "mailLinks.secret", io.hilal.service.testing.TestApps.LINK_SECRET),
                ConfigOverride.config("logging.level", "ERROR"));
    }

    @Test
    void refusesToStartWhenToldTo() {
        DropwizardTestSupport<HilalConfiguration> app = app("REFUSE");
        try {
            assertThatThrownBy(app::before)
                    .hasStackTraceContaining("can lose acknowledged writes")
                    .hasStackTraceContaining("innodb_flush_log_at_trx_commit=2");
        } finally {
            app.after();
        }
    }

    @Test
    void startsWithAWarningByDefault() throws Exception {
        DropwizardTestSupport<HilalConfiguration> app = app("WARN");
        try {
            app.before();
            assertThat(app.getLocalPort()).isPositive();
        } finally {
            app.after();
        }
    }
}
