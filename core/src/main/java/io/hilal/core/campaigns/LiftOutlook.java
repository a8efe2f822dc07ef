package io.hilal.core.campaigns;

import io.hilal.core.lift.LiftVerdict;
import java.util.Locale;

/**
 * Whether a campaign's lift report can ever give an answer: the report says "not enough data" until
 * each group (treated and held out) has a minimum of customers and of buyers, so a holdout too
 * small for that makes the whole measurement pointless. Buyers are expected at the audience's
 * baseline repeat rate. When the planned holdout falls short, the smallest holdout share (in whole
 * percent, at most the 50% a campaign may hold out) that would reach the minimums is suggested.
 *
 * @param canAnswer whether both groups are expected to reach the minimums
 * @param suggestedHoldoutShare the smallest share that would, or null when none would (or the
 *     planned one does)
 * @param note the verdict in a sentence
 */
public record LiftOutlook(boolean canAnswer, Double suggestedHoldoutShare, String note) {
    /** The lift report's minimums per group (config: lift.minCustomersPerArm / minBuyersPerArm). */
    public record Thresholds(int minCustomersPerArm, int minBuyersPerArm) {
        public static final Thresholds DEFAULT = new Thresholds(100, 10);
    }

    static final double MAX_SHARE = 0.5;

    /**
     * @param audience customers in the audience, holdout included
     * @param holdout customers held out as planned
     * @param baselineRate share of the audience expected to buy again in the window
     */
    public static LiftOutlook of(
            int audience, int holdout, double baselineRate, Thresholds thresholds) {
        int treated = audience - holdout;
        if (reaches(treated, baselineRate, thresholds)
                && reaches(holdout, baselineRate, thresholds)) {
            return new LiftOutlook(
                    true,
                    null,
                    String.format(
                            Locale.ENGLISH,
                            "The lift report can give an answer: %d treated and %d held out,"
                                    + " about %.0f buyers expected in the smaller group (%s).",
                            treated,
                            holdout,
                            Math.min(treated, holdout) * baselineRate,
                            minimums(thresholds)));
        }
        String shortfall =
                String.format(
                        Locale.ENGLISH,
                        "The lift report will never give an answer: %s, and %d held out of %d"
                                + " (at a %.1f%% baseline repeat rate, about %.0f buyers) fall"
                                + " short.",
                        minimums(thresholds),
                        holdout,
                        audience,
                        baselineRate * 100,
                        holdout * baselineRate);
        for (int percent = 1; percent <= (int) Math.round(MAX_SHARE * 100); percent++) {
            int held = (int) Math.floor(audience * percent / 100.0);
            if (reaches(held, baselineRate, thresholds)
                    && reaches(audience - held, baselineRate, thresholds)) {
                double share = percent / 100.0;
                return new LiftOutlook(
                        false,
                        share,
                        shortfall
                                + String.format(
                                        Locale.ENGLISH,
                                        " A holdout share of %d%% (about %d customers) would reach"
                                                + " them.",
                                        percent,
                                        held));
            }
        }
        return new LiftOutlook(
                false,
                null,
                shortfall
                        + (baselineRate <= 0
                                ? " No one in this audience ordered recently, so no holdout share"
                                        + " can reach the buyers needed. "
                                : " No holdout share up to 50% would: the audience is too small. ")
                        // Where a shop this small finds its answer: all its emails, over time.
                        + LiftVerdict.programInstead());
    }

    private static String minimums(Thresholds thresholds) {
        return LiftVerdict.minimums(thresholds.minCustomersPerArm(), thresholds.minBuyersPerArm());
    }

    private static boolean reaches(int customers, double rate, Thresholds thresholds) {
        return customers >= thresholds.minCustomersPerArm()
                && customers * rate >= thresholds.minBuyersPerArm();
    }
}
