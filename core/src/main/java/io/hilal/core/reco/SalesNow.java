package io.hilal.core.reco;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The model's popularity, category and trending rankings with the sales since its training merged
 * in, on the model's own scales: a purchase after training weighs in popularity exactly as one
 * before it would (each halves every {@link RecommendationModel#HALF_LIFE}, or every {@link
 * RecommendationModel#CATEGORY_HALF_LIFE} in a category, counted from the newest sale), and a
 * product added after training trends by the model's rule over its own orders (at least three last
 * week, half again its usual weekly rate). Products the model already ranks keep their trend until
 * the next training: their usual rate is the model's. Pure.
 */
final class SalesNow {
    /** Products kept in a merged ranking, as many as training keeps. */
    static final int KEPT = 200;

    private SalesNow() {}

    /** "Popular right now": the model's ranking with the sales since training. */
    static List<ScoredItem> popular(RecommendationModel model, RecentSales sales) {
        if (sales.isEmpty() || Double.isNaN(model.popularScale())) {
            return model.popular();
        }
        return merged(
                model,
                sales,
                model.popular(),
                model.popularScale(),
                RecommendationModel.HALF_LIFE,
                sales.products());
    }

    /** "Popular in {@code category}": the model's ranking with the category's sales since. */
    static List<ScoredItem> popularIn(
            RecommendationModel model,
            RecentSales sales,
            String category,
            Function<String, String> categoryOf) {
        List<ScoredItem> trained = model.popularIn(category);
        double scale = trained.isEmpty() ? 1 : model.categoryScale(category);
        if (sales.isEmpty() || Double.isNaN(scale)) {
            return trained;
        }
        List<String> sold = new ArrayList<>();
        for (String productId : sales.products()) {
            if (category.equals(categoryOf.apply(productId))) {
                sold.add(productId);
            }
        }
        return merged(model, sales, trained, scale, RecommendationModel.CATEGORY_HALF_LIFE, sold);
    }

    /** "Trending this week": the model's trends and those of products added since training. */
    static List<RecommendationModel.Trend> trending(RecommendationModel model, RecentSales sales) {
        if (sales.isEmpty()) {
            return model.trending();
        }
        Instant present = sales.newest(model.trainedAt());
        Instant weekStart = present.minus(RecommendationModel.TREND_WEEK);
        Instant baselineStart =
                weekStart.minus(
                        RecommendationModel.TREND_WEEK.multipliedBy(
                                RecommendationModel.TREND_BASELINE_WEEKS));
        List<RecommendationModel.Trend> trends = new ArrayList<>(model.trending());
        for (String productId : sales.products()) {
            if (model.product(productId) != null) {
                continue; // the model knows its usual rate; it trends from the next training
            }
            int lastWeek = 0;
            int baseline = 0;
            for (Instant at : sales.orders(productId)) {
                if (!at.isBefore(weekStart)) {
                    lastWeek++;
                } else if (!at.isBefore(baselineStart)) {
                    baseline++;
                }
            }
            double usual = baseline / (double) RecommendationModel.TREND_BASELINE_WEEKS;
            if (lastWeek >= 3 && lastWeek >= 1.5 * usual) {
                trends.add(
                        new RecommendationModel.Trend(
                                productId,
                                lastWeek,
                                usual,
                                (lastWeek - usual) / Math.sqrt(usual + 1)));
            }
        }
        trends.sort(
                Comparator.comparingDouble(RecommendationModel.Trend::score)
                        .reversed()
                        .thenComparing(RecommendationModel.Trend::productId));
        return trends.size() > KEPT ? List.copyOf(trends.subList(0, KEPT)) : trends;
    }

    /**
     * {@code trained} (fractions of {@code scale} at training) and the orders of {@code sold},
     * decayed with {@code halfLife} to the newest sale, as fractions of the new top.
     */
    private static List<ScoredItem> merged(
            RecommendationModel model,
            RecentSales sales,
            List<ScoredItem> trained,
            double scale,
            Duration halfLife,
            Iterable<String> sold) {
        Instant present = sales.newest(model.trainedAt());
        double lambda = Math.log(2) / halfLife.toSeconds();
        double fade = Math.exp(-lambda * Duration.between(model.trainedAt(), present).toSeconds());
        // Long after training the faded trained weights may round to 0: their own order stands.
        Map<String, double[]> raw = new HashMap<>();
        for (ScoredItem item : trained) {
            raw.put(item.productId(), new double[] {item.score() * scale * fade, item.score()});
        }
        for (String productId : sold) {
            double[] weights = raw.computeIfAbsent(productId, id -> new double[2]);
            for (Instant at : sales.orders(productId)) {
                weights[0] += Math.exp(-lambda * Duration.between(at, present).toSeconds());
            }
        }
        List<Map.Entry<String, double[]>> ranked = new ArrayList<>(raw.entrySet());
        ranked.sort(
                Comparator.<Map.Entry<String, double[]>>comparingDouble(
                                entry -> -entry.getValue()[0])
                        .thenComparingDouble(entry -> -entry.getValue()[1])
                        .thenComparing(Map.Entry::getKey));
        List<ScoredItem> items = new ArrayList<>();
        for (Map.Entry<String, double[]> entry : ranked) {
            items.add(new ScoredItem(entry.getKey(), entry.getValue()[0], null));
        }
        double top = items.isEmpty() || items.get(0).score() <= 0 ? 1 : items.get(0).score();
        List<ScoredItem> normalized = new ArrayList<>();
        for (ScoredItem item : items.subList(0, Math.min(KEPT, items.size()))) {
            normalized.add(new ScoredItem(item.productId(), item.score() / top, null));
        }
        return normalized;
    }
}
