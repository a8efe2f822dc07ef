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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /**
     * EDLAE and DLAE (Steck 2020) against their closed forms computed here with commons-math: Λ = λ
     * + p/(1−p)·G_ii on the diagonal, then EASE's column scaling 1/P_jj or DLAE's Λ_jj.
     */
    @ParameterizedTest(name = "{2} lambda={0} dropout={1}")
    @CsvSource({
        "2.0, 0.0,  EASE",
        "2.0, 0.25, EASE",
        "0.5, 0.5,  EASE",
        "2.0, 0.0,  DLAE",
        "2.0, 0.25, DLAE",
        "0.5, 0.5,  DLAE",
        "5.0, 0.33, DLAE",
    })
    void dropoutWeightsMatchTheClosedFormComputedIndependently(
            double lambda, double dropout, EaseModel.Form form) {
        EaseModel model =
                EaseModel.train(BASKETS, new EaseModel.Settings(lambda, dropout, form), 2, 99);
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
        double[] penalty = new double[n];
        for (int i = 0; i < n; i++) {
            penalty[i] = lambda + dropout / (1 - dropout) * gram[i][i];
            gram[i][i] += penalty[i];
        }
        RealMatrix p = new LUDecomposition(new Array2DRowRealMatrix(gram)).getSolver().getInverse();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double scale = form == EaseModel.Form.DLAE ? penalty[j] : 1 / p.getEntry(j, j);
                double expected = i == j ? 0 : -p.getEntry(i, j) * scale;
                assertThat(model.weight(items.get(i), items.get(j)))
                        .as("B[%s][%s]", items.get(i), items.get(j))
                        .isCloseTo(expected, within(1e-6));
            }
        }
    }

    @Test
    void withoutDropoutTheEaseFormIsEaseAndOneInversionServesBothForms() {
        EaseModel ease = EaseModel.train(BASKETS, 2.0, 1);
        List<EaseModel> both =
                EaseModel.trainEach(
                        BASKETS,
                        2.0,
                        0.25,
                        List.of(EaseModel.Form.EASE, EaseModel.Form.DLAE),
                        1,
                        EaseModel.KEEP_ALL);
        EaseModel plain =
                EaseModel.train(
                        BASKETS, new EaseModel.Settings(2.0, 0, EaseModel.Form.EASE), 1, 99);
        EaseModel edlae =
                EaseModel.train(
                        BASKETS, new EaseModel.Settings(2.0, 0.25, EaseModel.Form.EASE), 1, 99);
        EaseModel dlae =
                EaseModel.train(
                        BASKETS, new EaseModel.Settings(2.0, 0.25, EaseModel.Form.DLAE), 1, 99);

        for (String from : ease.itemIds()) {
            for (String to : ease.itemIds()) {
                assertThat(plain.weight(from, to)).isEqualTo(ease.weight(from, to));
                assertThat(both.get(0).weight(from, to)).isEqualTo(edlae.weight(from, to));
                assertThat(both.get(1).weight(from, to)).isEqualTo(dlae.weight(from, to));
            }
        }
        assertThat(both.get(1).settings())
                .isEqualTo(new EaseModel.Settings(2.0, 0.25, EaseModel.Form.DLAE));
    }

    @Test
    void dropoutHoldsPopularProductsBackMoreThanAFlatLambda() {
        // Coffee (3 buyers) and tea (3) are the most bought: with dropout their penalty grows
        // with their count, so the weight from dates to coffee shrinks relative to plain EASE.
        EaseModel ease = EaseModel.train(BASKETS, 1.0, 1);
        EaseModel dlae =
                EaseModel.train(
                        BASKETS, new EaseModel.Settings(1.0, 0.5, EaseModel.Form.DLAE), 1, 99);

        assertThat(Math.abs(dlae.weight("dates", "coffee")))
                .isLessThan(Math.abs(ease.weight("dates", "coffee")));
    }

    @ParameterizedTest(name = "dropout {0}")
    @CsvSource({"-0.1", "1.0", "1.5", "NaN"})
    void refusesADropoutOutsideZeroToOne(double dropout) {
        assertThatThrownBy(
                        () ->
                                EaseModel.train(
                                        BASKETS,
                                        new EaseModel.Settings(1.0, dropout, EaseModel.Form.EASE),
                                        1,
                                        3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "500,  0.0,  EASE, ease λ=500",
        "50,   0.33, EASE, edlae λ=50 p=0.33",
        "5,    0.5,  DLAE, dlae λ=5 p=0.5",
        "2.5,  0.0,  DLAE, dlae λ=2.5",
    })
    void settingsDescribeThemselvesByTheirPaperName(
            double lambda, double dropout, EaseModel.Form form, String expected) {
        assertThat(new EaseModel.Settings(lambda, dropout, form).describe()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{2} dropout={1}: version {3}")
    @CsvSource({
        "1.0, 0.0,  EASE, 1",
        "1.0, 0.25, EASE, 2",
        "1.0, 0.0,  DLAE, 2",
        "1.0, 0.33, DLAE, 2",
    })
    void anArtifactKeepsItsSettingsAndPlainEaseStaysReadableByOlderServices(
            double lambda, double dropout, EaseModel.Form form, int version) {
        EaseModel.Settings settings = new EaseModel.Settings(lambda, dropout, form);
        EaseModel model = EaseModel.train(BASKETS, settings, 1, 3);

        byte[] bytes = model.toBytes();
        EaseModel read = EaseModel.fromBytes(bytes);

        assertThat(java.nio.ByteBuffer.wrap(bytes).getInt(4)).isEqualTo(version);
        assertThat(read.settings()).isEqualTo(settings);
        for (String from : model.itemIds()) {
            for (String to : model.itemIds()) {
                assertThat(read.weight(from, to)).isEqualTo(model.weight(from, to));
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
