package io.hilal.core.lift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cut-offs at percentiles of the buyers, so a low buy rate keeps its revenue. */
class WinsorizerTest {
    static Stream<Arguments> cases() {
        double[] fewBuyers = new double[1000];
        for (int i = 0; i < 15; i++) {
            fewBuyers[i] = 10 * (i + 1); // 1.5% buy, 10 … 150
        }
        return Stream.of(
                // 98% of everyone would be 0 here and erase all revenue
                Arguments.of(fewBuyers, 0.01, 0.98, new Winsorizer.Cutoffs(0, 150)),
                Arguments.of(fewBuyers, 0.01, 0.5, new Winsorizer.Cutoffs(0, 80)),
                Arguments.of(
                        new double[] {-100, -5, 0, 0, 3, 7, 2000},
                        0.0,
                        0.5,
                        new Winsorizer.Cutoffs(-100, 7)),
                Arguments.of(
                        new double[] {-100, -5, 0, 0, 3, 7, 2000},
                        0.5,
                        0.5,
                        new Winsorizer.Cutoffs(-100, 7)),
                Arguments.of(new double[] {0, 0, 0}, 0.01, 0.98, new Winsorizer.Cutoffs(0, 0)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void capsAtPercentilesOfTheBuyers(
            double[] values, double lower, double upper, Winsorizer.Cutoffs expected) {
        Winsorizer.Cutoffs cutoffs = Winsorizer.cutoffs(values, lower, upper);
        assertThat(cutoffs).isEqualTo(expected);
        assertThat(cutoffs.apply(new double[] {0})).containsExactly(0.0);
    }
}
