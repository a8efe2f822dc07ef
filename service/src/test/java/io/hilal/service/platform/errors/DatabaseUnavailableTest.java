package io.hilal.service.platform.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/** Which failures are the database being away (503, retryable) rather than our bug (500). */
class DatabaseUnavailableTest {
    @Test
    void aStatementClosedWithItsLostConnectionIsTheDatabaseBeingAway() {
        // What Connector/J threw in DatabaseRestartIT when mariadbd was killed under ingest.
        SQLException closed =
                new SQLException("No operations allowed after statement closed.", "S1009");

        assertThat(
                        Problems.isDatabaseUnavailable(
                                new UnableToExecuteStatementException(closed, null)))
                .isTrue();
    }

    @Test
    void aLostConnectionsSqlStateIsTheDatabaseBeingAway() {
        assertThat(
                        Problems.isDatabaseUnavailable(
                                new SQLException("Communications link failure", "08S01")))
                .isTrue();
    }

    @Test
    void aBadStatementIsNot() {
        assertThat(
                        Problems.isDatabaseUnavailable(
                                new UnableToExecuteStatementException(
                                        new SQLException("Unknown column 'x'", "42S22", 1054),
                                        null)))
                .isFalse();
    }
}
