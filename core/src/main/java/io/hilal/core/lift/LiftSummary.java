package io.hilal.core.lift;

import java.time.Instant;

/**
 * The headline numbers of one stored report: enough to chart lift by campaign over time without
 * reading every full report. Headlines are null when the report said "not enough data".
 */
public record LiftSummary(
        String campaignId,
        int windowDays,
        Instant computedAt,
        LiftReport.Status status,
        Instant windowClosesAt,
        long treatedCustomers,
        long holdoutCustomers,
        Headline repeatPurchaseRate,
        Headline ordersPerCustomer,
        Headline revenuePerCustomer,
        Headline incrementalRevenue,
        Double sampleRatioPValue,
        boolean sampleRatioMismatch) {

    /** A difference with its interval (and p-value, except for incremental revenue). */
    public record Headline(double difference, double low, double high, Double pValue) {}
}
