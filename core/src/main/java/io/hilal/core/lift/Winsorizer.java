package io.hilal.core.lift;

import java.util.Arrays;

/**
 * Clamps values to the given lower and upper percentiles (both tails): one wholesale order or one
 * huge refund otherwise decides a revenue comparison on its own.
 */
public final class Winsorizer {
    private Winsorizer() {}

    public static double[] winsorize(
            double[] values, double lowerPercentile, double upperPercentile) {
        if (values.length == 0) {
            return values;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double low = sorted[(int) Math.floor(lowerPercentile * (sorted.length - 1))];
        double high = sorted[(int) Math.ceil(upperPercentile * (sorted.length - 1))];
        double[] clamped = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            clamped[i] = Math.max(low, Math.min(high, values[i]));
        }
        return clamped;
    }
}
