package io.hilal.core.lift;

/**
 * The lift of one offer variant against the holdout, without I/O: what the repeat-purchase rate
 * would have been had every treated customer been sent this variant, minus the holdout's rate.
 *
 * <p>Variants are allocated adaptively (Thompson sampling, per segment), so the customers who got a
 * variant are not a random sample of the treated: a variant that does well in one segment is sent
 * there more. Each of its customers therefore counts with weight 1 / (the probability the variant
 * had of being chosen for them, recorded with the send): inverse probability weighting, normalized
 * (Hájek), which is unbiased for that "everyone gets this variant" rate while the allocation moves.
 * Treated customers whose send never reached the variant choice (suppressed, expired, not due yet)
 * count with weight 1: no variant would have changed what they got. The holdout is the campaign's.
 * The interval is the look's (always-valid at interim looks, as the campaign's lift), on the
 * weighted estimator's linearized standard error.
 */
public final class VariantLift {
    private VariantLift() {}

    /**
     * @param buyer per customer: ordered in the window (the repeat-purchase outcome)
     * @param heldOut per customer: in the holdout
     * @param variant per customer: the index of the variant its send carried, or -1 for none
     * @param share per customer: the probability that variant had of being chosen
     * @param of the variant to estimate
     */
    public static Result estimate(
            boolean[] buyer,
            boolean[] heldOut,
            int[] variant,
            double[] share,
            int of,
            LiftAnalysis.Settings settings,
            Look look) {
        int n = buyer.length;
        if (heldOut.length != n || variant.length != n || share.length != n) {
            throw new IllegalArgumentException("one value per customer in every array");
        }
        double weights = 0;
        double weighted = 0;
        long sends = 0;
        long buyers = 0;
        long holdout = 0;
        long holdoutBuyers = 0;
        for (int i = 0; i < n; i++) {
            if (heldOut[i]) {
                holdout++;
                holdoutBuyers += buyer[i] ? 1 : 0;
                continue;
            }
            double w = weight(variant[i], share[i], of);
            weights += w;
            weighted += w * (buyer[i] ? 1 : 0);
            if (variant[i] == of) {
                sends++;
                buyers += buyer[i] ? 1 : 0;
            }
        }
        if (sends < settings.minCustomersPerArm() || holdout < settings.minCustomersPerArm()) {
            return Result.notEnough(
                    sends,
                    buyers,
                    LiftVerdict.tooFewVariantCustomers(
                            settings.minCustomersPerArm(), sends, holdout));
        }
        if (buyers < settings.minBuyersPerArm() || holdoutBuyers < settings.minBuyersPerArm()) {
            return Result.notEnough(
                    sends,
                    buyers,
                    LiftVerdict.tooFewVariantBuyers(
                            settings.minBuyersPerArm(), buyers, holdoutBuyers));
        }
        double rate = weighted / weights;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            if (!heldOut[i]) {
                double w = weight(variant[i], share[i], of);
                double d = (buyer[i] ? 1 : 0) - rate;
                squares += w * w * d * d;
            }
        }
        double rateVariance = squares / (weights * weights);
        double holdoutRate = (double) holdoutBuyers / holdout;
        double holdoutVariance = holdoutRate * (1 - holdoutRate) / holdout;
        double se = Math.sqrt(rateVariance + holdoutVariance);
        // The confidence sequence counts every customer measured, as the campaign's does.
        Estimate estimate =
                LiftStatistics.atLook(rate, holdoutRate, se, Double.POSITIVE_INFINITY, n, look);
        return new Result(sends, buyers, estimate, null);
    }

    private static double weight(int variant, double share, int of) {
        if (variant < 0) {
            return 1;
        }
        if (variant != of) {
            return 0;
        }
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("a chosen variant's share must be in (0, 1]");
        }
        return 1 / share;
    }

    /**
     * Customers sent the variant and who of them ordered; the estimate (weighted rate − holdout
     * rate with the look's interval), or why there is none yet.
     */
    public record Result(long sends, long buyers, Estimate estimate, String notEnoughData) {
        static Result notEnough(long sends, long buyers, String why) {
            return new Result(sends, buyers, null, why);
        }

        public boolean enoughData() {
            return estimate != null;
        }
    }
}
