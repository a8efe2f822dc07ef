package io.hilal.core.lift;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The statistics of a treated-versus-holdout comparison. Rates use the unpooled Wald interval for a
 * difference of proportions and a pooled z-test for the p-value; means use Welch's t interval
 * (unequal variances, Welch–Satterthwaite degrees of freedom). Relative lift intervals come from
 * the delta method on the ratio. Each method is checked by simulation on real purchase data (A/A
 * splits) before it is trusted; see MEASURE.md.
 */
public final class LiftStatistics {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private LiftStatistics() {}

    /** Difference of two proportions (e.g. repeat-purchase rate) at {@code confidence}. */
    public static Estimate proportions(
            long treatedSuccesses,
            long treatedN,
            long holdoutSuccesses,
            long holdoutN,
            double confidence) {
        requireSamples(treatedN, holdoutN);
        double p1 = (double) treatedSuccesses / treatedN;
        double p0 = (double) holdoutSuccesses / holdoutN;
        double difference = p1 - p0;
        double se = Math.sqrt(p1 * (1 - p1) / treatedN + p0 * (1 - p0) / holdoutN);
        double z = NORMAL.inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double pooled = (double) (treatedSuccesses + holdoutSuccesses) / (treatedN + holdoutN);
        double pooledSe = Math.sqrt(pooled * (1 - pooled) * (1.0 / treatedN + 1.0 / holdoutN));
        double pValue =
                pooledSe == 0
                        ? 1.0
                        : 2 * (1 - NORMAL.cumulativeProbability(Math.abs(difference / pooledSe)));
        return withRelative(
                p1,
                p0,
                difference,
                difference - z * se,
                difference + z * se,
                pValue,
                p1 * (1 - p1) / treatedN,
                p0 * (1 - p0) / holdoutN,
                z);
    }

    /** Difference of two means (orders or revenue per customer) by Welch's t interval. */
    public static Estimate means(Sample treated, Sample holdout, double confidence) {
        requireSamples(treated.n(), holdout.n());
        double v1 = treated.variance() / treated.n();
        double v0 = holdout.variance() / holdout.n();
        double se = Math.sqrt(v1 + v0);
        double difference = treated.mean() - holdout.mean();
        if (se == 0) {
            return withRelative(
                    treated.mean(),
                    holdout.mean(),
                    difference,
                    difference,
                    difference,
                    difference == 0 ? 1.0 : 0.0,
                    0,
                    0,
                    0);
        }
        double df = welchDegreesOfFreedom(v1, v0, treated.n(), holdout.n());
        TDistribution t = new TDistribution(null, df);
        double quantile = t.inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double pValue = 2 * (1 - t.cumulativeProbability(Math.abs(difference / se)));
        return withRelative(
                treated.mean(),
                holdout.mean(),
                difference,
                difference - quantile * se,
                difference + quantile * se,
                pValue,
                v1,
                v0,
                quantile);
    }

    static double welchDegreesOfFreedom(double v1, double v0, long n1, long n0) {
        return (v1 + v0) * (v1 + v0) / (v1 * v1 / (n1 - 1) + v0 * v0 / (n0 - 1));
    }

    /**
     * Sample-ratio mismatch: the chi-squared p-value that {@code treatedN : holdoutN} came from a
     * split with the configured holdout share. A tiny p-value (below 0.001) means the assignment or
     * the data pipeline is broken, and the lift cannot be trusted.
     */
    public static double sampleRatioPValue(long treatedN, long holdoutN, double holdoutShare) {
        long total = treatedN + holdoutN;
        double expectedHoldout = total * holdoutShare;
        double expectedTreated = total - expectedHoldout;
        double chi2 =
                Math.pow(holdoutN - expectedHoldout, 2) / expectedHoldout
                        + Math.pow(treatedN - expectedTreated, 2) / expectedTreated;
        return 1 - new ChiSquaredDistribution(null, 1).cumulativeProbability(chi2);
    }

    /**
     * The smallest absolute difference in a rate that a two-sided test at {@code alpha} detects
     * with probability {@code power}, for a baseline rate and the two group sizes.
     */
    public static double minimumDetectableEffect(
            double baselineRate, long treatedN, long holdoutN, double alpha, double power) {
        requireSamples(treatedN, holdoutN);
        double z =
                NORMAL.inverseCumulativeProbability(1 - alpha / 2)
                        + NORMAL.inverseCumulativeProbability(power);
        double variance = baselineRate * (1 - baselineRate);
        return z * Math.sqrt(variance / treatedN + variance / holdoutN);
    }

    private static Estimate withRelative(
            double treated,
            double holdout,
            double difference,
            double low,
            double high,
            double pValue,
            double treatedVariance,
            double holdoutVariance,
            double quantile) {
        if (holdout == 0) {
            return new Estimate(
                    treated,
                    holdout,
                    difference,
                    low,
                    high,
                    pValue,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN);
        }
        // Delta method: Var(T/H) ≈ (T/H)^2 (Var T / T^2 + Var H / H^2).
        double ratio = treated / holdout;
        double relativeSe =
                Math.sqrt(
                        treatedVariance / (holdout * holdout)
                                + treated * treated * holdoutVariance / Math.pow(holdout, 4));
        double relative = ratio - 1;
        return new Estimate(
                treated,
                holdout,
                difference,
                low,
                high,
                pValue,
                relative,
                relative - quantile * relativeSe,
                relative + quantile * relativeSe);
    }

    private static void requireSamples(long treatedN, long holdoutN) {
        if (treatedN < 2 || holdoutN < 2) {
            throw new IllegalArgumentException("each group needs at least two customers");
        }
    }
}
