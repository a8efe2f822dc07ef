package io.hilal.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: several statements per round trip only on the campaign sender's own connections. The
 * pool everything else uses (the API's) runs one statement per call, so an injected {@code ;} can
 * never start a second statement.
 */
class DatabasePoolsIT {
    static Database database;

    @BeforeAll
    static void open() {
        DatabaseFactory factory = new DatabaseFactory();
        factory.setUrl(TestDatabase.newSchema());
        factory.setUser(TestDatabase.user());
        factory.setPassword(TestDatabase.password());
        database = factory.open("pools-test");
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static final String STACKED = "SELECT 1; SELECT 2";

    @Test
    void theApisPoolRefusesStackedStatements() {
        assertThatThrownBy(() -> database.jdbi().withHandle(h -> h.execute(STACKED)))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining("SQL syntax");
        assertThat(database.pool().getUrl()).doesNotContainIgnoringCase("allowMultiQueries");
    }

    @Test
    void theSendersPoolSendsThemInOneRoundTrip() {
        long rows =
                database.senderJdbi()
                        .withHandle(
                                h -> {
                                    h.execute(
                                            "CREATE TEMPORARY TABLE stacked (x INT);"
                                                    + " INSERT INTO stacked VALUES (1), (2)");
                                    long count =
                                            h.createQuery("SELECT COUNT(*) FROM stacked")
                                                    .mapTo(Long.class)
                                                    .one();
                                    h.execute("DROP TEMPORARY TABLE stacked");
                                    return count;
                                });
        assertThat(rows).isEqualTo(2);
        assertThat(database.senderPool().getUrl()).contains("allowMultiQueries=true");
    }

    @Test
    void theSendersStepsRefuseAConnectionOfTheApisPool() {
        SendLedger onTheApisPool = new SendLedger(database.jdbi(), Clock.systemUTC(), "x.example");
        SendLedger.Run run = new SendLedger.Run("ten_x", "cmp_x", "run_x");
        assertThatThrownBy(() -> onTheApisPool.steps(run, "worker"))
                .hasMessageContaining("sender's own pool");

        try (SendLedger.Steps steps =
                new SendLedger(database.senderJdbi(), Clock.systemUTC(), "x.example")
                        .steps(run, "worker")) {
            assertThat(steps).isNotNull();
        }
        assertThat(List.of(database.pool().getActive(), database.senderPool().getActive()))
                .containsOnly(0);
    }
}
