package io.hilal.core.lift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference values from {@code fixtures/lift/sequential_reference.py}: the mixture likelihood ratio
 * integrated numerically (not the closed form used here) and its boundary found by bisection.
 */
class ConfidenceSequenceTest {
    private static final double EXACT = 1e-6;

    @ParameterizedTest(name = "n={0}, tuned at {1}, alpha={2}")
    @CsvSource({
        "1000, 1000, 0.01, 3.5716299708704575",
        "1000, 1000, 0.05, 3.035208990376261",
        "250, 4000, 0.01, 4.825255014149768"
    })
    void multiplierMatchesTheReference(long n, double tuning, double alpha, double expected) {
        assertThat(ConfidenceSequence.multiplier(n, tuning, alpha))
                .isCloseTo(expected, within(EXACT));
    }

    @ParameterizedTest(name = "z={0}, n={1}, tuned at {2}, alpha={3}")
    @CsvSource({
        "3.0, 500, 1000, 0.01, 0.05619227170929566",
        "2.0, 1000, 1000, 0.05, 0.5060410918018631"
    })
    void pValueMatchesTheReference(double z, long n, double tuning, double alpha, double expected) {
        assertThat(ConfidenceSequence.pValue(z, n, tuning, alpha))
                .isCloseTo(expected, within(EXACT));
    }

    @ParameterizedTest(name = "n={0}, tuned at {1}, alpha={2}")
    @CsvSource({"1000, 1000, 0.01", "50, 3000, 0.01", "20000, 3000, 0.04"})
    void pValueReachesAlphaExactlyAtTheBoundary(long n, double tuning, double alpha) {
        double m = ConfidenceSequence.multiplier(n, tuning, alpha);
        assertThat(ConfidenceSequence.pValue(m, n, tuning, alpha)).isCloseTo(alpha, within(1e-12));
        assertThat(ConfidenceSequence.pValue(m * 1.001, n, tuning, alpha)).isLessThan(alpha);
        assertThat(ConfidenceSequence.pValue(m * 0.999, n, tuning, alpha)).isGreaterThan(alpha);
    }
}
