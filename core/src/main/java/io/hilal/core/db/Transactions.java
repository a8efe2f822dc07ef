package io.hilal.core.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transactions that are tried again when they lose a race: a deadlock, a lock wait timeout, or a
 * duplicate key inserted by a concurrent transaction that committed first. The callback must read
 * what it depends on inside the transaction, so the next attempt sees the winner's rows.
 */
public final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final int MAX_ATTEMPTS = 8;
    private static final int ER_DUP_ENTRY = 1062;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;

    private Transactions() {}

    public static <T> T retrying(Jdbi jdbi, HandleCallback<T, RuntimeException> callback) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(callback);
            } catch (RuntimeException e) {
                if (attempt >= MAX_ATTEMPTS || !isLostRace(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Opens a handle whose connection commits only when told, for {@link #retryingOn}: a
     * transaction then starts with its first statement and ends with one {@code COMMIT}: one round
     * trip fewer than {@code START TRANSACTION} … {@code COMMIT} on an auto-commit connection, and
     * two fewer than Jdbi's transactions, which switch auto-commit off and on around each. Close it
     * with {@link #closeManualCommit}.
     */
    public static Handle openManualCommit(Jdbi jdbi) {
        Handle handle = jdbi.open();
        try {
            handle.getConnection().setAutoCommit(false);
            return handle;
        } catch (SQLException | RuntimeException e) {
            handle.close();
            throw new ConnectionException(e);
        }
    }

    /**
     * As {@link #retrying}, on a handle from {@link #openManualCommit}: {@code work} runs in a
     * transaction of its connection, committed when it returns and rolled back when it throws.
     */
    public static <T> T retryingOn(Handle handle, Supplier<T> work) {
        return retryingOn(handle, work, true);
    }

    /**
     * As {@link #retryingOn}, for {@code work} that commits its transaction itself, with its last
     * statement (a {@code COMMIT} sent in one round trip with the statements before it): nothing is
     * sent after it returns; a failure rolls back, and a lost race tries again.
     */
    public static <T> T retryingCommittedBy(Handle handle, Supplier<T> work) {
        return retryingOn(handle, work, false);
    }

    private static <T> T retryingOn(Handle handle, Supplier<T> work, boolean commit) {
        Connection connection = handle.getConnection();
        for (int attempt = 1; ; attempt++) {
            try {
                T result = work.get();
                if (commit) {
                    connection.commit();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                RuntimeException failure =
                        e instanceof RuntimeException runtime
                                ? runtime
                                : new UnableToExecuteStatementException("COMMIT", e, null);
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    failure.addSuppressed(rollback);
                    throw failure;
                }
                if (attempt >= MAX_ATTEMPTS || !isLostRace(failure)) {
                    throw failure;
                }
            }
        }
    }

    /**
     * Rolls back whatever a handle from {@link #openManualCommit} left open, gives its connection
     * auto-commit back and closes it.
     */
    public static void closeManualCommit(Handle handle) {
        try {
            Connection connection = handle.getConnection();
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // Only a broken connection fails here, and the pool tests each one before lending it.
            LOG.warn("Could not reset a connection before returning it", e);
        } finally {
            handle.close();
        }
    }

    static boolean isLostRace(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                int code = sql.getErrorCode();
                if (code == ER_DUP_ENTRY
                        || code == ER_LOCK_WAIT_TIMEOUT
                        || code == ER_LOCK_DEADLOCK) {
                    return true;
                }
                if ("40001".equals(sql.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }
}
