package io.hilal.core.reco;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Ranks showable products by a popularity score (time-decayed purchases), overall or within one
 * category, as fractions of the top product's score.
 */
final class PopularityTrainer {
    private PopularityTrainer() {}

    /** The highest score {@link #rank} divides by: 1 when nothing is ranked. */
    static double top(
            Map<String, Double> scores, Map<String, ProductInfo> catalog, String category) {
        double top = 0;
        for (Map.Entry<String, Double> entry : scores.entrySet()) {
            ProductInfo product = catalog.get(entry.getKey());
            if (product.recommendable()
                    && (category == null || category.equals(product.category()))) {
                top = Math.max(top, entry.getValue());
            }
        }
        return top == 0 ? 1 : top;
    }

    static List<ScoredItem> rank(
            Map<String, Double> scores, Map<String, ProductInfo> catalog, String category) {
        List<ScoredItem> items = new ArrayList<>();
        for (Map.Entry<String, Double> entry : scores.entrySet()) {
            ProductInfo product = catalog.get(entry.getKey());
            if (product.recommendable()
                    && (category == null || category.equals(product.category()))) {
                items.add(new ScoredItem(entry.getKey(), entry.getValue(), null));
            }
        }
        items.sort(
                Comparator.comparingDouble(ScoredItem::score)
                        .reversed()
                        .thenComparing(ScoredItem::productId));
        double top = items.isEmpty() ? 1 : items.get(0).score();
        List<ScoredItem> normalized = new ArrayList<>();
        for (ScoredItem item : items.subList(0, Math.min(200, items.size()))) {
            normalized.add(new ScoredItem(item.productId(), item.score() / top, null));
        }
        return List.copyOf(normalized);
    }
}
