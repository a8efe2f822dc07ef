package io.hilal.core.db;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A database's named lock ({@code GET_LOCK}, in MySQL and MariaDB alike): server-wide, and the
 * session's own, so a process that dies (its connection closed by the kill, or dropped by the
 * server) frees it at once. Held on a connection of its own until {@link #close}; the work it
 * guards may run on any other.
 */
public final class NamedLock implements AutoCloseable {
    private final Handle handle;
    private final String name;

    private NamedLock(Handle handle, String name) {
        this.handle = handle;
        this.name = name;
    }

    /**
     * The lock {@code name} (MySQL refuses names over 64 characters), waiting up to {@code
     * waitSeconds} for whoever holds it; empty when they still do.
     */
    public static Optional<NamedLock> acquire(Jdbi jdbi, String name, int waitSeconds) {
        Handle handle = jdbi.open();
        try {
            Integer got =
                    handle.createQuery("SELECT GET_LOCK(:name, :seconds)")
                            .bind("name", name)
                            .bind("seconds", waitSeconds)
                            .mapTo(Integer.class)
                            .one();
            if (got != null && got == 1) {
                return Optional.of(new NamedLock(handle, name));
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
