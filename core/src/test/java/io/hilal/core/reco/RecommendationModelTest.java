package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RecommendationModelTest {
    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant NOW = START.plus(Duration.ofDays(400));

    /**
     * Tea: ten customers buy black tea three times, 30 days apart (20 re-buy gaps of 30 days); one
     * customer buys green tea twice, 10 days apart (one gap); one customer buys white tea once;
     * thirty customers buy a tea caddy once each. Furniture: five customers buy a chair once each.
     * And one customer buys an uncategorized gift card once.
     */
    private static List<Purchase> purchases() {
        List<Purchase> purchases = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            for (int time = 0; time < 3; time++) {
                purchases.add(buy("black-" + c, "black-tea", 30 * time));
            }
        }
        purchases.add(buy("greta", "green-tea", 100));
        purchases.add(buy("greta", "green-tea", 110));
        purchases.add(buy("wanda", "white-tea", 200));
        for (int c = 0; c < 30; c++) {
            purchases.add(buy("caddy-" + c, "caddy", 50 + c));
        }
        for (int c = 0; c < 5; c++) {
            purchases.add(buy("chair-" + c, "chair", 20 + c));
        }
        purchases.add(buy("gina", "gift-card", 60));
        return purchases;
    }

    private static Purchase buy(String customer, String product, int day) {
        return new Purchase(
                customer, product, customer + "-" + day, 1, START.plus(Duration.ofDays(day)));
    }

    private static Map<String, ProductInfo> catalog(boolean withCategories) {
        Map<String, ProductInfo> catalog = new HashMap<>();
        for (String tea : List.of("black-tea", "green-tea", "white-tea", "caddy")) {
            catalog.put(tea, new ProductInfo(tea, tea, withCategories ? "Tea" : null, true));
        }
        catalog.put(
                "chair",
                new ProductInfo("chair", "chair", withCategories ? "Furniture" : null, true));
        catalog.put("gift-card", new ProductInfo("gift-card", "gift card", null, true));
        return catalog;
    }

    private static RecommendationModel model(boolean withCategories) {
        return RecommendationModel.train(purchases(), catalog(withCategories), NOW);
    }

    private static RecommendationModel.Timing timing(
            RecommendationModel model, String customer, String product) {
        return model.timings(customer).get(product);
    }

    @Nested
    class ProductWithFewRebuys {
        @Test
        void withoutACategoryKeepsItsOwnGap() {
            RecommendationModel model = model(false);

            assertThat(model.productGapDays("green-tea")).isCloseTo(10.0, within(1e-6));
            assertThat(timing(model, "greta", "green-tea").gapDays()).isCloseTo(10.0, within(1e-4));
        }

        @Test
        void isPulledTowardItsCategorysGapAndTheCustomerWithIt() {
            RecommendationModel model = model(true);

            // Tea's gaps: twenty of 30 days and one of 10, median 30. Green tea's one gap of 10
            // against the category's 30 at weight 5: (10 + 5 × 30) / 6.
            double product = (10 + 5 * 30.0) / 6;
            assertThat(model.productGapDays("green-tea")).isCloseTo(product, within(1e-4));
            // Greta's own gap of 10 against the product's at weight 2.
            assertThat(timing(model, "greta", "green-tea").gapDays())
                    .isCloseTo((10 + 2 * product) / 3, within(1e-3));
        }

        @Test
        void aWellKnownProductBarelyMoves() {
            RecommendationModel model = model(true);

            assertThat(model.productGapDays("black-tea")).isCloseTo(30.0, within(1e-6));
            assertThat(timing(model, "black-0", "black-tea").gapDays())
                    .isCloseTo(30.0, within(1e-4));
        }
    }

    @Nested
    class ProductNobodyRebuys {
        @Test
        void inARebuyCategoryTakesTheCategoryGapWithLowerConfidence() {
            RecommendationModel model = model(true);

            RecommendationModel.Timing white = timing(model, "wanda", "white-tea");
            RecommendationModel.Timing black = timing(model, "black-0", "black-tea");
            assertThat(white.gapDays()).isCloseTo(30.0, within(1e-4));
            assertThat(white.due()).isEqualTo(START.plus(Duration.ofDays(230)));
            assertThat(white.confidence()).isPositive().isLessThan(black.confidence() / 2);
            // Its own gap stays unknown: no one has bought it twice.
            assertThat(model.productGapDays("white-tea")).isNull();
        }

        @Test
        void withoutACategoryIsAOneOff() {
            RecommendationModel model = model(false);

            RecommendationModel.Timing white = timing(model, "wanda", "white-tea");
            assertThat(white.gapDays()).isNaN();
            assertThat(white.confidence()).isZero();
        }

        @Test
        void thatManyBoughtWithoutComingBackStaysBelowTheRestockThreshold() {
            RecommendationModel model = model(true);

            // Thirty buyers of the caddy, none came back: the category's rate counts as five
            // buyers against thirty who did not return.
            assertThat(timing(model, "caddy-0", "caddy").confidence())
                    .isLessThan(0.05)
                    .isLessThan(timing(model, "wanda", "white-tea").confidence());
        }

        @Test
        void inACategoryNobodyRebuysIsAOneOff() {
            RecommendationModel model = model(true);

            RecommendationModel.Timing chair = timing(model, "chair-0", "chair");
            assertThat(chair.gapDays()).isNaN();
            assertThat(chair.confidence()).isZero();
            RecommendationModel.Timing giftCard = timing(model, "gina", "gift-card");
            assertThat(giftCard.gapDays()).isNaN();
            assertThat(giftCard.confidence()).isZero();
        }
    }

    @Test
    void storedArtifactKeepsTheShrunkTimings() {
        RecommendationModel model = model(true);

        RecommendationModel loaded = RecommendationModel.fromBytes(model.toBytes());

        for (String customer : List.of("greta", "wanda", "caddy-0", "chair-0", "black-3")) {
            assertThat(loaded.timings(customer)).isEqualTo(model.timings(customer));
        }
        assertThat(loaded.productGapDays("green-tea")).isEqualTo(model.productGapDays("green-tea"));
        assertThat(loaded.productGapDays("white-tea")).isNull();
    }
}
