package io.hilal.core.lift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reference values come from {@code fixtures/lift/reference.py}, an independent computation in
 * Python's standard library (its own winsorizing, CUPED and Welch interval, with Student's t from a
 * continued-fraction incomplete beta function, not Commons Math). Run it to regenerate them.
 */
class LiftAnalysisTest {
    private static final double EXACT = 1e-6;
    private static final LiftAnalysis.Outcomes OUTCOMES =
            new LiftAnalysis.Outcomes(
                    new double[] {0, 1, 2, 0, 3, 1, 0, 0, 5, 1, 2, 0},
                    new double[] {0, 20.5, 55, -10, 120, 18, 0, 0, 400, 25, 60, 0},
                    new double[] {1, 0, 2, 0, 2, 1, 0, 1, 3, 0, 1, 0},
                    new double[] {15, 0, 40, 5, 90, 22, 0, 12, 300, 0, 30, 0});
    private static final boolean[] HELD_OUT = {
        false, false, false, false, false, false, false, true, true, true, true, true
    };
    private static final LiftAnalysis.Settings SMALL =
            new LiftAnalysis.Settings(0.95, 0.1, 0.9, 2, 1, 0.8);

    @Test
    void cupedAdjustedRepeatRateMatchesTheReference() {
        MetricLift repeat = LiftAnalysis.analyze(OUTCOMES, HELD_OUT, SMALL).repeatRate();
        assertThat(repeat.theta()).isCloseTo(0.3142857142857143, within(EXACT));
        assertThat(repeat.estimate().difference()).isCloseTo(-0.019591836734694, within(EXACT));
        assertThat(repeat.estimate().low()).isCloseTo(-0.7240512544648882, within(EXACT));
        assertThat(repeat.estimate().high()).isCloseTo(0.6848675809955002, within(EXACT));
        assertThat(repeat.estimate().pValue()).isCloseTo(0.9505411829448531, within(EXACT));
        // Like for like: both variances are unbiased sample variances (a Bernoulli MLE variance
        // for the raw rate beside a sample variance for CUPED made this look like -13%).
        assertThat(repeat.varianceReduction()).isCloseTo(0.06960698449420255, within(EXACT));
        assertThat(repeat.minimumDetectableEffect()).isCloseTo(0.8580300390637816, within(EXACT));
        assertThat(repeat.unadjusted().difference()).isCloseTo(4.0 / 7 - 3.0 / 5, within(EXACT));
    }

    @Test
    void winsorizedCupedOrdersMatchTheReference() {
        MetricLift orders = LiftAnalysis.analyze(OUTCOMES, HELD_OUT, SMALL).ordersPerCustomer();
        assertThat(orders.cutoffs()).isEqualTo(new Winsorizer.Cutoffs(0, 5));
        assertThat(orders.theta()).isCloseTo(1.3053435114503815, within(EXACT));
        assertThat(orders.estimate().difference()).isCloseTo(-0.41352235550708816, within(EXACT));
        assertThat(orders.estimate().low()).isCloseTo(-1.6484642273966057, within(EXACT));
        assertThat(orders.estimate().high()).isCloseTo(0.8214195163824294, within(EXACT));
        assertThat(orders.estimate().pValue()).isCloseTo(0.45466469112384633, within(EXACT));
        assertThat(orders.varianceReduction()).isCloseTo(0.7400230193066826, within(EXACT));
        assertThat(orders.minimumDetectableEffect()).isCloseTo(1.464078596915262, within(EXACT));
    }

