package io.hilal.core.lift;

/**
 * One metric's treated-versus-holdout comparison as reported: the headline estimate (CUPED-adjusted
 * with the customer's pre-period value of the same metric as covariate), the unadjusted estimate
 * beside it, how much CUPED shrank the variance of the difference, the minimum detectable effect at
 * the report's sample sizes, and for capped metrics the pooled cut-offs. The repeat-purchase rate
 * is the primary metric; for a secondary one, {@code adjustedPValue} (gated by the primary and
 * Holm-adjusted, see {@link Multiplicity}) is what decides whether it claims an effect.
 */
public record MetricLift(
        String method,
        Estimate estimate,
        Estimate unadjusted,
        double theta,
        double varianceReduction,
        double minimumDetectableEffect,
        Winsorizer.Cutoffs cutoffs,
        boolean primary,
        double adjustedPValue) {

    public MetricLift withAdjustedPValue(double adjusted) {
        return new MetricLift(
                method,
                estimate,
                unadjusted,
                theta,
                varianceReduction,
                minimumDetectableEffect,
                cutoffs,
                primary,
                adjusted);
    }

    /** Whether this metric claims an effect at {@code alpha} after the multiplicity adjustment. */
    public boolean claimsEffect(double alpha) {
        return adjustedPValue <= alpha;
    }
}
