package io.hilal.core.campaigns.sending;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The database's named lock on one tenant's throttled sending ({@code GET_LOCK}, in MySQL and
 * MariaDB alike), held by one worker while it sends a run with a daily cap or a per-second pace. A
 * daily cap reads the tenant's count of today's sends before listing, and a pace is kept by one
 * process's clock: both hold only while one worker at a time sends the tenant's throttled runs, as
 * one worker sent everything before sends were spread across workers. The lock is the session's
 * own, so a worker that dies (its connection closed by the kill, or dropped by the server) frees it
 * at once and another takes the tenant's runs at its next pass.
 */
final class TenantSendLock implements AutoCloseable {
    private final Handle handle;
    private final String name;

    private TenantSendLock(Handle handle, String name) {
        this.handle = handle;
        this.name = name;
    }

    /** The tenant's lock, on a connection held until {@link #close}; empty when another has it. */
    static Optional<TenantSendLock> tryAcquire(Jdbi jdbi, String tenantId) {
        // MySQL refuses names over 64 characters; tenant ids are "ten_" and 20 hex digits.
        String name = "hilal.sends." + tenantId;
        Handle handle = jdbi.open();
        try {
            Integer got =
                    handle.createQuery("SELECT GET_LOCK(:name, 0)")
                            .bind("name", name)
                            .mapTo(Integer.class)
                            .one();
            if (got != null && got == 1) {
                return Optional.of(new TenantSendLock(handle, name));
            }
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        handle.close();
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            handle.createQuery("SELECT RELEASE_LOCK(:name)")
                    .bind("name", name)
                    .mapTo(Integer.class)
                    .findOne();
        } finally {
            handle.close();
        }
    }
}
