package io.hilal.core.pods;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a new tenant goes: the active pod with the fewest events in the last 24 hours, then the
 * fewest tenants (a pod of new, quiet shops still fills up), then home before the others and the
 * rest by name, so the choice is the same in every process. Closed pods take no new tenants.
 */
public final class PlacementPolicy {
    private static final Comparator<PodLoad> LEAST_LOADED =
            Comparator.comparingLong(PodLoad::recentEvents)
                    .thenComparingLong(PodLoad::tenants)
                    .thenComparing(load -> !Pod.HOME_ID.equals(load.podId()))
                    .thenComparing(PodLoad::podId);

    private PlacementPolicy() {}

    public static Optional<String> choose(List<PodLoad> loads) {
        return loads.stream()
                .filter(load -> load.status() == Pod.Status.ACTIVE)
                .min(LEAST_LOADED)
                .map(PodLoad::podId);
    }
}
