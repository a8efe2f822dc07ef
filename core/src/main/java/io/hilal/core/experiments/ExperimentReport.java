package io.hilal.core.experiments;

import java.util.List;

/**
 * What an experiment has shown so far. For a split: each arm's exposed customers, impressions,
 * attributed clicks, orders, and B − A in click-through (the share of customers who clicked a
 * recommendation) and in orders per customer, each with its always-valid interval. Orders per
 * customer counts every order an exposed customer placed after their first exposure, within the
 * experiment's window, whether or not it named an impression: the unbiased A/B quantity. For
 * interleaving: the clicks and the orders credited to each arm's products, and the customers'
 * preference for B by clicks ({@code preference}) and by orders ({@code orderPreference}). {@code
 * verdict} says in one sentence what that means.
 */
public record ExperimentReport(
        Experiment experiment,
        List<ArmResult> arms,
        Comparison clickThrough,
        Comparison ordersPerCustomer,
        Comparison preference,
        Comparison orderPreference,
        double confidence,
        String verdict) {

    /**
     * One arm's figures. {@code clickThrough} is clicks per impression (shown for reading); the
     * comparison uses {@code customerClickRate}, the share of its customers who clicked, as the
     * customer is the unit randomized. {@code orders} are, for a split, the arm's customers' orders
     * after exposure ({@code attributedOrders} of them named an impression); when interleaved, the
     * orders holding a product this arm's team contributed ({@code attributedOrders} is then both
     * arms' total, as every customer sees both).
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
            double ordersPerCustomer,
            long attributedOrders) {}

    /**
     * B − A (or, for a preference, the mean per customer of (B − A) / (B + A) credited clicks or
     * orders) with its always-valid interval and p-value, over {@code customers}.
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
