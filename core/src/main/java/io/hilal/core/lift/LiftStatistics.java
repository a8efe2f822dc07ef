package io.hilal.core.lift;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The statistics of a treated-versus-holdout comparison. Rates use the unpooled (Wald) standard
 * error for both the interval and the z-test, so the interval excludes 0 exactly when p is below α
 * (a pooled test beside a Wald interval contradicted it in 1–3% of reports); means use Welch's t
 * interval and test (unequal variances, Welch–Satterthwaite degrees of freedom). Relative lift
 * intervals come from the delta method on the ratio. {@link #atLook} gives the interval a report's
 * look may show (see {@link Look}). Each method is checked by simulation on real purchase data (A/A
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
        double pValue =
                se == 0
                        ? (difference == 0 ? 1.0 : 0.0)
                        : 2 * NORMAL.cumulativeProbability(-Math.abs(difference / se));
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

    /**
     * The interval and p-value a look may show for a difference with standard error {@code se}:
     * Welch's t with {@code degreesOfFreedom} (infinite: normal) at a fixed-horizon or final look,
     * the always-valid {@link ConfidenceSequence} over {@code customers} at an interim look. The
     * p-value is on the look's α scale ({@link Look#onAlphaScale}), so it is at most the overall α
     * exactly when the interval excludes 0. The relative lift is left out (NaN): {@link
     * RelativeLift} adds it against the holdout's observed level.
     */
    public static Estimate atLook(
            double treated,
            double holdout,
            double se,
            double degreesOfFreedom,
            long customers,
            Look look) {
        double difference = treated - holdout;
        double quantile = quantile(degreesOfFreedom, customers, look);
        double pValue;
        if (se == 0) {
            pValue = difference == 0 ? 1.0 : 0.0;
        } else {
            double z = Math.abs(difference / se);
            if (look.sequential()) {
                pValue = ConfidenceSequence.pValue(z, customers, look.tuningN(), look.alpha());
            } else if (Double.isInfinite(degreesOfFreedom)) {
                pValue = 2 * NORMAL.cumulativeProbability(-z);
            } else {
                pValue = 2 * new TDistribution(null, degreesOfFreedom).cumulativeProbability(-z);
            }
        }
        return new Estimate(
                treated,
                holdout,
                difference,
                difference - quantile * se,
                difference + quantile * se,
                look.onAlphaScale(pValue),
                Double.NaN,
                Double.NaN,
                Double.NaN);
    }

    /** The half-width of a look's interval in standard errors. */
    public static double quantile(double degreesOfFreedom, long customers, Look look) {
        if (look.sequential()) {
            return ConfidenceSequence.multiplier(customers, look.tuningN(), look.alpha());
        }
        double upper = 1 - look.alpha() / 2;
        return Double.isInfinite(degreesOfFreedom) || !(degreesOfFreedom > 0)
                ? NORMAL.inverseCumulativeProbability(upper)
                : new TDistribution(null, degreesOfFreedom).inverseCumulativeProbability(upper);
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
