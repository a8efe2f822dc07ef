package io.hilal.core.lift;

import java.util.Arrays;
import org.apache.commons.math3.util.KthSelector;

/**
 * Caps per-customer values so that one wholesale order or one huge refund does not decide a
 * comparison on its own — at percentiles of the customers who bought (or refunded), not of
 * everyone. Most customers buy nothing in a window; at a 1.5% buy rate the 98th percentile of
 * everyone is 0, and capping there erased every real effect on revenue. So the upper cut-off is the
 * upper percentile of the positive values, the lower one the lower percentile of the negative
 * values (net refunds), and 0 stays 0. Lift reports take the cut-offs from the pooled sample (both
 * arms together), so they do not depend on who was held out.
 */
public final class Winsorizer {
    private Winsorizer() {}

    /** The clamp bounds (low ≤ 0 ≤ high). */
    public record Cutoffs(double low, double high) {
        public double[] apply(double[] values) {
            double[] clamped = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                clamped[i] = Math.max(low, Math.min(high, values[i]));
            }
            return clamped;
        }
    }

    /**
     * The upper cut-off at {@code upperPercentile} of the positive values, the lower one at {@code
     * lowerPercentile} of the negative values (nearest rank, rounded outwards); 0 on a side with no
     * values.
     */
    public static Cutoffs cutoffs(double[] values, double lowerPercentile, double upperPercentile) {
        double[] positive = Arrays.stream(values).filter(v -> v > 0).toArray();
        double[] negative = Arrays.stream(values).filter(v -> v < 0).toArray();
        // Selection rather than a full sort: reports and their simulations call this a lot.
        KthSelector selector = new KthSelector();
        double high =
                positive.length == 0
                        ? 0
                        : selector.select(
                                positive,
                                null,
                                (int) Math.ceil(upperPercentile * (positive.length - 1)));
        double low =
                negative.length == 0
                        ? 0
                        : selector.select(
                                negative,
                                null,
                                (int) Math.floor(lowerPercentile * (negative.length - 1)));
        return new Cutoffs(low, high);
    }

    public static double[] winsorize(
            double[] values, double lowerPercentile, double upperPercentile) {
        if (values.length == 0) {
            return values;
        }
        return cutoffs(values, lowerPercentile, upperPercentile).apply(values);
    }
}
