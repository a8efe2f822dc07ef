package io.hilal.core.pods;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a process that works for every tenant (the campaign worker) reaches them through {@link
 * PodRouter}: a listing across tenants runs once in each pod's {@link DbScope scope} and keeps the
 * tenants that pod holds now (not the copy a move is making, nor the rows it has yet to remove),
 * and each tenant's work then runs in its tenant's scope, so that a frozen tenant's writes are
 * refused as a request's are. Tenant-less rows (the directory, quotas, the heartbeat that peers
 * read for their share) are the home database's. With one database (or no router) every listing
 * runs once, as before pods existed.
 */
public final class PodScopes {
    private static final Logger LOG = LoggerFactory.getLogger(PodScopes.class);
    private static final PodScopes SINGLE = new PodScopes(null);

    private final PodRouter router;

    /** How many times each pod could not be read or reached, since this process started. */
    private final Map<String, AtomicLong> unreadable = new ConcurrentHashMap<>();

    private PodScopes(PodRouter router) {
        this.router = router;
    }

    /** One database, no routing: a test's plain Jdbi, a bench. */
    public static PodScopes single() {
        return SINGLE;
    }

    public static PodScopes of(PodRouter router) {
        return router == null ? SINGLE : new PodScopes(router);
    }

    private boolean multiPod() {
        return router != null && router.multiPod();
    }

    /**
     * What a listing across pods found, and the pods it could not read (whose tenants' items are
     * missing from it, not absent): work that must see every tenant's rows (recovering a worker's
     * own sends in flight) tries again until a listing is {@link #complete()}.
     */
    public record Listing<T>(List<T> items, List<String> unreadPods) {
        public Listing {
            items = List.copyOf(items);
            unreadPods = List.copyOf(unreadPods);
        }

        public boolean complete() {
            return unreadPods.isEmpty();
        }
    }

    /**
     * The items {@code listing} finds in every pod, each pod's kept when its tenant ({@code
     * tenantOf}) is placed in that pod. A pod that cannot be read is left out (and logged, and
     * counted in {@link #unreadable()}), so one pod's outage does not stop the others' work; with
     * one database, its failure is the caller's. Callers that must not miss a tenant use {@link
     * #listAcrossPods}, which says which pods were left out.
     */
    public <T> List<T> acrossPods(Supplier<List<T>> listing, Function<T, String> tenantOf) {
        return listAcrossPods(listing, tenantOf).items();
    }

    /** {@link #acrossPods}, saying which pods could not be read. */
    public <T> Listing<T> listAcrossPods(Supplier<List<T>> listing, Function<T, String> tenantOf) {
        if (!multiPod()) {
            return new Listing<>(listing.get(), List.of());
        }
        List<T> all = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        for (String podId : router.podIds()) {
            List<T> found;
            try {
                found = DbScope.pod(podId, listing);
            } catch (RuntimeException e) {
                LOG.warn("Pod {} could not be read; its tenants wait: {}", podId, e.toString());
                countUnreadable(podId);
                unread.add(podId);
                continue;
            }
            for (T item : found) {
                if (placedIn(tenantOf.apply(item), podId)) {
                    all.add(item);
                }
            }
        }
        return new Listing<>(all, unread);
    }

    /**
     * Whether the directory (as this process sees it now) says the tenant lives in {@code podId}:
     * not a copy a move is making there, nor rows a finished move has yet to remove.
     */
    public boolean placedIn(String tenantId, String podId) {
        if (!multiPod()) {
            return true;
        }
        return router.placement(tenantId)
                .map(placement -> placement.podId().equals(podId))
                .orElse(false);
    }

    /**
     * How many times each pod could not be read or reached by a listing or a per-pod task of this
     * process (for the worker's metrics): a pod that stays at zero was always read.
     */
    public Map<String, Long> unreadable() {
        Map<String, Long> counts = new TreeMap<>();
        unreadable.forEach((podId, count) -> counts.put(podId, count.get()));
        return counts;
    }

    private void countUnreadable(String podId) {
        unreadable.computeIfAbsent(podId, id -> new AtomicLong()).incrementAndGet();
    }

    /**
     * Runs {@code work} in each pod's scope (once, unscoped, with one database), for rows that are
     * not a tenant's (the workers' heartbeats, old send counts); a pod that fails is logged and
     * skipped, with one database the failure is the caller's.
     */
    public void eachPod(Consumer<String> work) {
        if (!multiPod()) {
            work.accept(Pod.HOME_ID);
            return;
        }
        for (String podId : router.podIds()) {
            try {
                DbScope.pod(podId, () -> work.accept(podId));
            } catch (RuntimeException e) {
                LOG.warn("Pod {} could not be reached: {}", podId, e.toString());
                countUnreadable(podId);
            }
        }
    }

    /** {@code work} in the tenant's scope: its pod, read-only while a move has it frozen. */
    public <T> T inTenant(String tenantId, Supplier<T> work) {
        return router == null ? work.get() : DbScope.tenant(tenantId, work);
    }

    public void inTenant(String tenantId, Runnable work) {
        inTenant(
                tenantId,
                () -> {
                    work.run();
                    return null;
                });
    }

    /** {@code work} in the home database (tenant-less rows). */
    public <T> T home(Supplier<T> work) {
        return router == null ? work.get() : DbScope.home(work);
    }

    /**
     * Whether the tenant is frozen for a move as this process sees it now: its data can be read but
     * not written until the move switches it to its new pod.
     */
    public boolean frozen(String tenantId) {
        return multiPod() && router.placement(tenantId).map(Placement::frozen).orElse(false);
    }

    /**
     * Whether a move has the tenant now (copying its rows, or frozen for the switch): housekeeping
     * that deletes or rewrites old rows on a schedule leaves such a tenant alone until the move is
     * over, so the move's copy and its verify counts see rows that nothing but the tenant's own
     * writers changed.
     */
    public boolean moving(String tenantId) {
        return multiPod()
                && router.placement(tenantId)
                        .map(placement -> placement.state() != Placement.State.ACTIVE)
                        .orElse(false);
    }

    /**
     * Whether {@code error} is a write refused because its tenant is frozen (the read-only
     * connection {@link PodRouter} lends then): the driver refuses most before sending them
     * ("Connection is read-only"), MySQL and MariaDB the rest with error 1792. Nothing else makes a
     * connection read-only.
     */
    public static boolean refusedAsFrozen(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql
                    && (sql.getErrorCode() == 1792
                            || String.valueOf(sql.getMessage())
                                    .startsWith("Connection is read-only"))) {
                return true;
            }
        }
        return false;
    }
}
