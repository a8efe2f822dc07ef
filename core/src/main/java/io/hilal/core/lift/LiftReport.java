package io.hilal.core.lift;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A campaign's lift report for one window length, as stored and served: what was compared (every
 * assigned customer, intention-to-treat), whether the answer is final, interim or "not enough data
 * yet", the sample-ratio check, and for each metric the CUPED-adjusted difference with its
 * interval, p-value, relative lift, the unadjusted difference beside it and the minimum detectable
 * effect. Numbers that cannot be computed (a relative lift over a zero or too uncertain holdout
 * level) are absent rather than NaN. {@code look} says which look this is and which interval it
 * shows (always-valid while the window is open, fixed-horizon at the final look); {@code
 * dataCutoff} is the end of the measured period and {@code dataReceivedThrough} the newest purchase
 * the database had received for it when the report was computed; {@code verdict} is the one
 * sentence every surface (dashboard, API, CSV) shows, from {@link LiftVerdict}.
 */
public record LiftReport(
        String campaignId,
        int windowDays,
        Instant computedAt,
        Status status,
        String statusDetail,
        Assignment assignment,
        Window window,
        Peeking peeking,
        SampleRatio sampleRatio,
        double confidence,
        Metrics metrics,
        Incremental incrementalRevenue,
        List<String> currencies,
        List<String> warnings,
        LookInfo look,
        Instant dataCutoff,
        Instant dataReceivedThrough,
        String verdict,
        Variants variants) {

    /** A report of a campaign without offer variants. */
    public LiftReport(
            String campaignId,
            int windowDays,
            Instant computedAt,
            Status status,
            String statusDetail,
            Assignment assignment,
            Window window,
            Peeking peeking,
            SampleRatio sampleRatio,
            double confidence,
            Metrics metrics,
            Incremental incrementalRevenue,
            List<String> currencies,
            List<String> warnings,
            LookInfo look,
            Instant dataCutoff,
            Instant dataReceivedThrough,
            String verdict) {
        this(
                campaignId,
                windowDays,
                computedAt,
                status,
                statusDetail,
                assignment,
                window,
                peeking,
                sampleRatio,
                confidence,
                metrics,
                incrementalRevenue,
                currencies,
                warnings,
                look,
                dataCutoff,
                dataReceivedThrough,
                verdict,
                null);
    }

    /**
     * The offer's variants (null for a campaign without): each one's figures and lift against the
     * holdout, and how the sends were allocated day by day.
     */
    public record Variants(
            String definition, List<VariantFigures> variants, List<Day> allocation) {}

    /**
     * One variant: sends that went out with it, customers who clicked it, and, among the customers
     * measured in the window, those sent it, those of them who ordered and their orders; its
     * repeat-purchase rate had every treated customer been sent it, against the holdout's (null
     * with {@code notEnoughData} until both have enough customers).
     */
    public record VariantFigures(
            String name,
            long sends,
            long clickers,
            long customers,
            long buyers,
            long orders,
            Double rate,
            Double holdoutRate,
            Double difference,
            Double low,
            Double high,
            Double pValue,
            boolean significant,
            String notEnoughData) {}

    /** The sends each variant was chosen for on one day (UTC). */
    public record Day(java.time.LocalDate date, Map<String, Long> sends) {}

    /** This report with its verdict sentence. */
    public LiftReport withVerdict(String sentence) {
        return new LiftReport(
                campaignId,
                windowDays,
                computedAt,
                status,
                statusDetail,
                assignment,
                window,
                peeking,
                sampleRatio,
                confidence,
                metrics,
                incrementalRevenue,
                currencies,
                warnings,
                look,
                dataCutoff,
                dataReceivedThrough,
                sentence,
                variants);
    }

    /**
     * Which look: INTERIM on {@code day} of {@code ofDays} (always-valid interval), or FINAL; the
     * confidence of the intervals shown, and how they are computed.
     */
    public record LookInfo(
            String kind, int day, int ofDays, double intervalConfidence, String interval) {
        public boolean interim() {
            return "INTERIM".equals(kind);
        }
    }

    /** FINAL once every customer's window has closed; INTERIM before; or not enough data. */
    public enum Status {
        FINAL,
        INTERIM,
        NOT_ENOUGH_DATA
    }

    /** Who is compared: intention-to-treat arms, and what the ledger says happened to them. */
    public record Assignment(
            String definition,
            long treatedCustomers,
            long holdoutCustomers,
            long treatedBuyers,
            long holdoutBuyers,
            long customersNotYetStarted,
            int runs,
            Map<String, Long> ledgerStates) {}

    /** The measurement period: from each customer's planned send for {@code windowDays}. */
    public record Window(
            Instant firstSendAt,
            Instant lastSendAt,
            Instant closesAt,
            boolean closed,
            int preDays,
            String definition) {}

    /** How repeated looks at an open window are handled. */
    public record Peeking(boolean finalLook, boolean correctedForPeeking, String note) {}

    /** The sample-ratio-mismatch check (chi-squared, flagged below the threshold). */
    public record SampleRatio(
            Double expectedHoldoutShare,
            String expectedShareSource,
            double observedHoldoutShare,
            Double pValue,
            double threshold,
            boolean mismatch) {}

    /** The three metrics; null when there is not enough data. */
    public record Metrics(
            Metric repeatPurchaseRate, Metric ordersPerCustomer, Metric revenuePerCustomer) {}

    /** An interval for a treated-minus-holdout difference. */
    public record Interval(
            double treated,
            double holdout,
            double difference,
            double low,
            double high,
            double pValue,
            Double relative,
            Double relativeLow,
            Double relativeHigh) {
        static Interval of(Estimate estimate) {
            return new Interval(
                    estimate.treated(),
                    estimate.holdout(),
                    estimate.difference(),
                    estimate.low(),
                    estimate.high(),
                    estimate.pValue(),
                    finite(estimate.relative()),
                    finite(estimate.relativeLow()),
                    finite(estimate.relativeHigh()));
        }
    }

    /** Winsorizing of a metric: percentiles and the pooled cut-offs they gave. */
    public record Winsorized(
            double lowerPercentile,
            double upperPercentile,
            double lowerCutoff,
            double upperCutoff) {}

    /** One metric: the headline (CUPED) interval flattened in, the unadjusted one beside it. */
    public record Metric(
            String definition,
            String method,
            double treated,
            double holdout,
            double difference,
            double low,
            double high,
            double pValue,
            Double relative,
            Double relativeLow,
            Double relativeHigh,
            boolean significant,
            Interval unadjusted,
            double cupedTheta,
            double varianceReduction,
            double minimumDetectableEffect,
            Winsorized winsorized,
            String role,
            Double adjustedPValue,
            boolean claimsEffect) {
        static Metric of(
                String definition,
                MetricLift lift,
                double lowerPercentile,
                double upperPercentile,
                double overallAlpha) {
            Estimate e = lift.estimate();
            return new Metric(
                    definition,
                    lift.method(),
                    e.treated(),
                    e.holdout(),
                    e.difference(),
                    e.low(),
                    e.high(),
                    e.pValue(),
                    finite(e.relative()),
                    finite(e.relativeLow()),
                    finite(e.relativeHigh()),
                    e.significant(),
                    Interval.of(lift.unadjusted()),
                    lift.theta(),
                    lift.varianceReduction(),
                    lift.minimumDetectableEffect(),
                    lift.cutoffs() == null
                            ? null
                            : new Winsorized(
                                    lowerPercentile,
                                    upperPercentile,
                                    lift.cutoffs().low(),
                                    lift.cutoffs().high()),
                    lift.primary() ? "primary" : "secondary",
                    lift.adjustedPValue(),
                    lift.claimsEffect(overallAlpha));
        }
    }

    /** Incremental revenue over the treated arm, with its interval. */
    public record Incremental(double estimate, double low, double high, String definition) {}

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
