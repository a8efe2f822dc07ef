package io.hilal.core.admin;

import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds the tenant label of per-tenant metrics: the busiest {@code limit} tenants (by the volume
 * this instance has seen) get their own label, every other tenant counts under {@code other}. The
 * busiest are re-ranked on {@link #rerank()}; a tenant keeps its label once given, so its series
 * never jumps back to {@code other}, and at most {@code 2 × limit} tenants ever get one: the number
 * of series stays bounded however many tenants there are.
 */
public final class TenantLabels {
    public static final String OTHER = "other";

    private final int limit;
    private final Map<String, LongAdder> volume = new ConcurrentHashMap<>();
    private final Set<String> labelled = ConcurrentHashMap.newKeySet();

    public TenantLabels(int limit) {
        this.limit = limit;
    }

    /** Records {@code amount} of traffic for a tenant and answers its label. */
    public String label(String tenantId, long amount) {
        LongAdder counted = volume.get(tenantId);
        if (counted == null && volume.size() < 100 * limit) {
            counted = volume.computeIfAbsent(tenantId, id -> new LongAdder());
        }
        if (counted != null) {
            counted.add(amount);
        }
        if (labelled.contains(tenantId)) {
            return tenantId;
        }
        if (labelled.size() < limit) {
            // Until the first ranking there is nothing to compare with: the first tenants seen.
            synchronized (labelled) {
                if (labelled.size() < limit) {
                    labelled.add(tenantId);
                    return tenantId;
                }
            }
        }
        return OTHER;
    }

    /** Gives a label to the {@code limit} busiest tenants so far, within the bound. */
    public void rerank() {
        synchronized (labelled) {
            volume.entrySet().stream()
                    .sorted(
                            Comparator.comparingLong(
                                            (Map.Entry<String, LongAdder> e) -> e.getValue().sum())
                                    .reversed())
                    .limit(limit)
                    .map(Map.Entry::getKey)
                    .filter(tenant -> labelled.size() < 2 * limit)
                    .forEach(labelled::add);
        }
    }

    int labelCount() {
        return labelled.size();
    }
}
