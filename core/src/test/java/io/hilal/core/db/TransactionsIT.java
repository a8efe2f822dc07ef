package io.hilal.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.testing.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionsIT {
    private final Jdbi jdbi = TestDatabase.newJdbi();

    @BeforeEach
    void table() {
        jdbi.useHandle(
                handle ->
                        handle.execute(
                                "CREATE TABLE IF NOT EXISTS notes (id INT PRIMARY KEY,"
                                        + " body VARCHAR(20) NOT NULL)"));
        jdbi.useHandle(handle -> handle.execute("DELETE FROM notes"));
    }

    private int notes() {
        return jdbi.withHandle(
                handle -> handle.createQuery("SELECT COUNT(*) FROM notes").mapTo(int.class).one());
    }

    @Test
    void testConnectionsRunReadCommittedAsTheAppsPoolDoes() {
        // The variable is transaction_isolation on MySQL 8 and MariaDB 11.1+, tx_isolation on
        // MariaDB 10.11 (CI's external server), both on MariaDB 11.1+.
        List<String> isolation =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SHOW SESSION VARIABLES WHERE Variable_name IN"
                                                        + " ('transaction_isolation',"
                                                        + " 'tx_isolation')")
                                        .map((rs, ctx) -> rs.getString("Value"))
                                        .list());

        assertThat(isolation).isNotEmpty().containsOnly("READ-COMMITTED");
    }

    @Test
    void aHeldConnectionCommitsEachTransactionWhenItsWorkReturns() {
        Handle handle = Transactions.openManualCommit(jdbi);
        try {
            Transactions.retryingOn(
                    handle, () -> handle.execute("INSERT INTO notes VALUES (1, 'a')"));
            assertThat(notes()).isEqualTo(1);
            Transactions.retryingOn(
                    handle, () -> handle.execute("INSERT INTO notes VALUES (2, 'b')"));
            assertThat(notes()).isEqualTo(2);
        } finally {
            Transactions.closeManualCommit(handle);
        }
    }

    @Test
    void aFailedTransactionChangesNothingAndTheConnectionGoesOn() {
        Handle handle = Transactions.openManualCommit(jdbi);
        try {
            assertThatThrownBy(
                            () ->
                                    Transactions.retryingOn(
                                            handle,
                                            () -> {
                                                handle.execute("INSERT INTO notes VALUES (1, 'a')");
                                                throw new IllegalStateException("bad input");
                                            }))
                    .hasMessage("bad input");
            assertThat(notes()).isZero();
            Transactions.retryingOn(
                    handle, () -> handle.execute("INSERT INTO notes VALUES (2, 'b')"));
            assertThat(notes()).isEqualTo(1);
        } finally {
            Transactions.closeManualCommit(handle);
        }
    }

    @Test
    void aTransactionThatLostARaceIsTriedAgainFromTheStart() {
        jdbi.useHandle(handle -> handle.execute("INSERT INTO notes VALUES (1, 'winner')"));
        AtomicInteger attempts = new AtomicInteger();
        Handle handle = Transactions.openManualCommit(jdbi);
        try {
            Transactions.retryingOn(
                    handle,
                    () -> {
                        handle.execute("INSERT INTO notes VALUES (2, 'mine')");
                        if (attempts.incrementAndGet() == 1) {
                            // A duplicate key: what a concurrent transaction that committed first
                            // leaves.
                            handle.execute("INSERT INTO notes VALUES (1, 'loser')");
                        }
                        return null;
                    });
        } finally {
            Transactions.closeManualCommit(handle);
        }
        assertThat(attempts).hasValue(2);
        assertThat(notes()).isEqualTo(2);
    }

    @Test
    void statementsSentTogetherCommitTogetherOrNotAtAllWhenOneFails() {
        Handle handle = Transactions.openManualCommit(jdbi);
        try {
            Transactions.retryingCommittedBy(
                    handle,
                    () ->
                            handle.execute(
                                    "INSERT INTO notes VALUES (1, 'a'); INSERT INTO notes"
                                            + " VALUES (2, 'b'); COMMIT"));
            assertThat(notes()).isEqualTo(2);
            // The second statement fails: the server runs neither it nor the COMMIT after it,
            // and the first one's row is rolled back.
            assertThatThrownBy(
                            () ->
                                    Transactions.retryingCommittedBy(
                                            handle,
                                            () ->
                                                    handle.execute(
                                                            "INSERT INTO notes VALUES (3, 'c');"
                                                                    + " INSERT INTO notes VALUES"
                                                                    + " (3, NULL); COMMIT")))
                    .hasMessageContaining("body");
            assertThat(notes()).isEqualTo(2);
            Transactions.retryingCommittedBy(
                    handle, () -> handle.execute("INSERT INTO notes VALUES (4, 'd'); COMMIT"));
            assertThat(notes()).isEqualTo(3);
        } finally {
            Transactions.closeManualCommit(handle);
        }
    }

    @Test
    void closingRollsBackWhatWasNotCommittedAndGivesAutoCommitBack() throws SQLException {
        Handle handle = Transactions.openManualCommit(jdbi);
        handle.execute("INSERT INTO notes VALUES (1, 'a')");
        Transactions.closeManualCommit(handle);
        assertThat(notes()).isZero();
        try (Handle next = jdbi.open()) {
            assertThat(next.getConnection().getAutoCommit()).isTrue();
        }
    }
}
