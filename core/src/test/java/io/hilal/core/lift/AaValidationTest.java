package io.hilal.core.lift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A/A validation per MEASURE.md on real purchases with no treatment: the 3,317 Online Retail
 * customers who bought before 2011-09-01 are split at random (10% holdout) 10,000 times per window
 * (30 and 90 days after 2011-09-01), and every interval a report shows — the CUPED headline and the
 * unadjusted one, absolute and relative, for each metric — must cover 0 in 94–96% of the splits.
 * The seed is fixed. The splits go through {@link LiftAnalysis#compare}, the code the reports run;
 * {@link LiftAnalysis#prepare} (pooled winsorizing and CUPED fit) does not depend on the split, so
 * it runs once per window, as it would for one real campaign.
 *
 * <p>History: with Welch's interval on raw values, orders per customer covered 0 in only 92.5% of
 * splits and revenue (winsorized at 1%/99%) in 93.9%: a few wholesale buyers make the ~330-customer
 * holdout's mean too skewed for the t approximation. Capping at the 98th percentile of the pooled
 * sample fixed that but capped revenue at 0 when fewer than 2% of customers buy; the cut-offs are
 * now percentiles of the buyers (LIFT.md), and the 95th is the highest that keeps every interval in
 * 94–96% (at the 98th, unadjusted revenue over 30 days covered 93.9%). These are single
 * fixed-horizon looks; the daily looks are {@link LiftSimulationTest}'s.
 */
class AaValidationTest {
    private static final int SPLITS = 10_000;
    private static final Map<String, Double> COVERAGE = new LinkedHashMap<>();

    /** One reported interval: how to read it off a result, and whether it covers zero. */
    private record Interval(
            String name, Function<LiftAnalysis.Result, Estimate> estimate, boolean relative) {
        boolean coversZero(LiftAnalysis.Result result) {
            Estimate e = estimate.apply(result);
            return relative ? e.relativeLow() <= 0 && 0 <= e.relativeHigh() : e.covers(0);
        }
    }

    private static final List<Interval> INTERVALS =
            List.of(
                    new Interval("repeat rate, CUPED", r -> r.repeatRate().estimate(), false),
                    new Interval(
                            "repeat rate, unadjusted", r -> r.repeatRate().unadjusted(), false),
                    new Interval(
                            "repeat rate, CUPED, relative", r -> r.repeatRate().estimate(), true),
                    new Interval("orders, CUPED", r -> r.ordersPerCustomer().estimate(), false),
                    new Interval(
                            "orders, unadjusted", r -> r.ordersPerCustomer().unadjusted(), false),
                    new Interval(
                            "orders, CUPED, relative", r -> r.ordersPerCustomer().estimate(), true),
                    new Interval("revenue, CUPED", r -> r.revenuePerCustomer().estimate(), false),
                    new Interval(
                            "revenue, unadjusted", r -> r.revenuePerCustomer().unadjusted(), false),
                    new Interval(
                            "revenue, CUPED, relative",
                            r -> r.revenuePerCustomer().estimate(),
                            true));

    @BeforeAll
    static void simulate() {
        assumeTrue(
                OnlineRetailOutcomes.available(),
                "Online Retail data not found at "
                        + OnlineRetailOutcomes.DATA.toAbsolutePath()
                        + "; skipping");
        LiftAnalysis.Settings settings = LiftAnalysis.Settings.defaults();
        for (int days : new int[] {30, 90}) {
            LiftAnalysis.Outcomes outcomes = OnlineRetailOutcomes.window(days);
            LiftAnalysis.Prepared prepared = LiftAnalysis.prepare(outcomes, settings);
            Random random = new Random(20111130L);
            boolean[] heldOut = new boolean[outcomes.size()];
            int[] covered = new int[INTERVALS.size()];
            int incrementalCovered = 0;
            for (int split = 0; split < SPLITS; split++) {
                for (int i = 0; i < heldOut.length; i++) {
                    heldOut[i] = random.nextDouble() < 0.1;
                }
                LiftAnalysis.Result result = LiftAnalysis.compare(prepared, heldOut, settings);
                for (int k = 0; k < INTERVALS.size(); k++) {
                    covered[k] += INTERVALS.get(k).coversZero(result) ? 1 : 0;
                }
                LiftAnalysis.IncrementalRevenue incremental = result.incrementalRevenue();
                incrementalCovered += incremental.low() <= 0 && 0 <= incremental.high() ? 1 : 0;
            }
            for (int k = 0; k < INTERVALS.size(); k++) {
                record(days + " days, " + INTERVALS.get(k).name(), covered[k]);
            }
            record(days + " days, incremental revenue", incrementalCovered);
        }
    }

    private static void record(String name, int covered) {
        double coverage = (double) covered / SPLITS;
        COVERAGE.put(name, coverage);
        System.out.printf(
                "A/A coverage of 0 by the 95%% interval (%s, %d splits): %.4f%n",
                name, SPLITS, coverage);
    }

    static List<String> intervals() {
        List<String> names = new java.util.ArrayList<>();
        for (int days : new int[] {30, 90}) {
            for (Interval interval : INTERVALS) {
                names.add(days + " days, " + interval.name());
            }
            names.add(days + " days, incremental revenue");
        }
        return names;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("intervals")
    void everyReportedIntervalCoversZeroAtTheNominalRate(String interval) {
        assertThat(COVERAGE).containsKey(interval);
        assertThat(COVERAGE.get(interval)).as(interval).isBetween(0.94, 0.96);
    }
}
