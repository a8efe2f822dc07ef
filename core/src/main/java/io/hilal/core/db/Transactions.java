package io.hilal.core.db;

import java.sql.SQLException;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Transactions that are tried again when they lose a race: a deadlock, a lock wait timeout, or a
 * duplicate key inserted by a concurrent transaction that committed first. The callback must read
 * what it depends on inside the transaction, so the next attempt sees the winner's rows.
 */
public final class Transactions {
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
