package io.hilal.core.reco;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * Whether a product a customer owns belongs in "Time to restock", and how strongly: only once at
 * least {@value #DUE_SHARE} of their usual gap for it has elapsed (due, or nearly), and not past
 * the due date by more than {@value #OVERDUE_DAYS} days (by then they have likely bought it
 * elsewhere or moved on). A product bought yesterday is never "time to restock", however confident
 * the timing.
 */
public final class RestockPolicy {
    /** The share of the usual gap that must have elapsed since the last purchase. */
    static final double DUE_SHARE = 0.8;

    /** How many days past due a suggestion is still worth showing. */
    static final int OVERDUE_DAYS = 21;

    /** Timings held with less confidence are guesses, not rhythms. */
    static final double MIN_CONFIDENCE = 0.15;

    private RestockPolicy() {}

    /**
     * The restock score (confidence, more the closer to the due date), or empty when the product is
     * not due.
     */
    public static OptionalDouble score(RecommendationModel.Timing timing, Instant asOf) {
        double gap = timing.gapDays();
        if (Double.isNaN(gap) || gap <= 0 || timing.confidence() < MIN_CONFIDENCE) {
            return OptionalDouble.empty();
        }
        double elapsed = Ownership.days(timing.lastBought(), asOf);
        if (elapsed < DUE_SHARE * gap || elapsed - gap > OVERDUE_DAYS) {
            return OptionalDouble.empty();
        }
        double earlyMargin = (1 - DUE_SHARE) * gap;
        double offBy =
                elapsed < gap ? (gap - elapsed) / earlyMargin : (elapsed - gap) / OVERDUE_DAYS;
        double closeness = 1 - Math.min(1, offBy);
        return OptionalDouble.of(timing.confidence() * (0.5 + 0.5 * closeness));
    }
}
