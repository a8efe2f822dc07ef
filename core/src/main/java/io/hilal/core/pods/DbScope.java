package io.hilal.core.pods;

import java.util.function.Supplier;

/**
 * Which database the current thread's queries go to: a tenant's (its pod, from the directory), a
 * pod's by name (cross-tenant loops that visit every pod), or the home database (the directory,
 * tenants, keys and operator data). Set around a request or a unit of work, and always restored:
 * {@link PodRouter} fails closed when nothing is set and there is more than one pod.
 */
public final class DbScope {
    private static final ThreadLocal<DbScope> CURRENT = new ThreadLocal<>();
    private static final DbScope HOME = new DbScope(Kind.HOME, Pod.HOME_ID);

    enum Kind {
        TENANT,
        POD,
        HOME
    }

    private final Kind kind;
    private final String id;

    private DbScope(Kind kind, String id) {
        this.kind = kind;
        this.id = id;
    }

    Kind kind() {
        return kind;
    }

    String id() {
        return id;
    }

    /** A tenant's scope, to hold rather than enter ({@link PodRouter#tenantDataSource}). */
    static DbScope forTenant(String tenantId) {
        return new DbScope(Kind.TENANT, requireId(tenantId));
    }

    /** The scope set on this thread, or null. */
    static DbScope current() {
        return CURRENT.get();
    }

    /** The tenant whose scope this thread is in, or null. */
    public static String currentTenant() {
        DbScope scope = CURRENT.get();
        return scope != null && scope.kind == Kind.TENANT ? scope.id : null;
    }

    public static <T> T tenant(String tenantId, Supplier<T> work) {
        return in(new DbScope(Kind.TENANT, requireId(tenantId)), work);
    }

    public static void tenant(String tenantId, Runnable work) {
        tenant(tenantId, toSupplier(work));
    }

    public static <T> T pod(String podId, Supplier<T> work) {
        return in(new DbScope(Kind.POD, requireId(podId)), work);
    }

    public static void pod(String podId, Runnable work) {
        pod(podId, toSupplier(work));
    }

    public static <T> T home(Supplier<T> work) {
        return in(HOME, work);
    }

    /**
     * Enters a tenant's scope until {@link #clear()}: for request filters, whose end is a servlet
     * filter's {@code finally} rather than a block around the work.
     */
    public static void enterTenant(String tenantId) {
        CURRENT.set(new DbScope(Kind.TENANT, requireId(tenantId)));
    }

    public static void clear() {
        CURRENT.remove();
    }

    /** Runs {@code work} later, on any thread, in the scope this thread is in now. */
    public static <T> Supplier<T> carried(Supplier<T> work) {
        DbScope scope = CURRENT.get();
        return scope == null ? work : () -> in(scope, work);
    }

    /**
     * As {@link #carried(Supplier)}, for a task an executor runs (a campaign's sending threads, a
     * training pool): the task runs in the scope the submitting thread is in now.
     */
    public static <T> java.util.concurrent.Callable<T> carriedCall(
            java.util.concurrent.Callable<T> work) {
        DbScope scope = CURRENT.get();
        if (scope == null) {
            return work;
        }
        return () -> {
            DbScope before = CURRENT.get();
            CURRENT.set(scope);
            try {
                return work.call();
            } finally {
                restore(before);
            }
        };
    }

    /** As {@link #carried(Supplier)}, for a {@link Runnable} handed to an executor. */
    public static Runnable carriedRun(Runnable work) {
        Supplier<Void> carried = carried(toSupplier(work));
        return carried::get;
    }

    private static void restore(DbScope before) {
        if (before == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(before);
        }
    }

    private static <T> T in(DbScope scope, Supplier<T> work) {
        DbScope before = CURRENT.get();
        CURRENT.set(scope);
        try {
            return work.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    private static Supplier<Void> toSupplier(Runnable work) {
        return () -> {
            work.run();
            return null;
        };
    }

    private static String requireId(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a scope needs a tenant or pod id");
        }
        return id;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id;
    }
}
