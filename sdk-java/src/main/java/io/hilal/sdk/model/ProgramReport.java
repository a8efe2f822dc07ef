package io.hilal.sdk.model;

import java.time.Instant;
import java.util.List;

/**
 * The whole email program against the program holdout ({@code GET /v1/program-holdout/report}):
 * every other customer (who may be emailed) against those held out, since the holdout started, with
 * a campaign lift report's metrics and always-valid intervals; the program never ends, so every
 * look is interim.
 *
 * @param on whether the tenant keeps a program holdout (false: the rest is empty)
 * @param share the share held out
 * @param startedAt when the measurement started, or null when off
 * @param computedAt when this report was computed
 * @param intervalConfidence the confidence of every interval shown (e.g. 0.99)
 * @param latest the comparison through now, or null when off
 * @param overTime the comparison through every 30 days since the start and through now
 * @param verdict the report in one sentence
 */
public record ProgramReport(
        boolean on,
        double share,
        Instant startedAt,
        Instant computedAt,
        double intervalConfidence,
        Point latest,
        List<Point> overTime,
        String verdict) {
    /**
     * Reads an absent list as an empty one, so it is never null.
     *
     * @param on whether the tenant keeps a program holdout
     * @param share the share held out
     * @param startedAt when the measurement started
     * @param computedAt when this report was computed
     * @param intervalConfidence the confidence of every interval shown
     * @param latest the comparison through now
     * @param overTime the comparison through every 30 days and now
     * @param verdict the report in one sentence
     */
    public ProgramReport {
        overTime = overTime == null ? List.of() : overTime;
    }

    /**
     * The cumulative comparison from the start through one instant.
     *
     * @param through the end of the period measured
     * @param days its length in days
     * @param emailedCustomers customers who may be emailed
     * @param holdoutCustomers customers in the program holdout
     * @param notEnoughData why there are no figures yet, or null when there are
     * @param orderRate share of customers who ordered (primary), or null
     * @param ordersPerCustomer orders per customer (secondary), or null
     * @param revenuePerCustomer revenue per customer (secondary), or null
     */
    public record Point(
            Instant through,
            int days,
            long emailedCustomers,
            long holdoutCustomers,
            String notEnoughData,
            Difference orderRate,
            Difference ordersPerCustomer,
            Difference revenuePerCustomer) {}

    /**
     * One metric: customers who may be emailed minus the program holdout.
     *
     * @param emailed the emailed group's mean
     * @param holdout the holdout's mean
     * @param difference emailed minus holdout, CUPED-adjusted
     * @param low the always-valid interval's lower end
     * @param high its upper end
     * @param pValue the always-valid p-value
     * @param adjustedPValue for a secondary metric, the multiplicity-adjusted p-value; else null
     */
    public record Difference(
            double emailed,
            double holdout,
            double difference,
            double low,
            double high,
            double pValue,
            Double adjustedPValue) {}
}
