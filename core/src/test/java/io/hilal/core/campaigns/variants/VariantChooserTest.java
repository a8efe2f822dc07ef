package io.hilal.core.campaigns.variants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hilal.core.campaigns.variants.VariantChooser.Tally;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VariantChooserTest {
    @ParameterizedTest(name = "a {0}/{1}, b {2}/{3}, floor {4}: a gets {5}")
    @CsvSource({
        // no data yet: an even split
        "0, 0, 0, 0, 0.05, 0.50",
        // the same figures: an even split
        "500, 50, 500, 50, 0.05, 0.50",
        // a clearly better: all but b's floor
        "2000, 400, 2000, 100, 0.05, 0.95",
        "2000, 400, 2000, 100, 0.20, 0.80",
        // b clearly better: a keeps its floor
        "2000, 100, 2000, 400, 0.05, 0.05",
        // a little data, a little ahead: a leads, not certain
        "40, 6, 40, 4, 0.05, 0.70",
    })
    void allocatesByTheChanceOfBeingBestAboveTheFloor(
            long aSends, long aWins, long bSends, long bWins, double floor, double expected) {
        double[] shares =
                VariantChooser.shares(
                        List.of(new Tally(aSends, aWins), new Tally(bSends, bWins)),
                        floor,
                        new Well19937c(7));
        assertThat(shares[0]).isCloseTo(expected, within(0.06));
        assertThat(shares[0] + shares[1]).isCloseTo(1.0, within(1e-9));
        assertThat(Arrays.stream(shares).min().orElseThrow()).isGreaterThanOrEqualTo(floor);
    }

    @Test
    void theSameFiguresAndSeedGiveTheSameShares() {
        List<Tally> tallies = List.of(new Tally(30, 3), new Tally(30, 5), new Tally(10, 1));
        assertThat(VariantChooser.shares(tallies, 0.05, new Well19937c(11)))
                .containsExactly(VariantChooser.shares(tallies, 0.05, new Well19937c(11)));
    }

    @Test
    void aSegmentWithEnoughDataIsAllocatedOnItsOwnFigures() {
        // New customers prefer b, returning ones (the majority) prefer a.
        Map<String, Map<String, Tally>> tallies =
                Map.of(
                        "new", Map.of("a", new Tally(300, 15), "b", new Tally(300, 60)),
                        "returning", Map.of("a", new Tally(3000, 600), "b", new Tally(3000, 300)));
        VariantChooser.Allocation forNew =
                VariantChooser.allocate(List.of("a", "b"), tallies, "new", 200, 0.05, 1);
        assertThat(forNew.basis()).isEqualTo("segment");
        assertThat(forNew.shares()[1]).isCloseTo(0.95, within(0.01));

        VariantChooser.Allocation pooled =
                VariantChooser.allocate(List.of("a", "b"), tallies, "new", 500, 0.05, 1);
        assertThat(pooled.basis()).isEqualTo("pooled");
        assertThat(pooled.shares()[0]).isCloseTo(0.95, within(0.01));

        VariantChooser.Allocation unknown =
                VariantChooser.allocate(List.of("a", "b"), tallies, "ar", 200, 0.05, 1);
        assertThat(unknown.basis()).isEqualTo("pooled");
    }

    @Test
    void aVariantWithoutSendsInTheSegmentSendsThePooledAllocation() {
        Map<String, Map<String, Tally>> tallies = Map.of("new", Map.of("a", new Tally(1000, 100)));
        VariantChooser.Allocation allocation =
                VariantChooser.allocate(List.of("a", "b"), tallies, "new", 10, 0.05, 3);
        assertThat(allocation.basis()).isEqualTo("pooled");
        // b has no measured send at all: its uniform prior keeps it a fair chance of being best
        assertThat(allocation.shares()[1]).isBetween(0.05, 0.95);
    }

    @ParameterizedTest(name = "u {0} picks {1}")
    @CsvSource({"0, 0", "0.2999, 0", "0.3, 1", "0.8999, 1", "0.9, 2", "0.9999999, 2"})
    void picksByCumulativeShare(double u, int expected) {
        assertThat(VariantChooser.pick(new double[] {0.3, 0.6, 0.1}, u)).isEqualTo(expected);
    }

    @Test
    void refusesImpossibleFigures() {
        assertThatThrownBy(
                        () ->
                                VariantChooser.shares(
                                        List.of(new Tally(1, 2)), 0.05, new Well19937c(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                VariantChooser.shares(
                                        List.of(Tally.NONE, Tally.NONE), 0.6, new Well19937c(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VariantChooser.pick(new double[] {1}, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} / {1} / returning {2}: {3}")
    @CsvSource(
            nullValues = "null",
            value = {
                "none, ar-SA, true, null",
                "new_returning, ar-SA, true, returning",
                "new_returning, null, false, new",
                "locale, ar-SA, false, ar",
                "locale, EN, true, en",
                "locale, null, true, unknown",
            })
    void segmentsCustomers(String segments, String locale, boolean returning, String expected) {
        assertThat(VariantAllocator.segment(segments, locale, returning)).isEqualTo(expected);
    }

    @Test
    void aSendsUniformNumberDependsOnlyOnTheSend() {
        double u = VariantAllocator.uniform("t", "c", "run_1", "c-1");
        assertThat(u).isEqualTo(VariantAllocator.uniform("t", "c", "run_1", "c-1"));
        assertThat(u).isBetween(0.0, 1.0);
        assertThat(u).isNotEqualTo(VariantAllocator.uniform("t", "c", "run_1", "c-2"));
    }
}
