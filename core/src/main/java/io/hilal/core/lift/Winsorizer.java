package io.hilal.core.lift;

import org.apache.commons.math3.util.KthSelector;

/**
 * Clamps values to the given lower and upper percentiles (both tails): one wholesale order or one
 * huge refund otherwise decides a revenue comparison on its own. Lift reports take the cut-offs
 * from the pooled sample (both arms together), so they do not depend on who was held out.
 */
public final class Winsorizer {
    private Winsorizer() {}

    /** The clamp bounds at two percentiles (nearest rank, rounded outwards). */
    public record Cutoffs(double low, double high) {
        public double[] apply(double[] values) {
            double[] clamped = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                clamped[i] = Math.max(low, Math.min(high, values[i]));
            }
            return clamped;
        }
    }

    public static Cutoffs cutoffs(double[] values, double lowerPercentile, double upperPercentile) {
        if (values.length == 0) {
            return new Cutoffs(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        // Selection rather than a full sort: reports and their simulations call this a lot.
        double[] work = values.clone();
        KthSelector selector = new KthSelector();
        int last = work.length - 1;
        return new Cutoffs(
                selector.select(work, null, (int) Math.floor(lowerPercentile * last)),
                selector.select(work, null, (int) Math.ceil(upperPercentile * last)));
    }

    public static double[] winsorize(
            double[] values, double lowerPercentile, double upperPercentile) {
        if (values.length == 0) {
            return values;
        }
        return cutoffs(values, lowerPercentile, upperPercentile).apply(values);
    }
}
