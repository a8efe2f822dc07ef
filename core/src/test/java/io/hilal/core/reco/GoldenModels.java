package io.hilal.core.reco;

import io.hilal.core.reco.als.AlsModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs of the golden artifacts under {@code fixtures/reco/}: small models that touch every
 * part of each format (untitled and uncategorized products, a hidden product, neighbours bought and
 * viewed together, a trend, re-buy timing). The fixtures were written by the code before the
 * recommender was split into trainers, packed model and codec, and must keep decoding.
 */
final class GoldenModels {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private GoldenModels() {}

    static Map<String, ProductInfo> catalog() {
        Map<String, ProductInfo> catalog = new HashMap<>();
        catalog.put("tea", new ProductInfo("tea", "Black tea", "Tea", true));
        catalog.put("caddy", new ProductInfo("caddy", "Tea caddy", "Tea", true));
        catalog.put("cups", new ProductInfo("cups", "Cups", "Home", true));
        catalog.put("lamp", new ProductInfo("lamp", null, "Home", true));
        catalog.put("card", new ProductInfo("card", "Gift card", null, true));
        catalog.put("old", new ProductInfo("old", null, null, false));
        return catalog;
    }

    static List<Purchase> purchases() {
        List<Purchase> purchases = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            String customer = "c" + c;
            for (int time = 0; time < 3; time++) {
                int day = 90 - 25 * time - c;
                purchases.add(buy(customer, "tea", customer + "-" + day, day));
                if (c % 2 == 0) {
                    purchases.add(buy(customer, "caddy", customer + "-" + day, day));
                }
            }
            purchases.add(buy(customer, "cups", customer + "-x", 40 + c));
            purchases.add(buy(customer, "lamp", customer + "-x", 40 + c));
        }
        for (int c = 0; c < 5; c++) {
            purchases.add(buy("t" + c, "card", "t" + c + "-1", 2 + c % 3));
        }
        purchases.add(buy("c0", "old", "c0-old", 120));
        return purchases;
    }

    static List<View> views() {
        List<View> views = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Instant at = NOW.minus(Duration.ofDays(3 + c));
            views.add(new View("v" + c, "cups", at));
            views.add(new View("v" + c, "card", at.plusSeconds(60)));
        }
        return views;
    }

    static RecommendationModel recommender() {
        return RecommendationModel.train(purchases(), views(), catalog(), NOW);
    }

    static AlsModel als() {
        return AlsModel.fromFactors(
                List.of("anna", "ben", "cem"),
                List.of("tea", "cups", "lamp", "\u00e7ay"),
                2,
                0.5,
                20,
                true,
                new float[] {1f, 0.5f, -0.25f, 2f, 0f, 1e-3f},
                new float[] {0.1f, 0.2f, 0.3f, -0.4f, 1.5f, 0f, Float.MIN_VALUE, 7f});
    }

    private static Purchase buy(String customer, String product, String order, int daysAgo) {
        return new Purchase(customer, product, order, 1, NOW.minus(Duration.ofDays(daysAgo)));
    }
}
