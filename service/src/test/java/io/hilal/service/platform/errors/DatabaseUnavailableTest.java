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

    /** What each database failure is answered with: status, code, retryable. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        // MariaDB's InnoDB at its tablespace's max: ER_RECORD_FILE_FULL
        "The table 'events' is full, HY000, 1114, 507, database_full",
        // MySQL's ER_DISK_FULL
        "Disk full (/tmp/x); waiting for someone to free some space..., HY000, 1021, 507,"
                + " database_full",
        // The storage engine's ENOSPC
        "Got error 28 from storage engine, HY000, 1030, 507, database_full",
        "Communications link failure, 08S01, 0, 503, database_unavailable",
        // A row held by a longer transaction (a launch) past innodb_lock_wait_timeout
        "Lock wait timeout exceeded; try restarting transaction, 40001, 1205, 503, locked",
        "Deadlock found when trying to get lock; try restarting transaction, 40001, 1213, 503,"
                + " locked",
        "Unknown column 'x', 42S22, 1054, 500, internal_error",
        "Got error 280 from storage engine, HY000, 1030, 500, internal_error",
    })
    void databaseFailures(String message, String state, int vendorCode, int status, String code) {
        var error =
                Problems.classify(
                        new UnableToExecuteStatementException(
                                new SQLException(message, state, vendorCode), null));

        assertThat(error.status()).isEqualTo(status);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.retryable()).isEqualTo(status != 500);
    }

    @Test
    void aPoolWithNoFreeConnectionIsTheDatabaseBusyNotAway() {
        var exhausted =
                new org.jdbi.v3.core.ConnectionException(
                        new org.apache.tomcat.jdbc.pool.PoolExhaustedException(
                                "Timeout: Pool empty. Unable to fetch a connection in 0 seconds,"
                                        + " none available[size:2; busy:2; idle:0; lastwait:300]."));

        var error = Problems.classify(exhausted);

        assertThat(error.status()).isEqualTo(503);
        assertThat(error.code()).isEqualTo("database_busy");
        assertThat(error.retryable()).isTrue();
    }
}
