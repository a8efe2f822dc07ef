package io.hilal.core.lift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulations of {@code bench/run LiftSimulation} at test size, with a fixed seed: 300 A/A
 * campaigns per window and holdout, looked at every day, and 200 campaigns of 40,000 customers per
 * buy rate with +30% on buyers. At 300 campaigns a 5% share has a standard error of 1.3 points, so
 * the bounds below leave the full-size run (LIFT.md) to pin the figures down; what these assert is
 * that the always-valid looks stay under the bound where the naive daily 95% interval does not, and
 * that capping at buyers' percentiles keeps revenue effects at every buy rate.
 */
class LiftSimulationTest {
    private static LiftSimulation.Summary summary;

    @BeforeAll
    static void simulate() {
        assumeTrue(
                OnlineRetailOutcomes.available(),
                "Online Retail data not found at "
                        + OnlineRetailOutcomes.DATA.toAbsolutePath()
                        + "; skipping");
        summary =
                LiftSimulation.run(
                        OnlineRetailDays.load(OnlineRetailOutcomes.DATA),
                        20260901L,
                        300,
                        200,
                        40_000,
                        new PrintStream(System.out, true));
        System.out.println(summary.line());
    }

    @Test
    void lookingEveryDayDoesNotInflateFalseClaims() {
        for (LiftSimulation.Peeking setting : summary.peeking()) {
            assertThat(setting.sequential()).as("%s", setting).isLessThanOrEqualTo(0.05);
            assertThat(setting.anyClaim()).as("%s", setting).isLessThanOrEqualTo(0.05);
        }
    }

    @Test
    void theNaiveDailyIntervalWouldHave() {
        assertThat(summary.peeking())
                .allSatisfy(setting -> assertThat(setting.naive()).isGreaterThan(0.10));
    }

    @Test
    void cappingAtBuyersPercentilesKeepsRevenueEffectsAtEveryBuyRate() {
        for (LiftSimulation.RevenueCapture rate : summary.revenue()) {
            assertThat(rate.notEnoughData()).as("%s", rate).isZero();
            assertThat(rate.medianRatio()).as("%s", rate).isBetween(0.9, 1.1);
            assertThat(rate.coverage()).as("%s", rate).isBetween(0.92, 0.98);
        }
    }
}
