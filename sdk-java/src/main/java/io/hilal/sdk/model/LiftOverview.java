package io.hilal.sdk.model;

import java.time.Instant;
import java.util.List;

/**
 * The tenant's lift across campaigns: per campaign and window, the newest stored report's headline
 * and every earlier look, to chart lift over time without reading each full report.
 *
 * @param items one per campaign and window
 */
public record LiftOverview(List<Item> items) {
    /**
     * Reads absent collections as empty ones, so they are never null.
     *
     * @param items one per campaign and window
     */
    public LiftOverview {
        items = items == null ? List.of() : items;
    }

    /**
     * One campaign and window.
     *
     * @param campaignId the campaign
     * @param windowDays the window, in days
     * @param latest the newest report's headline
     * @param history every stored look, the newest included
     */
    public record Item(String campaignId, int windowDays, Summary latest, List<Summary> history) {
        /**
         * Reads absent collections as empty ones, so they are never null.
         *
         * @param campaignId the campaign
         * @param windowDays the window, in days
         * @param latest the newest report's headline
         * @param history every stored look, the newest included
         */
        public Item {
            history = history == null ? List.of() : history;
        }
    }

    /**
     * The headline numbers of one stored report; null when it said "not enough data".
     *
     * @param campaignId the campaign
     * @param windowDays the window, in days
     * @param computedAt when the report was computed
     * @param status {@code FINAL}, {@code INTERIM} or {@code NOT_ENOUGH_DATA}
     * @param windowClosesAt when the last customer's window closes, or null
     * @param treatedCustomers customers assigned to get the campaign
     * @param holdoutCustomers customers held out
     * @param repeatPurchaseRate the repeat-rate difference, or null
     * @param ordersPerCustomer the orders difference, or null
     * @param revenuePerCustomer the revenue difference, or null
     * @param incrementalRevenue the incremental revenue, or null
     * @param sampleRatioPValue the sample-ratio check's p-value, or null
     * @param sampleRatioMismatch whether the sample-ratio check failed
     */
    public record Summary(
            String campaignId,
            int windowDays,
            Instant computedAt,
            String status,
            Instant windowClosesAt,
            long treatedCustomers,
            long holdoutCustomers,
            Headline repeatPurchaseRate,
            Headline ordersPerCustomer,
            Headline revenuePerCustomer,
            Headline incrementalRevenue,
            Double sampleRatioPValue,
            boolean sampleRatioMismatch) {}

    /**
     * A difference with its interval.
     *
     * @param difference treated minus holdout
     * @param low the interval's lower end
     * @param high the interval's upper end
     * @param pValue the p-value, or null (incremental revenue has none)
     */
    public record Headline(double difference, double low, double high, Double pValue) {}
}
