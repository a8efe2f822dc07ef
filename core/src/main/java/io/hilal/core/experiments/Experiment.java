package io.hilal.core.experiments;

import java.time.Instant;

/**
 * A tenant's experiment between two "Picked for you" models. In {@code split} mode each customer is
 * served by one arm (half each, {@link ArmAssignment}); in {@code interleave} mode every customer's
 * list interleaves both arms' rankings ({@link TeamDraft}) and clicks vote for the arm that
 * contributed the product.
 */
public record Experiment(
        String experimentId,
        String name,
        String mode,
        Arm a,
        Arm b,
        int plannedCustomers,
        String status,
        Instant createdAt,
        Instant stoppedAt) {
    public static final String SPLIT = "split";
    public static final String INTERLEAVE = "interleave";
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";

    /** The model kinds an arm may name: ALS, EASE, or popularity (no personal model). */
    public static final String POPULARITY = "popularity";

    /**
     * One arm: a personal model kind ({@code als}, {@code ease}) at a stored version, or {@code
     * popularity} (version null): the page without a personal model.
     */
    public record Arm(String kind, Integer version) {
        public String label() {
            return version == null ? kind : kind + " v" + version;
        }
    }

    public boolean running() {
        return RUNNING.equals(status);
    }

    public boolean interleaved() {
        return INTERLEAVE.equals(mode);
    }

    public Arm arm(char arm) {
        return arm == 'A' ? a : b;
    }
}
