package io.hilal.core.experiments;

import io.hilal.core.lift.Estimate;
import io.hilal.core.lift.LiftStatistics;
import io.hilal.core.lift.Look;
import io.hilal.core.lift.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns an experiment's per-customer counts into its report with the statistics campaign lift uses:
 * every interval is {@link LiftStatistics#atLook} at an interim {@link Look}, the always-valid
 * confidence sequence at α = 5% tuned to the experiment's planned customers, so the merchant may
 * look every day and stop when it is clear. Differences are of proportions (unpooled standard
 * error) and of means (Welch's), B − A; an interleaving preference is a one-sample mean against 0
 * over the customers who clicked (or ordered) a credited product.
 */
public final class ExperimentAnalysis {
    static final double CONFIDENCE = 0.95;

    private ExperimentAnalysis() {}

    public static ExperimentReport analyse(
            Experiment experiment, List<ImpressionDao.CustomerCounts> counts) {
        Look look = Look.interim(0, 0, CONFIDENCE, 1 - CONFIDENCE, experiment.plannedCustomers());
        return experiment.interleaved()
                ? interleaved(experiment, counts, look)
                : split(experiment, counts, look);
    }

    private static ExperimentReport split(
            Experiment experiment, List<ImpressionDao.CustomerCounts> counts, Look look) {
        List<ImpressionDao.CustomerCounts> a = arm(counts, "A");
        List<ImpressionDao.CustomerCounts> b = arm(counts, "B");
        List<ExperimentReport.ArmResult> arms =
                List.of(armResult("A", experiment.a(), a), armResult("B", experiment.b(), b));
        if (a.size() < 2 || b.size() < 2) {
            return new ExperimentReport(
                    experiment,
                    arms,
                    null,
                    null,
                    null,
                    null,
                    CONFIDENCE,
                    "Not enough data yet: each arm needs at least two customers served.");
        }
        long n = a.size() + b.size();
        double pA = clickedShare(a);
        double pB = clickedShare(b);
        double se = Math.sqrt(pA * (1 - pA) / a.size() + pB * (1 - pB) / b.size());
        ExperimentReport.Comparison clickThrough =
                comparison(
                        "customer click-through",
                        LiftStatistics.atLook(pB, pA, se, Double.POSITIVE_INFINITY, n, look),
                        n);
        Sample ordersA = Sample.of(orders(a));
        Sample ordersB = Sample.of(orders(b));
        double ordersSe =
                Math.sqrt(ordersA.variance() / ordersA.n() + ordersB.variance() / ordersB.n());
        ExperimentReport.Comparison orders =
                comparison(
                        "orders per customer",
                        LiftStatistics.atLook(
                                ordersB.mean(),
                                ordersA.mean(),
                                ordersSe,
                                Double.POSITIVE_INFINITY,
                                n,
                                look),
                        n);
        return new ExperimentReport(
                experiment,
                arms,
                clickThrough,
                orders,
                null,
                null,
                CONFIDENCE,
                splitVerdict(experiment, clickThrough, orders));
    }

    private static ExperimentReport interleaved(
            Experiment experiment, List<ImpressionDao.CustomerCounts> counts, Look look) {
        long customers = counts.size();
        long impressions =
                counts.stream().mapToLong(ImpressionDao.CustomerCounts::impressions).sum();
        long attributed =
                counts.stream().mapToLong(ImpressionDao.CustomerCounts::attributedOrders).sum();
        List<Double> votes = new ArrayList<>();
        List<Double> orderVotes = new ArrayList<>();
        long[] clicks = new long[2];
        long[] clickers = new long[2];
        long[] orders = new long[2];
        for (ImpressionDao.CustomerCounts customer : counts) {
            clicks[0] += customer.clicksA();
            clicks[1] += customer.clicksB();
            clickers[0] += customer.clicksA() > 0 ? 1 : 0;
            clickers[1] += customer.clicksB() > 0 ? 1 : 0;
            orders[0] += customer.ordersA();
            orders[1] += customer.ordersB();
            vote(votes, customer.clicksA(), customer.clicksB());
            vote(orderVotes, customer.ordersA(), customer.ordersB());
        }
        List<ExperimentReport.ArmResult> arms = new ArrayList<>();
        for (int team = 0; team < 2; team++) {
            String arm = team == 0 ? "A" : "B";
            arms.add(
                    new ExperimentReport.ArmResult(
                            arm,
                            experiment.arm(arm.charAt(0)).label(),
                            customers,
                            impressions,
                            clicks[team],
                            clickers[team],
                            impressions == 0 ? 0 : (double) clicks[team] / impressions,
                            customers == 0 ? 0 : (double) clickers[team] / customers,
                            orders[team],
                            customers == 0 ? 0 : (double) orders[team] / customers,
                            attributed));
        }
        ExperimentReport.Comparison orderPreference =
                orderVotes.size() < 2
                        ? null
                        : preference("order preference for B", orderVotes, look);
        if (votes.size() < 2) {
            return new ExperimentReport(
                    experiment,
                    arms,
                    null,
                    null,
                    null,
                    orderPreference,
                    CONFIDENCE,
                    "Not enough data yet: at least two customers need to have clicked.");
        }
        ExperimentReport.Comparison preference = preference("preference for B", votes, look);
        String interval = interval(preference, false);
        String verdict =
                preference.low() > 0
                        ? "Customers prefer B ("
                                + experiment.b().label()
                                + "): the "
                                + interval
                                + " of the preference lies above zero."
                        : preference.high() < 0
                                ? "Customers prefer A ("
                                        + experiment.a().label()
                                        + "): the "
                                        + interval
                                        + " of the preference lies below zero."
                                : "No clear preference between A and B: the "
                                        + interval
                                        + " of the preference includes zero.";
        if (orderPreference != null && orderPreference.significant()) {
            verdict +=
                    " Their orders favour "
                            + (orderPreference.difference() > 0 ? "B" : "A")
                            + " too: the "
                            + interval(orderPreference, false)
                            + " of the order preference excludes zero.";
        }
        return new ExperimentReport(
                experiment,
                arms,
                null,
                null,
                preference,
                orderPreference,
                CONFIDENCE,
                verdict + VALID);
    }

    /** A customer's vote (B − A) / (B + A) over what was credited, if anything was. */
    private static void vote(List<Double> votes, long a, long b) {
        if (a + b > 0) {
            votes.add((double) (b - a) / (a + b));
        }
    }

    /** The mean vote against 0, a one-sample mean over the customers who voted. */
    private static ExperimentReport.Comparison preference(
            String metric, List<Double> votes, Look look) {
        Sample sample = Sample.of(votes.stream().mapToDouble(Double::doubleValue).toArray());
        double se = Math.sqrt(sample.variance() / sample.n());
        return comparison(
                metric,
                LiftStatistics.atLook(
                        sample.mean(), 0, se, Double.POSITIVE_INFINITY, sample.n(), look),
                sample.n());
    }

    private static final String VALID = " The interval stays valid however often you look.";

    private static String splitVerdict(
            Experiment experiment,
            ExperimentReport.Comparison clickThrough,
            ExperimentReport.Comparison orders) {
        String interval = interval(clickThrough, true);
        String b = "B (" + experiment.b().label() + ")";
        String a = "A (" + experiment.a().label() + ")";
        StringBuilder text = new StringBuilder();
        if (clickThrough.low() > 0) {
            text.append(b).append(" raised click-through over ").append(a).append(": the ");
            text.append(interval).append(" lies above zero.");
        } else if (clickThrough.high() < 0) {
            text.append(b).append(" lowered click-through against ").append(a).append(": the ");
            text.append(interval).append(" lies below zero.");
        } else {
            text.append("No clear difference in click-through between ").append(a);
            text.append(" and ").append(b).append(": the ").append(interval);
            text.append(" includes zero.");
        }
        if (orders.significant()) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            " Orders per customer %s by %.3f (%.3f to %.3f).",
                            orders.difference() > 0 ? "rose" : "fell",
                            Math.abs(orders.difference()),
                            orders.low(),
                            orders.high()));
        }
        return text.append(VALID).toString();
    }

    private static String interval(ExperimentReport.Comparison comparison, boolean points) {
        double scale = points ? 100 : 1;
        return String.format(
                Locale.ROOT,
                points
                        ? "95%% always-valid interval (%+.1f to %+.1f pp)"
                        : "95%% always-valid interval (%+.2f to %+.2f)",
                comparison.low() * scale,
                comparison.high() * scale);
    }

    private static ExperimentReport.Comparison comparison(
            String metric, Estimate estimate, long customers) {
        return new ExperimentReport.Comparison(
                metric,
                estimate.holdout(),
                estimate.treated(),
                estimate.difference(),
                estimate.low(),
                estimate.high(),
                estimate.pValue(),
                customers);
    }

    private static List<ImpressionDao.CustomerCounts> arm(
            List<ImpressionDao.CustomerCounts> counts, String arm) {
        return counts.stream().filter(customer -> customer.arm().equals(arm)).toList();
    }

    private static double clickedShare(List<ImpressionDao.CustomerCounts> customers) {
        return (double) customers.stream().filter(customer -> customer.clicks() > 0).count()
                / customers.size();
    }

    private static double[] orders(List<ImpressionDao.CustomerCounts> customers) {
        return customers.stream().mapToDouble(ImpressionDao.CustomerCounts::orders).toArray();
    }

    private static ExperimentReport.ArmResult armResult(
            String arm, Experiment.Arm model, List<ImpressionDao.CustomerCounts> customers) {
        long n = customers.size();
        long impressions =
                customers.stream().mapToLong(ImpressionDao.CustomerCounts::impressions).sum();
        long clicks = customers.stream().mapToLong(ImpressionDao.CustomerCounts::clicks).sum();
        long clickers = customers.stream().filter(customer -> customer.clicks() > 0).count();
        long orders = customers.stream().mapToLong(ImpressionDao.CustomerCounts::orders).sum();
        long attributed =
                customers.stream().mapToLong(ImpressionDao.CustomerCounts::attributedOrders).sum();
        return new ExperimentReport.ArmResult(
                arm,
                model.label(),
                n,
                impressions,
                clicks,
                clickers,
                impressions == 0 ? 0 : (double) clicks / impressions,
                n == 0 ? 0 : (double) clickers / n,
                orders,
                n == 0 ? 0 : (double) orders / n,
                attributed);
    }
}
