package io.hilal.sdk.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A campaign's lift over its randomized holdout for one window: who was compared (every assigned
 * customer, intention-to-treat), whether the answer is {@code FINAL}, {@code INTERIM} (the window
 * is still open; its intervals are always-valid, so looking daily is safe) or {@code
 * NOT_ENOUGH_DATA} (sample sizes but no estimates), the sample-ratio check, and for each metric the
 * CUPED-adjusted difference with its interval, p-value and relative lift; the repeat-purchase rate
 * is primary, orders and revenue secondary with adjusted p-values. Numbers that cannot be computed
 * are null.
 *
 * @param campaignId the campaign
 * @param windowDays the window measured from each customer's planned send, in days
 * @param computedAt when the report was computed
 * @param status {@code FINAL}, {@code INTERIM} or {@code NOT_ENOUGH_DATA}
 * @param statusDetail why, e.g. which threshold is not met
 * @param assignment the arms and what the ledger says happened to them
 * @param window the measurement period
 * @param peeking how repeated looks at an open window are handled
 * @param sampleRatio the sample-ratio-mismatch check
 * @param confidence the intervals' confidence, e.g. 0.95
 * @param metrics the three metrics, or null when there is not enough data
 * @param incrementalRevenue extra revenue over the treated arm, or null
 * @param currencies the currencies of the revenue counted
 * @param warnings what to keep in mind before trusting the report
 * @param look which look this is (interim day k of N, or final) and its intervals' confidence
 * @param dataCutoff the end of the measured period
 * @param dataReceivedThrough the newest purchase received when it was computed, or null
 * @param verdict the one sentence saying what the report means
 */
