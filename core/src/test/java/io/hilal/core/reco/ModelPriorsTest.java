package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelPriorsTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private static ModelPriors.CategoryPrior prior(
            int buyers, int rebuyers, int gaps, double gapDays) {
        return new ModelPriors.CategoryPrior(
                buyers, rebuyers, gaps, gapDays, gapDays / 2, gapDays * 2, 0.5);
    }

    private static List<Double> gaps(String spaced) {
        if (spaced.isBlank()) {
            return List.of();
        }
        // "30x95": 95 gaps of 30 days
        List<Double> gaps = new ArrayList<>();
        for (String token : spaced.trim().split(" ")) {
            String[] repeated = token.split("x");
            int times = repeated.length == 2 ? Integer.parseInt(repeated[1]) : 1;
            gaps.addAll(Collections.nCopies(times, Double.parseDouble(repeated[0])));
        }
        return gaps;
    }

    @ParameterizedTest(
            name = "own gaps [{0}] of {1} buyers ({2} again), prior {3} d at {4}/{5}: {6} d, {7}")
    @CsvSource({
        // no prior: the category's own median and rate, as before priors
        "'10 20 30', 10, 3, , , , 20, 0.3",
        "'', 10, 0, , , , , ", // nothing re-bought, no prior: nothing to time
        // one own gap of 10 d against a prior of 40 d over 100 of 200 buyers: (10 + 5·40) / 6
        "'10', 4, 1, 40, 200, 100, 35, 0.3888889",
        // no own gap: the prior's gap, its rate pulled down by the buyers who did not come back
        "'', 5, 0, 40, 200, 100, 40, 0.25",
        // plenty of own gaps: the prior barely moves them, (95·30 + 5·40) / 100
        "'30x95', 100, 50, 40, 200, 100, 30.5, 0.5",
        // a prior without re-buys is no prior
        "'12', 2, 1, NaN, 10, 0, 12, 0.5",
    })
    void shrinksACategoryTowardItsPrior(
            String ownGaps,
            int buyers,
            int rebuyers,
            Double priorGap,
            Integer priorBuyers,
            Integer priorRebuyers,
            Double gap,
            Double rate) {
        List<Double> own = gaps(ownGaps);
        ModelPriors priors =
                priorGap == null
                        ? ModelPriors.NONE
                        : new ModelPriors(
                                Map.of(
                                        "tea",
                                        prior(priorBuyers, priorRebuyers, priorRebuyers, priorGap)),
                                null);

        ModelPriors.CategoryTiming timing = priors.categoryTiming("Tea", own, buyers, rebuyers);

        if (gap == null) {
            assertThat(timing).isNull();
        } else {
            assertThat(timing.gapDays()).isCloseTo(gap, within(1e-6));
            assertThat(timing.rebuyRate()).isCloseTo(rate, within(1e-6));
        }
    }

    @ParameterizedTest(name = "category {0}: pooled {1}, shop {2} -> prior of {3} d")
    @CsvSource({
        "tea, true, true, 40", // its pooled prior first
        "coffee, true, true, 25", // no pooled prior for it: the shop's
        "tea, false, true, 25",
        "tea, false, false, ",
        ", true, true, 25", // no category: the shop's
    })
    void borrowsFromTheSameCategoryElseFromTheWholeShop(
            String category, boolean pooled, boolean shop, Double expected) {
        ModelPriors priors =
                new ModelPriors(
                        pooled ? Map.of("tea", prior(10, 5, 5, 40)) : Map.of(),
                        shop ? prior(50, 10, 10, 25) : null);

        ModelPriors.CategoryPrior chosen = priors.priorFor(category);

        if (expected == null) {
            assertThat(chosen).isNull();
        } else {
            assertThat(chosen.gapDays()).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource({
        "Tea, tea",
        "'  Green   Tea ', green tea",
        "'ＴＥＡ', tea", // full-width letters (NFKC)
        "'Home > Candles', home > candles",
        "'   ', ",
        ", ",
    })
    void normalizesCategoryNamesSoShopsPoolByName(String raw, String normalized) {
        assertThat(ModelPriors.normalize(raw)).isEqualTo(normalized);
    }

    @Test
    void poolsCountsByAddingAndGapsByGapWeightedGeometricMean() {
        ModelPriors first =
                new ModelPriors(
                        Map.of(
                                "tea",
                                new ModelPriors.CategoryPrior(10, 4, 3, 10, 5, 20, 0.6),
                                "mugs",
                                new ModelPriors.CategoryPrior(
                                        4, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0.4)),
                        prior(14, 4, 3, 10));
        ModelPriors second =
                new ModelPriors(
                        Map.of("tea", new ModelPriors.CategoryPrior(20, 8, 1, 40, 20, 80, 1.0)),
                        null);

        ModelPriors pooled = ModelPriors.pool(List.of(first, second));

        ModelPriors.CategoryPrior tea = pooled.categories().get("tea");
        assertThat(tea.buyers()).isEqualTo(30);
        assertThat(tea.rebuyers()).isEqualTo(12);
        assertThat(tea.gaps()).isEqualTo(4);
        // exp((3 ln 10 + ln 40) / 4) = 10 · 4^(1/4)
        assertThat(tea.gapDays()).isCloseTo(10 * Math.pow(4, 0.25), within(1e-9));
        assertThat(tea.salesShare()).isCloseTo(0.8, within(1e-9));
        assertThat(pooled.categories().get("mugs").gaps()).isZero();
        assertThat(pooled.categories().get("mugs").salesShare()).isCloseTo(0.2, within(1e-9));
        assertThat(pooled.shop()).as("a shop's own prior is never pooled").isNull();
    }

    @Test
    void measuresCategoriesAndTheShopFromPurchasesAndHoldsNoIds() throws Exception {
        Map<String, ProductInfo> catalog =
                Map.of(
                        "sku-tea-1", new ProductInfo("sku-tea-1", "Sencha", " Tea", true),
                        "sku-mug-1", new ProductInfo("sku-mug-1", "Mug", "Mugs", true),
                        "sku-odd", new ProductInfo("sku-odd", "Odd", null, true));
        List<Purchase> purchases =
                List.of(
                        bought("cust-ann", "sku-tea-1", 60),
                        bought("cust-ann", "sku-tea-1", 40),
                        bought("cust-ann", "sku-tea-1", 10),
                        bought("cust-bob", "sku-tea-1", 50),
                        bought("cust-bob", "sku-mug-1", 50),
                        bought("cust-bob", "sku-odd", 30),
                        bought("cust-bob", "sku-odd", 20),
                        bought("cust-cy", "sku-tea-1", -5)); // after training: ignored

        ModelPriors measured = ModelPriors.measure(purchases, catalog, NOW);

        ModelPriors.CategoryPrior tea = measured.categories().get("tea");
        assertThat(tea.buyers()).isEqualTo(2);
        assertThat(tea.rebuyers()).isEqualTo(1);
        assertThat(tea.gaps()).isEqualTo(2);
        assertThat(tea.gapDays()).isCloseTo(25, within(1e-9)); // gaps of 20 and 30 days
        assertThat(measured.categories().get("mugs").rebuyRate()).isZero();
        assertThat(measured.categories()).containsOnlyKeys("tea", "mugs");
        assertThat(measured.shop().buyers()).isEqualTo(4);
        assertThat(measured.shop().gaps()).isEqualTo(3); // the uncategorized product counts too
        assertThat(measured.shop().gapDays()).isCloseTo(20, within(1e-9)); // of 10, 20, 30
        String json = new ObjectMapper().writeValueAsString(measured);
        assertThat(json).doesNotContain("cust-", "sku-", "Sencha");
    }

    @Test
    void thePopularityPriorReachesUnsoldProductsOfPooledCategoriesOnly() {
        Map<String, ProductInfo> catalog =
                Map.of(
                        "a", new ProductInfo("a", null, "tea", true),
                        "b", new ProductInfo("b", null, "tea", true),
                        "c", new ProductInfo("c", null, "mugs", true),
                        "d", new ProductInfo("d", null, "tea", false));
        Map<String, Double> sales = Map.of("a", 10.0, "c", 10.0);
        ModelPriors pooled =
                new ModelPriors(
                        Map.of("tea", new ModelPriors.CategoryPrior(1, 0, 0, 1, 1, 1, 0.5)), null);

        Map<String, Double> smoothed = pooled.withPopularityPrior(sales, catalog, 200);

        // 100 customers' worth of 20 lines over 200 customers: 10 lines, over tea's two products
        assertThat(smoothed.get("a")).isCloseTo(15, within(1e-9));
        assertThat(smoothed.get("b")).isCloseTo(5, within(1e-9));
        assertThat(smoothed.get("c")).isEqualTo(10);
        assertThat(smoothed).doesNotContainKey("d"); // not recommendable
        assertThat(ModelPriors.NONE.withPopularityPrior(sales, catalog, 200)).isSameAs(sales);
    }

    @Test
    void aShopThatBorrowsTimesAProductItsOwnDataCannot() {
        Map<String, ProductInfo> catalog =
                Map.of("tea-1", new ProductInfo("tea-1", null, "tea", true));
        // One customer re-bought once, after 10 days: a category gap of 10 on its own.
        List<Purchase> purchases = List.of(bought("ann", "tea-1", 30), bought("ann", "tea-1", 20));
        ModelPriors pooled =
                new ModelPriors(
                        Map.of("tea", new ModelPriors.CategoryPrior(400, 200, 300, 40, 30, 55, 1)),
                        null);

        double alone =
                RecommendationModel.train(purchases, List.of(), catalog, NOW, ModelPriors.NONE)
                        .productGapDays("tea-1");
        double borrowed =
                RecommendationModel.train(purchases, List.of(), catalog, NOW, pooled)
                        .productGapDays("tea-1");

        assertThat(alone).isCloseTo(10, within(1e-4)); // stored as a float
        // the category: (10 + 5·40) / 6 = 35; the product: (10 + 5·35) / 6
        assertThat(borrowed).isCloseTo((10 + 5 * 35.0) / 6, within(1e-4));
    }

    private static Purchase bought(String customer, String product, int daysAgo) {
        Instant at = NOW.minus(Duration.ofDays(daysAgo));
        return new Purchase(customer, product, customer + "-" + daysAgo, 1, at);
    }
}
