package io.hilal.core.reco;

import io.hilal.core.reco.RecommendationModel.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains a {@link RecommendationModel} from purchases and views: one pass gathers decayed sales,
 * baskets and re-buy dates, then the trainers build each part (popularity, neighbours, trends,
 * re-buy timing) and the model packs them. Pure: the caller loads the data ({@link
 * RecommendationTrainer} from the database).
 */
final class RecommenderTraining {
    private RecommenderTraining() {}

    /** Trains on purchases up to {@code now}; products not in {@code catalog} are ignored. */
    static RecommendationModel train(
            List<Purchase> purchases, Map<String, ProductInfo> catalog, Instant now) {
        return train(purchases, List.of(), catalog, now);
    }

    /**
     * Trains on purchases and product views up to {@code now}; products not in {@code catalog} are
     * ignored.
     */
    static RecommendationModel train(
            List<Purchase> purchases,
            List<View> views,
            Map<String, ProductInfo> catalog,
            Instant now) {
        return train(purchases, views, catalog, now, ModelPriors.NONE);
    }

    /**
     * As above, borrowing from {@code priors} where the shop's own data is thin: its categories'
     * repeat timing and, with pooled categories, its popularity ranking ({@link ModelPriors}).
     */
    static RecommendationModel train(
            List<Purchase> purchases,
            List<View> views,
            Map<String, ProductInfo> catalog,
            Instant now,
            ModelPriors priors) {
        Map<String, Double> decayed = new HashMap<>();
        Map<String, Double> decayedWeekly = new HashMap<>();
        // Held as numbers: a tenant's purchase lines and baskets are the bulk of this training's
        // heap (SCALING.md, "Spark trainer").
        PurchaseLines lines = PurchaseLines.of(purchases);
        OrderBaskets orderItems = new OrderBaskets(lines);
        Map<String, Map<String, List<Instant>>> boughtDays = new HashMap<>();
        Map<String, Set<String>> recentOrders = new HashMap<>();
        Map<String, Set<String>> baselineOrders = new HashMap<>();
        Instant weekStart = now.minus(RecommendationModel.TREND_WEEK);
        Instant baselineStart =
                weekStart.minus(
                        RecommendationModel.TREND_WEEK.multipliedBy(
                                RecommendationModel.TREND_BASELINE_WEEKS));
        double lambda = Math.log(2) / RecommendationModel.HALF_LIFE.toSeconds();
        double weeklyLambda = Math.log(2) / RecommendationModel.CATEGORY_HALF_LIFE.toSeconds();
        for (int line = 0; line < lines.size(); line++) {
            Purchase purchase = lines.get(line);
            if (!catalog.containsKey(purchase.productId()) || purchase.at().isAfter(now)) {
                continue;
            }
            double age = Duration.between(purchase.at(), now).toSeconds();
            decayed.merge(purchase.productId(), Math.exp(-lambda * age), Double::sum);
            decayedWeekly.merge(purchase.productId(), Math.exp(-weeklyLambda * age), Double::sum);
            String order = purchase.customerId() + "\n" + purchase.orderId();
            if (!purchase.at().isBefore(weekStart)) {
                recentOrders.computeIfAbsent(purchase.productId(), k -> new HashSet<>()).add(order);
            } else if (!purchase.at().isBefore(baselineStart)) {
                baselineOrders
                        .computeIfAbsent(purchase.productId(), k -> new HashSet<>())
                        .add(order);
            }
            orderItems.add(line);
            ModelPriors.addDay(
                    boughtDays.computeIfAbsent(purchase.customerId(), k -> new HashMap<>()),
                    purchase.productId(),
                    purchase.at());
        }
        Map<String, Set<String>> viewBaskets = new HashMap<>();
        for (View view : views) {
            if (catalog.containsKey(view.productId()) && !view.at().isAfter(now)) {
                // One customer's views on one day stand for a browsing session.
                String day = view.at().truncatedTo(java.time.temporal.ChronoUnit.DAYS).toString();
                viewBaskets
                        .computeIfAbsent(view.customerId() + "\n" + day, k -> new HashSet<>())
                        .add(view.productId());
            }
        }
        decayed = priors.withPopularityPrior(decayed, catalog, boughtDays.size());
        List<ScoredItem> popular = PopularityTrainer.rank(decayed, catalog, null);
        Map<String, List<ScoredItem>> byCategory = new HashMap<>();
        Map<String, Double> categoryScales = new HashMap<>();
        for (ProductInfo product : catalog.values()) {
            if (product.category() != null && !byCategory.containsKey(product.category())) {
                byCategory.put(
                        product.category(),
                        PopularityTrainer.rank(decayedWeekly, catalog, product.category()));
                categoryScales.put(
                        product.category(),
                        PopularityTrainer.top(decayedWeekly, catalog, product.category()));
            }
        }
        byCategory.values().removeIf(List::isEmpty);
        categoryScales.keySet().retainAll(byCategory.keySet());
        Map<String, Double> gaps = new HashMap<>();
        Map<String, Map<String, Timing>> timings =
                RebuyTimingTrainer.timings(boughtDays, catalog, gaps, priors);
        return RecommendationModel.pack(
                now,
                Map.copyOf(catalog),
                popular,
                PopularityTrainer.top(decayed, catalog, null),
                byCategory,
                categoryScales,
                NeighbourTrainer.neighbours(orderItems, catalog),
                NeighbourTrainer.neighbours(viewBaskets.values(), catalog),
                TrendTrainer.trends(recentOrders, baselineOrders, catalog),
                timings,
                gaps);
    }
}
