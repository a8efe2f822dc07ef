package io.hilal.core.reco.ease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hilal.core.reco.ScoredItem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class EaseModelTest {
    private static final Map<String, List<String>> BASKETS = new LinkedHashMap<>();

    static {
        BASKETS.put("c1", List.of("dates", "coffee", "cardamom"));
        BASKETS.put("c2", List.of("dates", "coffee"));
        BASKETS.put("c3", List.of("coffee", "cardamom"));
        BASKETS.put("c4", List.of("tea", "mint"));
        BASKETS.put("c5", List.of("tea", "mint", "dates"));
        BASKETS.put("c6", List.of("tea"));
    }

    @Test
    void weightsMatchTheClosedFormComputedIndependently() {
        EaseModel model = EaseModel.train(BASKETS, 2.0, 2);
        List<String> items = model.itemIds();
        int n = items.size();
        double[][] gram = new double[n][n];
        for (List<String> basket : BASKETS.values()) {
            for (String a : basket) {
                for (String b : basket) {
                    gram[items.indexOf(a)][items.indexOf(b)]++;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            gram[i][i] += 2.0;
        }
        RealMatrix p = new LUDecomposition(new Array2DRowRealMatrix(gram)).getSolver().getInverse();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double expected = i == j ? 0 : -p.getEntry(i, j) / p.getEntry(j, j);
                assertThat(model.weight(items.get(i), items.get(j)))
                        .as("B[%s][%s]", items.get(i), items.get(j))
                        .isCloseTo(expected, within(1e-6));
            }
        }
    }

    @Test
    void recommendsWhatIsBoughtWithTheCustomersProductsAndNeverWhatTheyOwn() {
        EaseModel model = EaseModel.train(BASKETS, 1.0, 1);

        List<ScoredItem> forTeaBuyer = model.recommend(Set.of("tea"), 2, Set.of("tea"));
        List<ScoredItem> forCoffeeBuyer = model.recommend(Set.of("coffee"), 5, Set.of("coffee"));

        assertThat(forTeaBuyer).first().extracting(ScoredItem::productId).isEqualTo("mint");
        assertThat(forCoffeeBuyer)
                .extracting(ScoredItem::productId)
                .doesNotContain("coffee")
                .startsWith("cardamom");
        assertThat(forCoffeeBuyer)
                .extracting(ScoredItem::score)
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void aCustomerWithNothingInTheModelGetsNothingRatherThanNoise() {
        EaseModel model = EaseModel.train(BASKETS, 1.0, 1);

        assertThat(model.recommend(Set.of("unknown"), 3, Set.of())).isEmpty();
    }

    @Test
    void refusesANonPositiveLambdaWhichWouldLeaveTheMatrixSingular() {
        assertThatThrownBy(() -> EaseModel.train(BASKETS, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPrunedModelKeepsEachProductsWeightsLargestInMagnitudeAndRanksByThem() {
        EaseModel exact = EaseModel.train(BASKETS, 1.0, 1);
        EaseModel pruned = EaseModel.train(BASKETS, 1.0, 1, 2);

        for (String from : exact.itemIds()) {
            List<Double> strongest =
                    exact.itemIds().stream()
                            .filter(to -> !to.equals(from))
                            .map(to -> Math.abs(exact.weight(from, to)))
                            .sorted(java.util.Comparator.reverseOrder())
                            .limit(2)
                            .toList();
            long kept =
                    exact.itemIds().stream()
                            .filter(to -> pruned.weight(from, to) != 0)
                            .peek(
                                    to ->
                                            assertThat(pruned.weight(from, to))
                                                    .isCloseTo(exact.weight(from, to), within(1e-6))
                                                    .satisfies(
                                                            weight ->
                                                                    assertThat(Math.abs(weight))
                                                                            .isGreaterThanOrEqualTo(
                                                                                    strongest.get(
                                                                                            1))))
                            .count();
            assertThat(kept).as("weights kept from %s", from).isLessThanOrEqualTo(2);
        }
        assertThat(pruned.recommend(Set.of("tea"), 1, Set.of("tea")))
                .extracting(ScoredItem::productId)
                .containsExactly("mint");
    }

    @Test
    void aPrunedModelKeepsTheNegativeWeightsThatPushUnlikelyProductsDown() {
        EaseModel exact = EaseModel.train(BASKETS, 1.0, 1);
        EaseModel pruned = EaseModel.train(BASKETS, 1.0, 1, 3);

        long negativeKept = 0;
        for (String from : exact.itemIds()) {
            List<String> strongest =
                    exact.itemIds().stream()
                            .filter(to -> !to.equals(from))
                            .sorted(
                                    java.util.Comparator.comparingDouble(
                                                    (String to) -> Math.abs(exact.weight(from, to)))
                                            .reversed())
                            .limit(3)
                            .toList();
            for (String to : strongest) {
                assertThat(pruned.weight(from, to))
                        .as("B[%s][%s]", from, to)
                        .isCloseTo(exact.weight(from, to), within(1e-6));
                negativeKept += exact.weight(from, to) < 0 ? 1 : 0;
            }
        }
        assertThat(negativeKept).as("negative weights among the kept").isPositive();
    }

    @Test
    void anArtifactReadsBackAsTheSameModel() {
        EaseModel model = EaseModel.train(BASKETS, 1.0, 1, 3);

        EaseModel read = EaseModel.fromBytes(model.toBytes());

        assertThat(read.itemIds()).isEqualTo(model.itemIds());
        assertThat(read.lambda()).isEqualTo(model.lambda());
        for (String from : model.itemIds()) {
            for (String to : model.itemIds()) {
                assertThat(read.weight(from, to)).isEqualTo(model.weight(from, to));
            }
        }
        assertThat(read.recommend(Set.of("coffee"), 3, Set.of("coffee")))
                .isEqualTo(model.recommend(Set.of("coffee"), 3, Set.of("coffee")));
    }

    @Test
    void refusesATruncatedOrForeignArtifact() {
        byte[] bytes = EaseModel.train(BASKETS, 1.0, 1, 3).toBytes();

        assertThatThrownBy(
                        () -> EaseModel.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length - 5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EaseModel.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void explainsAPickByTheOwnedProductWithTheLargestWeightTowardIt() {
        EaseModel model = EaseModel.train(BASKETS, 1.0, 1);

        Map<String, String> closest =
                model.closestSources(List.of("mint"), List.of("coffee", "tea"));

        assertThat(closest).containsEntry("mint", "tea");
    }
}
