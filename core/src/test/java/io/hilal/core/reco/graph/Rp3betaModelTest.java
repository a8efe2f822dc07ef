package io.hilal.core.reco.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hilal.core.reco.ScoredItem;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RP3beta on a graph small enough to walk by hand: c1 bought a and b, c2 bought a, b and c, c3
 * bought c and d. Customers' degrees: c1 2, c2 3, c3 2; products': a 2, b 2, c 2, d 1. So W[i][j] =
 * deg(i)^−α · deg(j)^−β · Σ over common buyers u of deg(u)^−α.
 */
class Rp3betaModelTest {
    private static final Map<String, List<String>> BASKETS = new LinkedHashMap<>();

    static {
        BASKETS.put("c1", List.of("a", "b"));
        BASKETS.put("c2", List.of("a", "b", "c", "b")); // a repeat counts once
        BASKETS.put("c3", List.of("c", "d"));
    }

    @ParameterizedTest(name = "alpha {0}, beta {1}: W[{2}][{3}] = {4}")
    @CsvSource({
        // α = 0, β = 0: common buyers counted
        "0, 0, a, b, 2",
        "0, 0, a, c, 1",
        "0, 0, c, d, 1",
        "0, 0, a, d, 0",
        // α = 1, β = 0 (P3): a → b = 1/2 · (1/2 + 1/3); d → c = 1/1 · 1/2; c → d = 1/2 · 1/2
        "1, 0, a, b, 0.4166667",
        "1, 0, b, a, 0.4166667",
        "1, 0, a, c, 0.1666667",
        "1, 0, c, a, 0.1666667",
        "1, 0, d, c, 0.5",
        "1, 0, c, d, 0.25",
        // β = 1 divides by the landing product's buyers: 2 for a, b, c; 1 for d
        "1, 1, a, b, 0.2083333",
        "1, 1, a, c, 0.0833333",
        "1, 1, d, c, 0.25",
        "1, 1, c, d, 0.25",
        // α = β = 0.5: a → b = 2^−½ · 2^−½ · (2^−½ + 3^−½)
        "0.5, 0.5, a, b, 0.6422285",
        "0.5, 0.5, d, c, 0.5",
        // a product never points to itself
        "1, 0, a, a, 0",
    })
    void weightsAreTheThreeStepWalkComputedByHand(
            double alpha, double beta, String from, String to, double expected) {
        Rp3betaModel model = Rp3betaModel.train(BASKETS, alpha, beta, 3, 1);

        assertThat(model.weight(from, to)).isCloseTo(expected, within(1e-6));
    }

    @ParameterizedTest(name = "owning {0} (alpha 1, beta {1}) ranks {2}")
    @CsvSource({
        // a → b 5/12, a → c 1/6, a → d 0
        "a, 0, 'b,c,d'",
        // d → c only
        "d, 0, 'c,a,b'",
        // a + d: b 5/12, c 1/6 + 1/2 = 2/3
        "'a,d', 0, 'c,b'",
        // c → d 1/4 beats c → a and c → b 1/6 with β = 0; with β = 1 a and b drop to 1/12
        "c, 0, 'd,a,b'",
        "c, 1, 'd,a,b'",
    })
    void ranksBySummedWeightsLeavingOutWhatTheCustomerOwns(
            String owned, double beta, String expected) {
        Rp3betaModel model = Rp3betaModel.train(BASKETS, 1, beta, 3, 1);
        Set<String> own = Set.of(owned.split(","));

        List<String> ranked =
                model.recommend(own, 3, own).stream().map(ScoredItem::productId).toList();

        assertThat(ranked).containsExactly(expected.split(","));
    }

    @Test
    void keepsEachProductsLargestWeightsOnly() {
        Rp3betaModel pruned = Rp3betaModel.train(BASKETS, 1, 0, 1, 2);

        assertThat(pruned.weight("a", "b")).isCloseTo(5.0 / 12, within(1e-6));
        assertThat(pruned.weight("a", "c")).isZero();
        assertThat(pruned.weight("c", "d")).isCloseTo(0.25, within(1e-6));
        assertThat(pruned.weight("c", "a")).isZero();
        assertThat(pruned.weights().keepPerItem()).isEqualTo(1);
    }

    @Test
    void explainsAPickByTheOwnedProductThatWalksToItMost() {
        Rp3betaModel model = Rp3betaModel.train(BASKETS, 1, 0, 3, 1);

        // c is reached from d (1/2) more than from a (1/6)
        assertThat(model.weights().closestSources(List.of("c"), List.of("a", "d")))
                .containsEntry("c", "d");
    }

    @Test
    void aCustomerWithNothingInTheModelGetsNothingRatherThanNoise() {
        Rp3betaModel model = Rp3betaModel.train(BASKETS, 1, 0, 3, 1);

        assertThat(model.recommend(Set.of("unknown"), 3, Set.of())).isEmpty();
    }

    @Test
    void anArtifactReadsBackAsTheSameModel() {
        Rp3betaModel model = Rp3betaModel.train(BASKETS, 0.5, 0.3, 2, 1);

        Rp3betaModel read = Rp3betaModel.fromBytes(model.toBytes());

        assertThat(read.itemIds()).isEqualTo(model.itemIds());
        assertThat(read.alpha()).isEqualTo(0.5);
        assertThat(read.beta()).isEqualTo(0.3);
        for (String from : model.itemIds()) {
            for (String to : model.itemIds()) {
                assertThat(read.weight(from, to)).isEqualTo(model.weight(from, to));
            }
        }
    }

    @Test
    void refusesATruncatedOrForeignArtifact() {
        byte[] bytes = Rp3betaModel.train(BASKETS, 1, 0, 2, 1).toBytes();

        assertThatThrownBy(() -> Rp3betaModel.fromBytes(Arrays.copyOf(bytes, bytes.length - 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RP3beta");
        assertThatThrownBy(() -> Rp3betaModel.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an RP3beta");
    }

    @ParameterizedTest
    @CsvSource({"-0.1, 0, 3", "0, -0.1, 3", "1, 0, 0", "NaN, 0, 3"})
    void refusesNegativeExponentsAndKeepingNothing(double alpha, double beta, int keep) {
        assertThatThrownBy(() -> Rp3betaModel.train(BASKETS, alpha, beta, keep, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
