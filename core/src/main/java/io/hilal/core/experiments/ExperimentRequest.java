package io.hilal.core.experiments;

import io.hilal.core.error.Checks;
import java.util.Set;

/**
 * An experiment to create: a name, the mode ({@code split} by default, or {@code interleave}), the
 * two arms, and how many customers it plans to measure (the always-valid interval is tuned to be
 * narrowest there; 10,000 when left out). An arm's version defaults to the newest stored version of
 * its kind.
 */
public record ExperimentRequest(
        String name, String mode, ArmRequest a, ArmRequest b, Integer plannedCustomers) {
    static final Set<String> KINDS = Set.of("als", "ease", "rp3beta", Experiment.POPULARITY);
    static final int DEFAULT_PLANNED = 10_000;

    public record ArmRequest(String kind, Integer version) {}

    public String modeOrDefault() {
        return mode == null ? Experiment.SPLIT : mode;
    }

    public int plannedOrDefault() {
        return plannedCustomers == null ? DEFAULT_PLANNED : plannedCustomers;
    }

    Checks check() {
        Checks checks = new Checks();
        checks.required("name", name);
        checks.maxLength("name", name, 200);
        if (mode != null && !Experiment.SPLIT.equals(mode) && !Experiment.INTERLEAVE.equals(mode)) {
            checks.fail("mode", "must be split or interleave");
        }
        arm(checks, "a", a);
        arm(checks, "b", b);
        if (a != null && b != null && a.equals(b) && a.kind() != null) {
            checks.fail("b", "must differ from a");
        }
        if (plannedCustomers != null
                && (plannedCustomers < 100 || plannedCustomers > 100_000_000)) {
            checks.fail("plannedCustomers", "must be 100 to 100000000");
        }
        return checks;
    }

    private static void arm(Checks checks, String field, ArmRequest arm) {
        if (arm == null) {
            checks.fail(field, "is required");
            return;
        }
        if (arm.kind() == null || !KINDS.contains(arm.kind())) {
            checks.fail(field + ".kind", "must be als, ease, rp3beta or popularity");
        } else if (Experiment.POPULARITY.equals(arm.kind()) && arm.version() != null) {
            checks.fail(field + ".version", "popularity has no versions");
        }
        if (arm.version() != null && arm.version() < 1) {
            checks.fail(field + ".version", "must be at least 1");
        }
    }
}
