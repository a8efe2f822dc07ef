package io.hilal.core.lift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Reference values come from an independent computation: Python's {@code statistics.NormalDist} for
 * the normal-based methods, and a Simpson-rule integration of Student's t density (with bisection
 * for its quantile) for Welch's interval. Not from Commons Math.
 */
class LiftStatisticsTest {
    private static final double EXACT = 1e-6;

    @Test
    void differenceOfProportionsMatchesTheReference() {
        Estimate estimate = LiftStatistics.proportions(230, 2000, 180, 2000, 0.95);
        assertThat(estimate.difference()).isCloseTo(0.025, within(EXACT));
        assertThat(estimate.low()).isCloseTo(0.006217295869723756, within(EXACT));
        assertThat(estimate.high()).isCloseTo(0.04378270413027626, within(EXACT));
        assertThat(estimate.pValue()).isCloseTo(0.009087756092390542, within(EXACT));
        assertThat(estimate.relative()).isCloseTo(230.0 / 180.0 - 1, within(EXACT));
        assertThat(estimate.relativeLow()).isLessThan(estimate.relative());
        assertThat(estimate.significant()).isTrue();
    }

    @Test
    void proportionIntervalAndPValueNeverDisagree() {
        java.util.Random random = new java.util.Random(18);
        for (int i = 0; i < 20_000; i++) {
            long n1 = 20 + random.nextInt(3000);
            long n0 = 20 + random.nextInt(3000);
            double rate = random.nextDouble() * 0.6;
            long s1 = Math.round(n1 * Math.min(1, rate * (0.8 + 0.4 * random.nextDouble())));
            long s0 = Math.round(n0 * rate);
            Estimate e = LiftStatistics.proportions(s1, n1, s0, n0, 0.95);
            assertThat(e.significant())
                    .as(
                            "%d/%d vs %d/%d: p = %s, [%s, %s]",
                            s1, n1, s0, n0, e.pValue(), e.low(), e.high())
                    .isEqualTo(e.pValue() < 0.05);
        }
    }

    @Test
    void welchIntervalForMeansMatchesTheReference() {
        double[] treated = {0, 0, 1, 2, 0, 3, 1, 0, 0, 5, 2, 1, 0, 0, 4, 1};
        double[] holdout = {0, 1, 0, 0, 2, 0, 0, 1, 0, 0, 1, 0, 3, 0, 0, 0, 1, 0, 0, 2};
        Sample t = Sample.of(treated);
        Sample h = Sample.of(holdout);
        Estimate estimate = LiftStatistics.means(t, h, 0.95);
        assertThat(estimate.difference()).isCloseTo(0.7, within(EXACT));
        assertThat(estimate.low()).isCloseTo(-0.21116794050888377, within(EXACT));
        assertThat(estimate.high()).isCloseTo(1.6111679405088837, within(EXACT));
        assertThat(estimate.pValue()).isCloseTo(0.12551322041137603, within(EXACT));
        assertThat(
                        LiftStatistics.welchDegreesOfFreedom(
                                t.variance() / t.n(), h.variance() / h.n(), t.n(), h.n()))
                .isCloseTo(22.476998535076863, within(EXACT));
        assertThat(estimate.significant()).isFalse();
    }

    @Test
    void flagsASampleRatioMismatch() {
        assertThat(LiftStatistics.sampleRatioPValue(9100, 900, 0.1))
                .isCloseTo(0.0008581206663937913, within(EXACT));
        assertThat(LiftStatistics.sampleRatioPValue(9000, 1000, 0.1)).isCloseTo(1.0, within(EXACT));
    }

    @Test
    void computesTheMinimumDetectableEffect() {
        assertThat(LiftStatistics.minimumDetectableEffect(0.2, 9000, 1000, 0.05, 0.8))
                .isCloseTo(0.03735446957483957, within(EXACT));
    }
}
