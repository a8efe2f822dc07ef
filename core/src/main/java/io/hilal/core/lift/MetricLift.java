package io.hilal.core.lift;

/**
 * One metric's treated-versus-holdout comparison as reported: the headline estimate (CUPED-adjusted
 * with the customer's pre-period value of the same metric as covariate), the unadjusted estimate
 * beside it, how much CUPED shrank the variance of the difference, the minimum detectable effect at
 * the report's sample sizes, and for winsorized metrics the pooled cut-offs.
 */
public record MetricLift(
        String method,
        Estimate estimate,
        Estimate unadjusted,
        double theta,
        double varianceReduction,
        double minimumDetectableEffect,
        Winsorizer.Cutoffs cutoffs) {}
