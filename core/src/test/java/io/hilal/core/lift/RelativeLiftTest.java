package io.hilal.core.lift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RelativeLiftTest {
    @Test
    void dividesByAWellMeasuredBaselineWithTheDeltaMethod() {
        // d = 0.02 (var 1e-4), b = 0.2 (var 1e-4): se = sqrt(1e-4/0.04 + 4e-4·1e-4/0.0016)
        double[] r = RelativeLift.of(0.02, 1e-4, 0.2, 1e-4, 2);
        double se = Math.sqrt(1e-4 / 0.04 + 0.0004 * 1e-4 / 0.0016);
        assertThat(r[0]).isCloseTo(0.1, within(1e-12));
        assertThat(r[1]).isCloseTo(0.1 - 2 * se, within(1e-12));
        assertThat(r[2]).isCloseTo(0.1 + 2 * se, within(1e-12));
    }

    @Test
    void refusesABaselineNearZeroInsteadOfReportingHugePercentages() {
        // A holdout level of 0.003 ± 0.002: 0.03 / 0.003 would read "+1000%".
        assertThat(RelativeLift.of(0.03, 1e-4, 0.003, 4e-6, 2)).containsOnly(Double.NaN);
        assertThat(RelativeLift.of(0.03, 1e-4, 0, 0, 2)).containsOnly(Double.NaN);
        assertThat(RelativeLift.of(0.03, 1e-4, -0.5, 1e-6, 2)).containsOnly(Double.NaN);
    }
}
