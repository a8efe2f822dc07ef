package io.hilal.core.dashboard;

import io.hilal.core.lift.Estimate;
import io.hilal.core.lift.LiftStatistics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Repeat-purchase lift of one campaign, measured straight from its send ledger: the share of
 * treated and of held-out customers who bought again within {@code windowDays} of their send time,
 * day by day, with 95% intervals. Treated means assigned to treatment (intention to treat: every
 * state but HELD_OUT, so suppressed or failed sends still count), which keeps the comparison as
 * random as the holdout. Only sends at least a full window old count, so both groups had the same
 * time to buy.
 */
public final class RepeatPurchaseLift {
    static final double CONFIDENCE = 0.95;
    private static final double Z =
            new NormalDistribution(null, 0, 1).inverseCumulativeProbability(0.975);

    private RepeatPurchaseLift() {}

    /** One day of a cumulative curve: the share who bought within {@code day} days, with its CI. */
    public record Point(int day, double rate, double low, double high) {}

    /**
     * The result: group sizes and buyers within the window, the difference of rates (null while a
     * group has fewer than two customers), the minimum detectable effect (NaN then too), and both
     * cumulative curves.
     */
    public record Result(
            int windowDays,
            long treatedN,
            long holdoutN,
            long treatedBuyers,
            long holdoutBuyers,
            Estimate estimate,
            double minimumDetectableEffect,
            List<Point> treated,
            List<Point> holdout) {
        public boolean enoughData() {
            return estimate != null;
        }
    }

    public static Result measure(
            List<DashboardQueries.Exposure> exposures, int windowDays, Instant now) {
        Instant matured = now.minus(Duration.ofDays(windowDays));
        long[] treatedBy = new long[windowDays + 1];
        long[] holdoutBy = new long[windowDays + 1];
        long treatedN = 0;
        long holdoutN = 0;
        for (DashboardQueries.Exposure exposure : exposures) {
            if (exposure.sendAt().isAfter(matured)) {
                continue;
            }
            long[] counts = exposure.heldOut() ? holdoutBy : treatedBy;
            if (exposure.heldOut()) {
                holdoutN++;
            } else {
                treatedN++;
            }
            if (exposure.firstPurchaseAt() != null) {
                Duration after = Duration.between(exposure.sendAt(), exposure.firstPurchaseAt());
                // Day d counts purchases up to d × 24 h after the send; day 0 has none.
                long day = (after.toMillis() + Duration.ofDays(1).toMillis() - 1) / 86_400_000L;
                if (day <= windowDays) {
                    counts[(int) day]++;
                }
            }
        }
        List<Point> treated = curve(treatedBy, treatedN);
        List<Point> holdout = curve(holdoutBy, holdoutN);
        long treatedBuyers = sum(treatedBy);
        long holdoutBuyers = sum(holdoutBy);
        Estimate estimate = null;
        double mde = Double.NaN;
        if (treatedN >= 2 && holdoutN >= 2) {
            estimate =
                    LiftStatistics.proportions(
                            treatedBuyers, treatedN, holdoutBuyers, holdoutN, CONFIDENCE);
            mde =
                    LiftStatistics.minimumDetectableEffect(
                            (double) holdoutBuyers / holdoutN, treatedN, holdoutN, 0.05, 0.8);
        }
        return new Result(
                windowDays,
                treatedN,
                holdoutN,
                treatedBuyers,
                holdoutBuyers,
                estimate,
                mde,
                treated,
                holdout);
    }

    private static List<Point> curve(long[] byDay, long n) {
        List<Point> points = new ArrayList<>(byDay.length);
        if (n == 0) {
            return points;
        }
        long cumulative = 0;
        for (int day = 0; day < byDay.length; day++) {
            cumulative += byDay[day];
            double rate = (double) cumulative / n;
            double half = Z * Math.sqrt(rate * (1 - rate) / n);
            points.add(new Point(day, rate, Math.max(0, rate - half), Math.min(1, rate + half)));
        }
        return points;
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long value : values) {
            total += value;
        }
        return total;
    }
}
