package io.hilal.core.lift;

import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The whole computation of a lift report from per-customer values, without any I/O: the same code
 * serves the reports and their validation by simulation (A/A splits and injected lifts), so what is
 * validated is what is reported.
 *
 * <p>It runs in two steps. {@link #prepare} does everything that does not depend on the assignment
 * — winsorizing at percentiles of the pooled sample and fitting CUPED on the pooled sample — and
 * {@link #compare} splits the prepared values by arm and computes the intervals. Metrics: the
 * repeat-purchase rate (share of customers with at least one order in the window), orders per
 * customer and net revenue per customer (refunds netted), the last two winsorized at both tails.
 */
public final class LiftAnalysis {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private LiftAnalysis() {}

    /**
     * How a report is computed. Results are "not enough data" unless each arm has at least {@code
     * minCustomersPerArm} customers and at least {@code minBuyersPerArm} customers who ordered in
     * the window (below that the normal approximations behind the intervals are not trustworthy).
     */
    public record Settings(
            double confidence,
            double lowerPercentile,
            double upperPercentile,
            int minCustomersPerArm,
            int minBuyersPerArm,
            double power) {
        public Settings {
            if (!(confidence > 0.5 && confidence < 1)) {
                throw new IllegalArgumentException("confidence must be in (0.5, 1)");
            }
            if (!(lowerPercentile >= 0 && lowerPercentile < upperPercentile)
                    || upperPercentile > 1) {
                throw new IllegalArgumentException("need 0 <= lower < upper <= 1 percentiles");
            }
            if (minCustomersPerArm < 2 || minBuyersPerArm < 0) {
                throw new IllegalArgumentException("need at least two customers per arm");
            }
            if (!(power > 0 && power < 1)) {
                throw new IllegalArgumentException("power must be in (0, 1)");
            }
        }

        public static Settings defaults() {
            return new Settings(0.95, 0.01, 0.98, 100, 10, 0.8);
        }
    }

    /**
     * Per-customer values, index by index: orders and net revenue in the window after the planned
     * send, and the same two in the pre-period before it (the CUPED covariates).
     */
    public record Outcomes(
            double[] orders, double[] revenue, double[] preOrders, double[] preRevenue) {
        public Outcomes {
            int n = orders.length;
            if (revenue.length != n || preOrders.length != n || preRevenue.length != n) {
                throw new IllegalArgumentException("every array needs one value per customer");
            }
        }

        public int size() {
            return orders.length;
        }
    }

    /** One metric's assignment-independent values: raw (winsorized) and CUPED-adjusted. */
    public record PreparedMetric(
            boolean proportion,
            double[] values,
            double[] adjusted,
            Cuped.Fit fit,
            Winsorizer.Cutoffs cutoffs) {}

    /** The three metrics, ready to split by arm. */
    public record Prepared(PreparedMetric repeat, PreparedMetric orders, PreparedMetric revenue) {
        public int size() {
            return repeat.values().length;
        }
    }

    /** Incremental revenue over the treated arm: (mean treated − mean holdout) × treated size. */
    public record IncrementalRevenue(double estimate, double low, double high) {}

    /** The comparison; the metrics are null when there is not enough data. */
    public record Result(
            long treatedCustomers,
            long holdoutCustomers,
            long treatedBuyers,
            long holdoutBuyers,
            String notEnoughData,
            MetricLift repeatRate,
            MetricLift ordersPerCustomer,
            MetricLift revenuePerCustomer,
            IncrementalRevenue incrementalRevenue) {
        public boolean enoughData() {
            return notEnoughData == null;
        }

        public List<MetricLift> metrics() {
            return enoughData()
                    ? List.of(repeatRate, ordersPerCustomer, revenuePerCustomer)
                    : List.of();
        }
    }

    public static Result analyze(Outcomes outcomes, boolean[] heldOut, Settings settings) {
        return compare(prepare(outcomes, settings), heldOut, settings);
    }

    /** Winsorizes and fits CUPED on the pooled sample: nothing here depends on the arms. */
    public static Prepared prepare(Outcomes outcomes, Settings settings) {
        int n = outcomes.size();
        double[] repeat = new double[n];
        double[] preRepeat = new double[n];
        for (int i = 0; i < n; i++) {
            repeat[i] = outcomes.orders()[i] > 0 ? 1 : 0;
            preRepeat[i] = outcomes.preOrders()[i] > 0 ? 1 : 0;
        }
        Cuped.Fit repeatFit = Cuped.fit(repeat, preRepeat);
        return new Prepared(
                new PreparedMetric(
                        true, repeat, repeatFit.apply(repeat, preRepeat), repeatFit, null),
                winsorized(outcomes.orders(), outcomes.preOrders(), settings),
                winsorized(outcomes.revenue(), outcomes.preRevenue(), settings));
    }

    private static PreparedMetric winsorized(
            double[] outcome, double[] covariate, Settings settings) {
        Winsorizer.Cutoffs cutoffs =
                Winsorizer.cutoffs(outcome, settings.lowerPercentile(), settings.upperPercentile());
        double[] values = cutoffs.apply(outcome);
        double[] pre =
                Winsorizer.winsorize(
                        covariate, settings.lowerPercentile(), settings.upperPercentile());
        Cuped.Fit fit = Cuped.fit(values, pre);
        return new PreparedMetric(false, values, fit.apply(values, pre), fit, cutoffs);
    }

    /** Splits the prepared values by arm ({@code heldOut[i]}) and computes every interval. */
    public static Result compare(Prepared prepared, boolean[] heldOut, Settings settings) {
        if (heldOut.length != prepared.size()) {
            throw new IllegalArgumentException("one arm flag per customer is needed");
        }
        double[] repeat = prepared.repeat().values();
        long holdoutN = 0;
        long holdoutBuyers = 0;
        long treatedBuyers = 0;
        for (int i = 0; i < heldOut.length; i++) {
            if (heldOut[i]) {
                holdoutN++;
                holdoutBuyers += (long) repeat[i];
            } else {
                treatedBuyers += (long) repeat[i];
            }
        }
        long treatedN = heldOut.length - holdoutN;
        String reason = notEnoughData(treatedN, holdoutN, treatedBuyers, holdoutBuyers, settings);
        if (reason != null) {
            return new Result(
                    treatedN,
                    holdoutN,
                    treatedBuyers,
                    holdoutBuyers,
                    reason,
                    null,
                    null,
                    null,
                    null);
        }
        MetricLift repeatRate = metric(prepared.repeat(), heldOut, settings);
        MetricLift orders = metric(prepared.orders(), heldOut, settings);
        MetricLift revenue = metric(prepared.revenue(), heldOut, settings);
        Estimate headline = revenue.estimate();
        return new Result(
                treatedN,
                holdoutN,
                treatedBuyers,
                holdoutBuyers,
                null,
                repeatRate,
                orders,
                revenue,
                new IncrementalRevenue(
                        headline.difference() * treatedN,
                        headline.low() * treatedN,
                        headline.high() * treatedN));
    }

    static String notEnoughData(
            long treatedN,
            long holdoutN,
            long treatedBuyers,
            long holdoutBuyers,
            Settings settings) {
        if (treatedN < settings.minCustomersPerArm() || holdoutN < settings.minCustomersPerArm()) {
            return "Each arm needs at least "
                    + settings.minCustomersPerArm()
                    + " customers; treated has "
                    + treatedN
                    + ", holdout "
                    + holdoutN
                    + ".";
        }
        if (treatedBuyers < settings.minBuyersPerArm()
                || holdoutBuyers < settings.minBuyersPerArm()) {
            return "Each arm needs at least "
                    + settings.minBuyersPerArm()
                    + " customers who ordered in the window; treated has "
                    + treatedBuyers
                    + ", holdout "
                    + holdoutBuyers
                    + ".";
        }
        return null;
    }

    private static MetricLift metric(PreparedMetric metric, boolean[] heldOut, Settings settings) {
        Sample[] raw = split(metric.values(), heldOut);
        Sample[] adjusted = split(metric.adjusted(), heldOut);
        Estimate unadjusted;
        double rawVariance;
        if (metric.proportion()) {
            long treatedSuccesses = Math.round(raw[0].mean() * raw[0].n());
            long holdoutSuccesses = Math.round(raw[1].mean() * raw[1].n());
            unadjusted =
                    LiftStatistics.proportions(
                            treatedSuccesses,
                            raw[0].n(),
                            holdoutSuccesses,
                            raw[1].n(),
                            settings.confidence());
            double p1 = raw[0].mean();
            double p0 = raw[1].mean();
            rawVariance = p1 * (1 - p1) / raw[0].n() + p0 * (1 - p0) / raw[1].n();
        } else {
            unadjusted = LiftStatistics.means(raw[0], raw[1], settings.confidence());
            rawVariance = differenceVariance(raw);
        }
        Estimate cuped = LiftStatistics.means(adjusted[0], adjusted[1], settings.confidence());
        double cupedVariance = differenceVariance(adjusted);
        double reduction = rawVariance == 0 ? 0 : 1 - cupedVariance / rawVariance;
        double alpha = 1 - settings.confidence();
        double mde =
                (NORMAL.inverseCumulativeProbability(1 - alpha / 2)
                                + NORMAL.inverseCumulativeProbability(settings.power()))
                        * Math.sqrt(cupedVariance);
        return new MetricLift(
                metric.proportion()
                        ? "CUPED-adjusted difference of rates, Welch t interval (unadjusted: Wald"
                                + " interval, pooled z-test)"
                        : "CUPED-adjusted difference of winsorized means, Welch t interval",
                cuped,
                unadjusted,
                metric.fit().theta(),
                reduction,
                mde,
                metric.cutoffs());
    }

    private static double differenceVariance(Sample[] arms) {
        return arms[0].variance() / arms[0].n() + arms[1].variance() / arms[1].n();
    }

    /** {treated, holdout} samples of {@code values}, in two passes for accuracy. */
    static Sample[] split(double[] values, boolean[] heldOut) {
        double[] sum = new double[2];
        long[] count = new long[2];
        for (int i = 0; i < values.length; i++) {
            int arm = heldOut[i] ? 1 : 0;
            sum[arm] += values[i];
            count[arm]++;
        }
        double[] mean = {sum[0] / count[0], sum[1] / count[1]};
        double[] squares = new double[2];
        for (int i = 0; i < values.length; i++) {
            int arm = heldOut[i] ? 1 : 0;
            double d = values[i] - mean[arm];
            squares[arm] += d * d;
        }
        return new Sample[] {
            new Sample(count[0], mean[0], count[0] > 1 ? squares[0] / (count[0] - 1) : 0),
            new Sample(count[1], mean[1], count[1] > 1 ? squares[1] / (count[1] - 1) : 0)
        };
    }
}
