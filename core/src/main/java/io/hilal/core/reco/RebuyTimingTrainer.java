package io.hilal.core.reco;

import io.hilal.core.reco.RecommendationModel.Timing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** When each customer is due to buy each product again, from their own and everyone's gaps. */
final class RebuyTimingTrainer {
    private RebuyTimingTrainer() {}

    /**
     * Each customer's gap between buying a product again, shrunk hierarchically: the customer's own
     * gaps toward the product's, and the product's toward its category's.
     *
     * <ul>
     *   <li>Category: the median of every re-buy gap of its products, and its re-buy rate (buyers
     *       of a product who bought that product again, over all its products' buyers), each shrunk
     *       toward its prior when {@code priors} has one ({@link ModelPriors#categoryTiming}).
     *   <li>Product: with m re-buy gaps of median g and a category gap c, (m g + K c) / (m + K), K
     *       = {@value RecommendationModel#CATEGORY_SHRINKAGE}; its re-buy rate (re-buyers + K r) /
     *       (buyers + K) around the category's rate r. A product nobody re-buys in a category that
     *       is re-bought takes the category's gap as its prior, at a rate that drops with every
     *       buyer who did not come back; a product nobody re-buys in a category nobody re-buys (or
     *       with none) is a one-off: owned, never due.
     *   <li>Customer: with n own gaps of mean g and the product's gap p, (n g + k p) / (n + k), k =
     *       {@value RecommendationModel#SHRINKAGE}; confidence = the product's re-buy rate × (n +
     *       1) / (n + 1 + k).
     * </ul>
     *
     * <p>{@code productGaps} receives the products' shrunk gaps, for products someone re-buys.
     */
    static Map<String, Map<String, Timing>> timings(
            Map<String, Map<String, List<Instant>>> boughtDays,
            Map<String, ProductInfo> catalog,
            Map<String, Double> productGaps,
            ModelPriors priors) {
        Map<String, List<Double>> allGaps = new HashMap<>();
        Map<String, int[]> buyers = new HashMap<>();
        Map<String, List<Double>> categoryGaps = new HashMap<>();
        Map<String, int[]> categoryBuyers = new HashMap<>();
        for (Map<String, List<Instant>> products : boughtDays.values()) {
            for (Map.Entry<String, List<Instant>> entry : products.entrySet()) {
                List<Double> gaps = ModelPriors.gapsInDays(entry.getValue());
                String category = catalog.get(entry.getKey()).category();
                int[] counts = buyers.computeIfAbsent(entry.getKey(), k -> new int[2]);
                int[] inCategory =
                        category == null
                                ? new int[2]
                                : categoryBuyers.computeIfAbsent(category, k -> new int[2]);
                counts[0]++;
                inCategory[0]++;
                if (!gaps.isEmpty()) {
                    counts[1]++;
                    inCategory[1]++;
                    allGaps.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).addAll(gaps);
                    if (category != null) {
                        categoryGaps.computeIfAbsent(category, k -> new ArrayList<>()).addAll(gaps);
                    }
                }
            }
        }
        // Each category's gap and re-buy rate, its own shrunk toward its prior when there is one.
        Map<String, ModelPriors.CategoryTiming> categoryTiming = new HashMap<>();
        categoryBuyers.forEach(
                (category, counts) -> {
                    ModelPriors.CategoryTiming timing =
                            priors.categoryTiming(
                                    category, categoryGaps.get(category), counts[0], counts[1]);
                    if (timing != null) {
                        categoryTiming.put(category, timing);
                    }
                });
        // Per product: its prior gap and re-buy rate; absent for one-offs.
        Map<String, double[]> prior = new HashMap<>();
        buyers.forEach(
                (product, counts) -> {
                    String category = catalog.get(product).category();
                    ModelPriors.CategoryTiming inCategory =
                            category == null ? null : categoryTiming.get(category);
                    List<Double> own = allGaps.get(product);
                    if (own == null && inCategory == null) {
                        return; // nobody buys it twice, nor anything like it: a one-off
                    }
                    double gap;
                    double rate;
                    if (inCategory == null) {
                        gap = median(own);
                        rate = (double) counts[1] / counts[0];
                    } else {
                        double fromCategory = inCategory.gapDays();
                        double categoryRate = inCategory.rebuyRate();
                        int gaps = own == null ? 0 : own.size();
                        gap =
                                own == null
                                        ? fromCategory
                                        : (gaps * median(own)
                                                        + RecommendationModel.CATEGORY_SHRINKAGE
                                                                * fromCategory)
                                                / (gaps + RecommendationModel.CATEGORY_SHRINKAGE);
                        rate =
                                (counts[1] + RecommendationModel.CATEGORY_SHRINKAGE * categoryRate)
                                        / (counts[0] + RecommendationModel.CATEGORY_SHRINKAGE);
                    }
                    prior.put(product, new double[] {gap, rate});
                    if (own != null) {
                        productGaps.put(product, gap);
                    }
                });
        Map<String, Map<String, Timing>> result = new HashMap<>();
        boughtDays.forEach(
                (customer, products) -> {
                    Map<String, Timing> own = new HashMap<>();
                    products.forEach(
                            (product, days) -> {
                                double[] productPrior = prior.get(product);
                                if (productPrior == null) {
                                    own.put(
                                            product,
                                            new Timing(
                                                    product,
                                                    Collections.max(days),
                                                    days.size(),
                                                    Double.NaN,
                                                    0));
                                    return;
                                }
                                List<Double> gaps = ModelPriors.gapsInDays(days);
                                double mean =
                                        gaps.stream()
                                                .mapToDouble(Double::doubleValue)
                                                .average()
                                                .orElse(0);
                                double gap =
                                        (gaps.size() * mean
                                                        + RecommendationModel.SHRINKAGE
                                                                * productPrior[0])
                                                / (gaps.size() + RecommendationModel.SHRINKAGE);
                                double confidence =
                                        productPrior[1]
                                                * (gaps.size() + 1)
                                                / (gaps.size() + 1 + RecommendationModel.SHRINKAGE);
                                own.put(
                                        product,
                                        new Timing(
                                                product,
                                                Collections.max(days),
                                                days.size(),
                                                gap,
                                                confidence));
                            });
                    result.put(customer, own);
                });
        return result;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