    @Test
    void winsorizedCupedRevenueAndIncrementalRevenueMatchTheReference() {
        LiftAnalysis.Result result = LiftAnalysis.analyze(OUTCOMES, HELD_OUT, SMALL);
        MetricLift revenue = result.revenuePerCustomer();
        assertThat(revenue.cutoffs()).isEqualTo(new Winsorizer.Cutoffs(-10, 400));
        assertThat(revenue.theta()).isCloseTo(1.3296379805776373, within(EXACT));
        assertThat(revenue.estimate().difference()).isCloseTo(-9.652438222682974, within(EXACT));
        assertThat(revenue.estimate().low()).isCloseTo(-30.7133831626824, within(EXACT));
        assertThat(revenue.estimate().high()).isCloseTo(11.408506717316452, within(EXACT));
        assertThat(revenue.estimate().pValue()).isCloseTo(0.3192295865565953, within(EXACT));
        assertThat(revenue.varianceReduction()).isCloseTo(0.9866545857155907, within(EXACT));
        assertThat(revenue.minimumDetectableEffect()).isCloseTo(25.38736963536801, within(EXACT));
        assertThat(result.incrementalRevenue().estimate())
                .isCloseTo(-67.56706755878082, within(EXACT));
        assertThat(result.incrementalRevenue().low()).isCloseTo(-214.99368213877682, within(EXACT));
        assertThat(result.incrementalRevenue().high()).isCloseTo(79.85954702121516, within(EXACT));
    }

    @Test
    void cupedLeavesTheDifferenceUnbiasedWhenTheCovariateIsConstant() {
        Cuped.Fit fit = Cuped.fit(new double[] {1, 2, 3}, new double[] {5, 5, 5});
        assertThat(fit.theta()).isZero();
        assertThat(fit.apply(new double[] {1, 2, 3}, new double[] {5, 5, 5}))
                .containsExactly(1, 2, 3);
    }

    @Test
    void saysNotEnoughDataWhenAnArmIsTooSmall() {
        LiftAnalysis.Result result =
                LiftAnalysis.analyze(OUTCOMES, HELD_OUT, LiftAnalysis.Settings.defaults());
        assertThat(result.enoughData()).isFalse();
        assertThat(result.notEnoughData())
                .isEqualTo("Each arm needs at least 100 customers; treated has 7, holdout 5.");
        assertThat(result.metrics()).isEmpty();
        assertThat(result.incrementalRevenue()).isNull();
        assertThat(result.treatedCustomers()).isEqualTo(7);
        assertThat(result.holdoutBuyers()).isEqualTo(3);
    }

    @Test
    void saysNotEnoughDataWhenTooFewCustomersOrdered() {
        LiftAnalysis.Result result =
                LiftAnalysis.analyze(
                        OUTCOMES, HELD_OUT, new LiftAnalysis.Settings(0.95, 0.1, 0.9, 2, 4, 0.8));
        assertThat(result.notEnoughData())
                .isEqualTo(
                        "Each arm needs at least 4 customers who ordered in the window; treated"
                                + " has 4, holdout 3.");
    }

    @Test
    void countsOrdersAndNetsRefundsInsideTheWindowOnly() {
        Instant send = Instant.parse("2026-04-01T10:00:00Z");
        CustomerTally tally =
                new CustomerTally(
                        send.minusSeconds(86_400 * 10), send, send.plusSeconds(86_400 * 30));
        tally.add("o-1", 2, 10, send.minusSeconds(86_400 * 11)); // before the pre-period
        tally.add("o-2", 1, 7, send.minusSeconds(60)); // pre-period
        tally.add("o-3", 2, 10, send); // window starts inclusive
        tally.add("o-3", 1, 5, send.plusSeconds(1)); // same order, second line
        tally.add("o-3", -1, 10, send.plusSeconds(86_400)); // refund of one line: netted
        tally.add("o-4", -3, 4, send.plusSeconds(86_400 * 2)); // refund of an older order
        tally.add("o-5", 1, 99, send.plusSeconds(86_400 * 30)); // window ends exclusive
        assertThat(tally.orders()).isEqualTo(1);
        assertThat(tally.revenue()).isCloseTo(20 + 5 - 10 - 12, within(EXACT));
        assertThat(tally.preOrders()).isEqualTo(1);
        assertThat(tally.preRevenue()).isCloseTo(7, within(EXACT));
        assertThat(CustomerTally.outcomes(List.of(tally)).revenue()).containsExactly(3.0);
    }
}
