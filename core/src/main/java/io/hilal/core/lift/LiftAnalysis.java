package io.hilal.core.lift;

import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The whole computation of a lift report from per-customer values, without any I/O: the same code
 * serves the reports and their validation by simulation (A/A splits and injected lifts), so what is
 * validated is what is reported.
 *
 * <p>It runs in two steps. {@link #prepare} does everything that does not depend on the assignment
 * — capping at percentiles of the pooled sample's buyers ({@link Winsorizer}) and fitting CUPED on
 * the pooled sample — and {@link #compare} splits the prepared values by arm and computes the
 * intervals a {@link Look} allows. Metrics: the repeat-purchase rate (share of customers with at
 * least one order in the window; primary), orders per customer and net revenue per customer
 * (refunds netted; secondary, capped).
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
            double power,
            double interimAlpha) {
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
            if (!(interimAlpha > 0 && interimAlpha < 1 - confidence)) {
                throw new IllegalArgumentException(
                        "interimAlpha must be above 0 and below 1 - confidence");
            }
        }

        /** These thresholds, with a fifth of the error (1 − confidence) spent on interim looks. */
        public Settings(
                double confidence,
                double lowerPercentile,
                double upperPercentile,
                int minCustomersPerArm,
                int minBuyersPerArm,
                double power) {
            this(
                    confidence,
                    lowerPercentile,
                    upperPercentile,
                    minCustomersPerArm,
                    minBuyersPerArm,
                    power,
                    (1 - confidence) / 5);
        }

        public static Settings defaults() {
            return new Settings(0.95, 0.01, 0.95, 100, 10, 0.8, 0.01);
        }

        /** The interim look on day {@code day} of {@code ofDays}. */
        public Look interim(int day, int ofDays, long plannedCustomers) {
            return Look.interim(day, ofDays, confidence, interimAlpha, plannedCustomers);
        }

        /** The final look, after every window closed. */
        public Look finalLook(int ofDays) {
            return Look.finalLook(ofDays, confidence, interimAlpha);
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

    /** One fixed-horizon look at {@code settings.confidence()}. */
    public static Result analyze(Outcomes outcomes, boolean[] heldOut, Settings settings) {
        return analyze(outcomes, heldOut, settings, Look.fixedHorizon(settings.confidence()));
    }

    public static Result analyze(
            Outcomes outcomes, boolean[] heldOut, Settings settings, Look look) {
        return compare(prepare(outcomes, settings), heldOut, settings, look);
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

    /** One fixed-horizon look at {@code settings.confidence()}. */
    public static Result compare(Prepared prepared, boolean[] heldOut, Settings settings) {
        return compare(prepared, heldOut, settings, Look.fixedHorizon(settings.confidence()));
    }

    /**
     * Splits the prepared values by arm ({@code heldOut[i]}) and computes every interval as {@code
     * look} allows. The repeat-purchase rate is the primary metric; orders and revenue are
     * secondary, and their adjusted p-values are gated by the primary's and Holm-adjusted between
     * the two (a serial gatekeeping procedure: the chance that an A/A campaign claims any effect
     * stays at most α).
     */
    public static Result compare(
            Prepared prepared, boolean[] heldOut, Settings settings, Look look) {
        return compare(split(prepared, heldOut), settings, look);
    }

    /**
     * Each prepared array's values by arm, {treated, holdout}: all any look needs, so several looks
     * (or a simulation's fast summation) can share one split.
     */
    public record Split(
            Prepared prepared,
            Sample[] repeat,
            Sample[] repeatAdjusted,
            Sample[] orders,
            Sample[] ordersAdjusted,
            Sample[] revenue,
            Sample[] revenueAdjusted) {
        public long treatedN() {
            return repeat[0].n();
        }

        public long holdoutN() {
            return repeat[1].n();
        }

        public long treatedBuyers() {
            return Math.round(repeat[0].mean() * repeat[0].n());
        }

        public long holdoutBuyers() {
            return Math.round(repeat[1].mean() * repeat[1].n());
        }
    }

    /** Splits the prepared values by arm ({@code heldOut[i]}), in two passes for accuracy. */
    public static Split split(Prepared prepared, boolean[] heldOut) {
        if (heldOut.length != prepared.size()) {
            throw new IllegalArgumentException("one arm flag per customer is needed");
        }
        return new Split(
                prepared,
                split(prepared.repeat().values(), heldOut),
                split(prepared.repeat().adjusted(), heldOut),
                split(prepared.orders().values(), heldOut),
                split(prepared.orders().adjusted(), heldOut),
                split(prepared.revenue().values(), heldOut),
                split(prepared.revenue().adjusted(), heldOut));
    }

    /** Every interval of one look from a split. */
    public static Result compare(Split split, Settings settings, Look look) {
        long treatedN = split.treatedN();
        long holdoutN = split.holdoutN();
        long treatedBuyers = split.treatedBuyers();
        long holdoutBuyers = split.holdoutBuyers();
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
        long n = treatedN + holdoutN;
        Prepared prepared = split.prepared();
        MetricLift repeatRate =
                lift(
                        prepared.repeat(),
                        split.repeat(),
                        split.repeatAdjusted(),
                        settings,
                        look,
                        n,
                        true);
        MetricLift orders =
                lift(
                        prepared.orders(),
                        split.orders(),
                        split.ordersAdjusted(),
                        settings,
                        look,
                        n,
                        false);
        MetricLift revenue =
                lift(
                        prepared.revenue(),
                        split.revenue(),
                        split.revenueAdjusted(),
                        settings,
                        look,
                        n,
                        false);
        double[] adjusted =
                Multiplicity.gatedHolm(
                        repeatRate.estimate().pValue(),
                        orders.estimate().pValue(),
                        revenue.estimate().pValue());
        orders = orders.withAdjustedPValue(adjusted[0]);
        revenue = revenue.withAdjustedPValue(adjusted[1]);
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
            return LiftVerdict.tooFewCustomers(settings.minCustomersPerArm(), treatedN, holdoutN);
        }
        if (treatedBuyers < settings.minBuyersPerArm()
                || holdoutBuyers < settings.minBuyersPerArm()) {
            return LiftVerdict.tooFewBuyers(
                    settings.minBuyersPerArm(), treatedBuyers, holdoutBuyers);
        }
        return null;
    }

    private static double welchDf(Sample[] arms) {
        double v1 = arms[0].variance() / arms[0].n();
        double v0 = arms[1].variance() / arms[1].n();
        return v1 + v0 == 0
                ? Double.POSITIVE_INFINITY
                : LiftStatistics.welchDegreesOfFreedom(v1, v0, arms[0].n(), arms[1].n());
    }

    private static MetricLift lift(
            PreparedMetric metric,
            Sample[] raw,
            Sample[] adjusted,
            Settings settings,
            Look look,
            long n,
            boolean primary) {
        // Like for like: the raw and CUPED variances of the difference are both the unbiased
        // sample variances over n, so the variance reduction compares the same estimator.
        double rawVariance = differenceVariance(raw);
        double cupedVariance = differenceVariance(adjusted);
        double cupedDf = welchDf(adjusted);
        Estimate cuped =
                LiftStatistics.atLook(
                        adjusted[0].mean(),
                        adjusted[1].mean(),
                        Math.sqrt(cupedVariance),
                        cupedDf,
                        n,
                        look);
        double rawDf = metric.proportion() ? Double.POSITIVE_INFINITY : welchDf(raw);
        double rawSe =
                metric.proportion()
                        ? proportionSe(raw[0].mean(), raw[0].n(), raw[1].mean(), raw[1].n())
                        : Math.sqrt(rawVariance);
        Estimate unadjusted =
                LiftStatistics.atLook(raw[0].mean(), raw[1].mean(), rawSe, rawDf, n, look);
        // Relative lifts divide by the holdout's observed level (never a CUPED-adjusted mean).
        double baseline = raw[1].mean();
        double baselineVariance = raw[1].variance() / raw[1].n();
        cuped =
                withRelative(
                        cuped,
                        RelativeLift.of(
                                cuped.difference(),
                                cupedVariance,
                                baseline,
                                baselineVariance,
                                LiftStatistics.quantile(cupedDf, n, look)));
        unadjusted =
                withRelative(
                        unadjusted,
                        RelativeLift.of(
                                unadjusted.difference(),
                                rawSe * rawSe,
                                baseline,
                                baselineVariance,
                                LiftStatistics.quantile(rawDf, n, look)));
        double reduction = rawVariance == 0 ? 0 : 1 - cupedVariance / rawVariance;
        double alpha = 1 - settings.confidence();
        double mde =
                (NORMAL.inverseCumulativeProbability(1 - alpha / 2)
                                + NORMAL.inverseCumulativeProbability(settings.power()))
                        * Math.sqrt(cupedVariance);
        String interval =
                switch (look.kind()) {
                    case INTERIM -> "always-valid confidence sequence (interim look)";
                    case FINAL -> "Welch t interval (final look)";
                    case FIXED_HORIZON -> "Welch t interval";
                };
        String unadjustedMethod =
                metric.proportion()
                        ? (look.sequential()
                                ? "unadjusted: the same sequence on the unpooled standard error"
                                : "unadjusted: unpooled z interval and z-test")
                        : "unadjusted: the same on raw winsorized values";
        return new MetricLift(
                (metric.proportion()
                                ? "CUPED-adjusted difference of rates, "
                                : "CUPED-adjusted difference of means capped at buyers'"
                                        + " percentiles, ")
                        + interval
                        + " ("
                        + unadjustedMethod
                        + ")",
                cuped,
                unadjusted,
                metric.fit().theta(),
                reduction,
                mde,
                metric.cutoffs(),
                primary,
                cuped.pValue());
    }

    private static Estimate withRelative(Estimate e, double[] relative) {
        return new Estimate(
                e.treated(),
                e.holdout(),
                e.difference(),
                e.low(),
                e.high(),
                e.pValue(),
                relative[0],
                relative[1],
                relative[2]);
    }

    private static double proportionSe(double p1, long n1, double p0, long n0) {
        return Math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);
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
