package io.hilal.core.lift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Holm's step-down and the gate by the primary, against values worked out by hand. */
class MultiplicityTest {
    static Stream<Arguments> holm() {
        return Stream.of(
                // sorted 0.01 × 3, 0.03 × 2, 0.04 × 1 with the running maximum
                Arguments.of(new double[] {0.01, 0.04, 0.03}, new double[] {0.03, 0.06, 0.06}),
                Arguments.of(new double[] {0.2, 0.01}, new double[] {0.2, 0.02}),
                Arguments.of(new double[] {0.6, 0.9}, new double[] {1.0, 1.0}));
    }

    @ParameterizedTest
    @MethodSource("holm")
    void holmAdjustsStepDown(double[] raw, double[] adjusted) {
        assertThat(Multiplicity.holm(raw)).containsExactly(adjusted, within(1e-12));
    }

    static Stream<Arguments> gated() {
        return Stream.of(
                // primary significant: the secondaries keep their Holm values
                Arguments.of(0.01, new double[] {0.02, 0.3}, new double[] {0.04, 0.3}),
                // primary not significant: no secondary can claim an effect
                Arguments.of(0.2, new double[] {0.001, 0.002}, new double[] {0.2, 0.2}));
    }

    @ParameterizedTest
    @MethodSource("gated")
    void secondariesAreGatedByThePrimary(double primary, double[] raw, double[] adjusted) {
        assertThat(Multiplicity.gatedHolm(primary, raw)).containsExactly(adjusted, within(1e-12));
    }
}
