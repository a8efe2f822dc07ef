package io.hilal.core.lift;

/**
 * The relative lift, difference ÷ the holdout's observed level, and its interval by the delta
 * method — only when that level is measured well enough to divide by. The denominator is the
 * holdout's raw (not CUPED-adjusted) level: an adjusted mean can sit near 0 and turn a small
 * difference into "+986%". Below {@link #MAX_BASELINE_CV} relative error of the level (its standard
 * error over itself) the ratio is reported; above it, or at a level of 0 or less, it is absent.
 */
public final class RelativeLift {
    /** A baseline known to within ±25% (one standard error) is the least we divide by. */
    public static final double MAX_BASELINE_CV = 0.25;

    private RelativeLift() {}

    /** {relative, low, high}, or three NaNs when the baseline is too uncertain or not positive. */
    public static double[] of(
            double difference,
            double differenceVariance,
            double baseline,
            double baselineVariance,
            double quantile) {
        if (!(baseline > 0) || Math.sqrt(baselineVariance) / baseline > MAX_BASELINE_CV) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double relative = difference / baseline;
        // Delta method for d / b: Var ≈ Var d / b² + d² Var b / b⁴.
        double se =
                Math.sqrt(
                        differenceVariance / (baseline * baseline)
                                + difference
                                        * difference
                                        * baselineVariance
                                        / Math.pow(baseline, 4));
        return new double[] {relative, relative - quantile * se, relative + quantile * se};
    }
}
