package io.hilal.core.lift;

/**
 * An always-valid confidence sequence for a difference of means: the asymptotic confidence sequence
 * of Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas ("Time-uniform central limit theory and
 * asymptotic confidence sequences", 2021), a normal-mixture boundary in the line of Robbins and of
 * Howard et al.'s confidence sequences. GrowthBook's and Eppo's "sequential" modes use this
 * formula; Optimizely's mixture SPRT is its test form. With {@code n} customers measured and
 * standard error {@code se} of the difference, the interval is {@code difference ± m · se} with
 *
 * <pre>m = sqrt(2 (nρ² + 1) / (nρ²) · ln(sqrt(nρ² + 1) / α))</pre>
 *
 * and it covers the true difference at every look at once with probability about 1 − α, however
 * often one looks. The mixing parameter ρ is tuned so that the sequence is narrowest at {@code
 * tuningN} customers (the campaign's planned audience); ρ does not depend on the data. The matching
 * always-valid p-value, {@code min(1, sqrt(nρ² + 1) · exp(−z² nρ² / (2 (nρ² + 1))))}, is at most α
 * exactly when the interval excludes 0, so the two never disagree.
 */
public final class ConfidenceSequence {
    private ConfidenceSequence() {}

    /** ρ² that makes the sequence narrowest at {@code tuningN} customers for error rate α. */
    static double rhoSquared(double alpha, double tuningN) {
        double l = -2 * Math.log(alpha);
        return (l + Math.log(l + 1)) / tuningN;
    }

    /** The half-width in standard errors, {@code m} above. */
    public static double multiplier(long n, double tuningN, double alpha) {
        requireValid(n, tuningN, alpha);
        double nr = n * rhoSquared(alpha, tuningN);
        return Math.sqrt(2 * (nr + 1) / nr * Math.log(Math.sqrt(nr + 1) / alpha));
    }

    /**
     * The always-valid p-value of a z statistic, with ρ tuned for the design error rate {@code
     * alpha}: at most {@code alpha} exactly when {@code |z| >= multiplier(n, tuningN, alpha)}.
     */
    public static double pValue(double z, long n, double tuningN, double alpha) {
        requireValid(n, tuningN, alpha);
        double nr = n * rhoSquared(alpha, tuningN);
        return Math.min(1, Math.sqrt(nr + 1) * Math.exp(-z * z * nr / (2 * (nr + 1))));
    }

    private static void requireValid(long n, double tuningN, double alpha) {
        if (n < 1 || !(tuningN >= 1) || !(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("need n >= 1, tuningN >= 1 and 0 < alpha < 1");
        }
    }
}
