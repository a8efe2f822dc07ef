package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SalesNowTest {
    private static final Instant TRAINED = Instant.parse("2026-03-01T10:00:00Z");

    /**
     * At training, black tea was bought in four orders and green tea in one, all at the moment of
     * training (so popularity's scale is four purchases); chairs once, a week and a half before.
     */
    private static final RecommendationModel MODEL =
            RecommendationModel.train(
                    List.of(
                            buy("a", "black-tea", TRAINED),
                            buy("b", "black-tea", TRAINED),
                            buy("c", "black-tea", TRAINED),
                            buy("d", "black-tea", TRAINED),
                            buy("e", "green-tea", TRAINED),
                            buy("f", "chair", TRAINED.minus(Duration.ofDays(10)))),
                    Map.of(
                            "black-tea", new ProductInfo("black-tea", "Black tea", "Tea", true),
                            "green-tea", new ProductInfo("green-tea", "Green tea", "Tea", true),
                            "chair", new ProductInfo("chair", "Chair", "Furniture", true)),
                    TRAINED);

    private static Purchase buy(String customer, String product, Instant at) {
        return new Purchase(customer, product, customer + "-" + at, 1, at);
    }

    /** {@code orders} orders of {@code product} by different customers, at {@code at}. */
    private static List<RecentSales.Line> sold(String product, int orders, Instant at) {
        List<RecentSales.Line> lines = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            lines.add(new RecentSales.Line(product, product + "-buyer-" + i, product + i, 1, at));
        }
        return lines;
    }

    private static Map<String, Double> scores(List<ScoredItem> items) {
        Map<String, Double> scores = new java.util.LinkedHashMap<>();
        items.forEach(item -> scores.put(item.productId(), item.score()));
        return scores;
    }

    @Test
    void withoutSalesTheModelsRankingsStand() {
        assertThat(SalesNow.popular(MODEL, RecentSales.NONE)).isEqualTo(MODEL.popular());
        assertThat(SalesNow.trending(MODEL, RecentSales.NONE)).isEqualTo(MODEL.trending());
        assertThat(SalesNow.popularIn(MODEL, RecentSales.NONE, "Tea", id -> "Tea"))
                .isEqualTo(MODEL.popularIn("Tea"));
    }

    @ParameterizedTest(name = "{1} orders of a new product {0} days after training")
    @CsvSource({
        // days, orders, black tea, green tea, new product: a sale weighs as one before training
        "0, 2, 1.0, 0.25, 0.5",
        "0, 4, 1.0, 0.25, 1.0",
        "0, 8, 0.5, 0.125, 1.0",
        // a month later (one half-life) the model's counts weigh half
        "30, 3, 0.6667, 0.1667, 1.0",
        "30, 1, 1.0, 0.25, 0.5",
    })
    void aNewProductJoinsPopularityOnTheModelsScale(
            int days, int orders, double black, double green, double fresh) {
        RecentSales sales =
                RecentSales.of(sold("mugs", orders, TRAINED.plus(Duration.ofDays(days))));

        Map<String, Double> scores = scores(SalesNow.popular(MODEL, sales));

        assertThat(scores.get("black-tea")).isCloseTo(black, within(1e-3));
        assertThat(scores.get("green-tea")).isCloseTo(green, within(1e-3));
        assertThat(scores.get("mugs")).isCloseTo(fresh, within(1e-3));
    }

    @Test
    void salesOfAKnownProductAddToItsCount() {
        RecentSales sales = RecentSales.of(sold("green-tea", 4, TRAINED.plusSeconds(60)));

        Map<String, Double> scores = scores(SalesNow.popular(MODEL, sales));

        assertThat(scores.keySet()).startsWith("green-tea", "black-tea");
        assertThat(scores.get("black-tea")).isCloseTo(0.8, within(1e-3)); // 4 against 5
    }

    @Test
    void longAfterTrainingTheModelsOwnOrderStandsBehindNewSales() {
        RecentSales sales = RecentSales.of(sold("mugs", 1, TRAINED.plus(Duration.ofDays(5_000))));

        assertThat(scores(SalesNow.popular(MODEL, sales)).keySet())
                .containsExactly("mugs", "black-tea", "green-tea", "chair");
    }

    @Test
    void aNewProductJoinsItsOwnCategoryOnly() {
        RecentSales sales = RecentSales.of(sold("mugs", 2, TRAINED.plusSeconds(60)));

        assertThat(scores(SalesNow.popularIn(MODEL, sales, "Tea", id -> "Tea")).keySet())
                .containsExactly("black-tea", "mugs", "green-tea");
        assertThat(scores(SalesNow.popularIn(MODEL, sales, "Tea", id -> "Kitchen")).keySet())
                .containsExactly("black-tea", "green-tea");
        assertThat(scores(SalesNow.popularIn(MODEL, sales, "Kitchen", id -> "Kitchen")))
                .containsExactly(Map.entry("mugs", 1.0));
    }

    @ParameterizedTest(name = "{0} orders last week, {1} in the four weeks before: trends {2}")
    @CsvSource({
        "3, 0, true, 3.0",
        "2, 0, false, 0",
        "6, 8, true, 2.309",
        "3, 12, false, 0",
    })
    void aNewProductTrendsByTheModelsRule(int lastWeek, int before, boolean trends, double score) {
        Instant present = TRAINED.plus(Duration.ofDays(40));
        List<RecentSales.Line> lines = new ArrayList<>(sold("mugs", lastWeek, present));
        for (int i = 0; i < before; i++) {
            lines.add(
                    new RecentSales.Line(
                            "mugs",
                            "early-" + i,
                            "early" + i,
                            1,
                            present.minus(Duration.ofDays(14))));
        }

        List<RecommendationModel.Trend> trending = SalesNow.trending(MODEL, RecentSales.of(lines));

        assertThat(trending.stream().anyMatch(trend -> trend.productId().equals("mugs")))
                .isEqualTo(trends);
        trending.stream()
                .filter(trend -> trend.productId().equals("mugs"))
                .forEach(
                        trend -> {
                            assertThat(trend.lastWeek()).isEqualTo(lastWeek);
                            assertThat(trend.score()).isCloseTo(score, within(1e-3));
                        });
    }

    @Test
    void aProductTheModelKnowsTrendsFromTheNextTraining() {
        RecentSales sales = RecentSales.of(sold("green-tea", 10, TRAINED.plusSeconds(60)));

        assertThat(SalesNow.trending(MODEL, sales)).isEqualTo(MODEL.trending());
    }

    @Test
    void refundedPurchasesDoNotCount() {
        List<RecentSales.Line> lines = new ArrayList<>(sold("mugs", 3, TRAINED.plusSeconds(60)));
        lines.add(
                new RecentSales.Line(
                        "mugs", "mugs-buyer-0", "refund-0", -1, TRAINED.plusSeconds(90)));
        lines.add(
                new RecentSales.Line(
                        "mugs", "mugs-buyer-1", "refund-1", -1, TRAINED.plusSeconds(90)));

        RecentSales sales = RecentSales.of(lines);

        assertThat(sales.orders("mugs")).hasSize(1);
        assertThat(SalesNow.trending(MODEL, sales)).isEqualTo(MODEL.trending());
    }

    @Test
    void anOrderWithTwoLinesOfAProductIsOneOrder() {
        RecentSales sales =
                RecentSales.of(
                        List.of(
                                new RecentSales.Line("mugs", "x", "order-1", 1, TRAINED),
                                new RecentSales.Line("mugs", "x", "order-1", 2, TRAINED)));

        assertThat(sales.orders("mugs")).hasSize(1);
    }

    @Test
    void theScalesSurviveTheModelStore() {
        RecommendationModel loaded = RecommendationModel.fromBytes(MODEL.toBytes());

        assertThat(MODEL.popularScale()).isCloseTo(4.0, within(1e-9));
        assertThat(loaded.popularScale()).isCloseTo(4.0, within(1e-9));
        assertThat(loaded.categoryScale("Tea")).isCloseTo(4.0, within(1e-6));
        assertThat(loaded.categoryScale("Furniture")).isCloseTo(0.3715, within(1e-3));
        assertThat(loaded.categoryScale("Garden")).isNaN();
    }
}
