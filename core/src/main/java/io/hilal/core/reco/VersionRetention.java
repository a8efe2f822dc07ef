package io.hilal.core.reco;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which of a tenant's stored model versions go: per kind, every version older than the newest
 * {@code keep}, unless it is active or an arm of a running model experiment. Every training adds
 * versions and a served model is only ever the newest of its kind, so the newest few are what a
 * merchant compares and what an experiment can still be started on.
 */
public final class VersionRetention {
    private VersionRetention() {}

    /** A stored version, with what protects it. */
    public record Stored(
            String kind, int version, long sizeBytes, boolean active, boolean inExperiment) {}

    /** The versions to delete, oldest first within each kind. */
    public static List<Stored> toDelete(List<Stored> versions, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one version, not " + keep);
        }
        Map<String, List<Stored>> byKind = new TreeMap<>();
        versions.forEach(
                stored ->
                        byKind.computeIfAbsent(stored.kind(), k -> new ArrayList<>()).add(stored));
        List<Stored> doomed = new ArrayList<>();
        for (List<Stored> kind : byKind.values()) {
            kind.sort(Comparator.comparingInt(Stored::version).reversed());
            for (int i = kind.size() - 1; i >= keep; i--) {
                Stored old = kind.get(i);
                if (!old.active() && !old.inExperiment()) {
                    doomed.add(old);
                }
            }
        }
        return List.copyOf(doomed);
    }
}