public record LiftReport(
        String campaignId,
        int windowDays,
        Instant computedAt,
        String status,
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
        Look look,
        Instant dataCutoff,
        Instant dataReceivedThrough,
        String verdict) {
    /**
     * Reads absent collections as empty ones, so they are never null.
     *
     * @param campaignId the campaign
     * @param windowDays the window measured from each customer's planned send, in days
     * @param computedAt when the report was computed
     * @param status {@code FINAL}, {@code INTERIM} or {@code NOT_ENOUGH_DATA}
     * @param statusDetail why, e.g. which threshold is not met
     * @param assignment the arms and what the ledger says happened to them
     * @param window the measurement period
     * @param peeking how repeated looks at an open window are handled
     * @param sampleRatio the sample-ratio-mismatch check
     * @param confidence the intervals' confidence, e.g. 0.95
     * @param metrics the three metrics, or null when there is not enough data
     * @param incrementalRevenue extra revenue over the treated arm, or null
     * @param currencies the currencies of the revenue counted
     * @param warnings what to keep in mind before trusting the report
     * @param look which look this is (interim day k of N, or final) and its intervals' confidence
     * @param dataCutoff the end of the measured period
     * @param dataReceivedThrough the newest purchase received when it was computed, or null
     * @param verdict the one sentence saying what the report means
     */
    public LiftReport {
        currencies = currencies == null ? List.of() : currencies;
        warnings = warnings == null ? List.of() : warnings;
    }

    /** The status of a report computed after every customer's window closed. */
    public static final String FINAL = "FINAL";

    /** The status of a report on an open window. */
    public static final String INTERIM = "INTERIM";

    /** The status of a report whose arms are too small for estimates. */
    public static final String NOT_ENOUGH_DATA = "NOT_ENOUGH_DATA";

    /**
     * Whether the report has estimates.
     *
     * @return false for {@code NOT_ENOUGH_DATA}
     */
    public boolean hasEstimates() {
        return !NOT_ENOUGH_DATA.equals(status) && metrics != null;
    }

    /**
     * Whether the sample-ratio check failed, so the report should not be trusted.
     *
     * @return true when the observed split is far from the planned one
     */
    public boolean sampleRatioMismatch() {
        return sampleRatio != null && sampleRatio.mismatch();
    }

    /**
     * Who is compared: intention-to-treat arms, and what the ledger says happened to them.
     *
     * @param definition how the arms are defined
     * @param treatedCustomers customers assigned to get the campaign
     * @param holdoutCustomers customers held out
     * @param treatedBuyers treated customers with an order in their window
     * @param holdoutBuyers held-out customers with an order in their window
     * @param customersNotYetStarted customers whose window has not begun
     * @param runs the campaign's runs counted
     * @param ledgerStates sends by ledger state
     */
    public record Assignment(
            String definition,
            long treatedCustomers,
            long holdoutCustomers,
            long treatedBuyers,
            long holdoutBuyers,
            long customersNotYetStarted,
            int runs,
            Map<String, Long> ledgerStates) {}

    /**
     * The measurement period: from each customer's planned send for the window's days.
     *
     * @param firstSendAt the first planned send, or null
     * @param lastSendAt the last planned send, or null
     * @param closesAt when the last customer's window closes, or null
     * @param closed whether it has closed
     * @param preDays the days before the send used as CUPED's covariate
     * @param definition how the window is defined
     */
    public record Window(
            Instant firstSendAt,
            Instant lastSendAt,
            Instant closesAt,
            boolean closed,
            int preDays,
            String definition) {}

    /**
     * Which look a report is.
     *
     * @param kind {@code INTERIM} (window open) or {@code FINAL}
     * @param day the day of the look
     * @param ofDays the days until every window closes
     * @param intervalConfidence the confidence of the intervals shown, e.g. 0.99 interim, 0.96
     *     final
     * @param interval how the intervals are computed
     */
    public record Look(
            String kind, int day, int ofDays, double intervalConfidence, String interval) {}

    /**
     * How repeated looks at an open window are handled.
     *
     * @param finalLook whether this is the final look
     * @param correctedForPeeking whether the intervals allow for repeated looks
     * @param note what that means for the reader
     */
    public record Peeking(boolean finalLook, boolean correctedForPeeking, String note) {}

    /**
     * The sample-ratio-mismatch check: a chi-squared test of treated against held-out customers
     * versus the planned holdout share.
     *
     * @param expectedHoldoutShare the planned share, or null
     * @param expectedShareSource where the planned share came from
     * @param observedHoldoutShare the share observed
     * @param pValue the test's p-value, or null
     * @param threshold the p-value below which the split is flagged
     * @param mismatch whether it is flagged
     */
    public record SampleRatio(
            Double expectedHoldoutShare,
            String expectedShareSource,
            double observedHoldoutShare,
            Double pValue,
            double threshold,
            boolean mismatch) {}

    /**
     * The three metrics.
     *
     * @param repeatPurchaseRate the share of customers with an order in the window
     * @param ordersPerCustomer orders per customer (winsorized)
     * @param revenuePerCustomer net revenue per customer (winsorized)
     */
    public record Metrics(
            Metric repeatPurchaseRate, Metric ordersPerCustomer, Metric revenuePerCustomer) {}

    /**
     * A treated-minus-holdout difference with its interval.
     *
     * @param treated the treated arm's level
     * @param holdout the holdout's level
     * @param difference treated minus holdout
     * @param low the interval's lower end
     * @param high the interval's upper end
     * @param pValue the two-sided p-value
     * @param relative the difference over the holdout's level, or null
     * @param relativeLow the relative interval's lower end, or null
     * @param relativeHigh the relative interval's upper end, or null
     */
    public record Interval(
            double treated,
            double holdout,
            double difference,
            double low,
            double high,
            double pValue,
            Double relative,
            Double relativeLow,
            Double relativeHigh) {}

    /**
     * Winsorizing of a metric: the percentiles and the pooled cut-offs they gave.
     *
     * @param lowerPercentile the lower percentile
     * @param upperPercentile the upper percentile
     * @param lowerCutoff values below become this
     * @param upperCutoff values above become this
     */
    public record Winsorized(
            double lowerPercentile,
            double upperPercentile,
            double lowerCutoff,
            double upperCutoff) {}

    /**
     * One metric: the headline (CUPED-adjusted) interval, and the unadjusted one beside it.
     *
     * @param definition what is measured
     * @param method how the interval is computed
     * @param treated the treated arm's level
     * @param holdout the holdout's level
     * @param difference treated minus holdout
     * @param low the interval's lower end
     * @param high the interval's upper end
     * @param pValue the two-sided p-value
     * @param relative the difference over the holdout's level, or null
     * @param relativeLow the relative interval's lower end, or null
     * @param relativeHigh the relative interval's upper end, or null
     * @param significant whether the interval excludes zero
     * @param unadjusted the estimate without CUPED
     * @param cupedTheta CUPED's coefficient
     * @param varianceReduction how much variance of the difference CUPED removed
     * @param minimumDetectableEffect the smallest difference detectable (80% power)
     * @param winsorized the capping, or null
     * @param role {@code primary} (the repeat-purchase rate) or {@code secondary}
     * @param adjustedPValue the multiplicity-adjusted p-value that decides a secondary's claim
     * @param claimsEffect whether the metric claims an effect after the adjustment
     */
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
            boolean claimsEffect) {}

    /**
     * Incremental revenue over the treated arm, with its interval.
     *
     * @param estimate the estimate
     * @param low the interval's lower end
     * @param high the interval's upper end
     * @param definition how it is computed
     */
    public record Incremental(double estimate, double low, double high, String definition) {}
}
