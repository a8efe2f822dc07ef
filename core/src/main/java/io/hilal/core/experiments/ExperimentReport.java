package io.hilal.core.experiments;

import java.util.List;

/**
 * What an experiment has shown so far. For a split: each arm's exposed customers, impressions,
 * attributed clicks and orders, and B − A in click-through (the share of customers who clicked a
 * recommendation) and in orders per customer, each with its always-valid interval. For
 * interleaving: the clicks credited to each arm's products and the customers' preference for B.
 * {@code verdict} says in one sentence what that means.
 */
public record ExperimentReport(
        Experiment experiment,
        List<ArmResult> arms,
        Comparison clickThrough,
        Comparison ordersPerCustomer,
        Comparison preference,
        double confidence,
        String verdict) {

    /**
     * One arm's figures. {@code clickThrough} is clicks per impression (shown for reading); the
     * comparison uses {@code customerClickRate}, the share of its customers who clicked, as the
     * customer is the unit randomized.
     */
    public record ArmResult(
            String arm,
            String model,
            long customers,
            long impressions,
            long clicks,
            long customersWhoClicked,
            double clickThrough,
            double customerClickRate,
            long orders,
            double ordersPerCustomer) {}

    /**
     * B − A (or, for the preference, the mean per customer of (B − A) / (B + A) credited clicks)
     * with its always-valid interval and p-value, over {@code customers}.
     */
    public record Comparison(
            String metric,
            double a,
            double b,
            double difference,
            double low,
            double high,
            double pValue,
            long customers) {
        public boolean significant() {
            return low > 0 || high < 0;
        }
    }
}
