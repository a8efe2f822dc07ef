package io.hilal.core.reco;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each product's nearest neighbours over baskets: cosine co(i, j) / sqrt(n(i) n(j)), where n counts
 * the baskets holding a product. Cosine damps the pull of best sellers (which co-occur with
 * everything) without the noise log-likelihood ratio tests add at the small counts most merchants
 * have; neighbours need at least two shared baskets.
 */
final class NeighbourTrainer {
    private NeighbourTrainer() {}

    static Map<String, List<ScoredItem>> neighbours(
            Iterable<Set<String>> baskets, Map<String, ProductInfo> catalog) {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Map<String, Integer>> pairs = new HashMap<>();
        for (Set<String> items : baskets) {
            if (items.size() > 100) {
                continue; // a wholesale basket says little about what goes together
            }
            for (String item : items) {
                counts.merge(item, 1, Integer::sum);
                for (String other : items) {
                    if (!other.equals(item)) {
                        pairs.computeIfAbsent(item, k -> new HashMap<>())
                                .merge(other, 1, Integer::sum);
                    }
                }
            }
        }
        Map<String, List<ScoredItem>> result = new HashMap<>();
        pairs.forEach(
                (item, others) -> {
                    List<ScoredItem> scored = new ArrayList<>();
                    others.forEach(
                            (other, together) -> {
                                if (together >= 2 && catalog.get(other).recommendable()) {
                                    double cosine =
                                            together
                                                    / Math.sqrt(
                                                            (double) counts.get(item)
                                                                    * counts.get(other));
                                    scored.add(new ScoredItem(other, cosine, null));
                                }
                            });
                    scored.sort(
                            Comparator.comparingDouble(ScoredItem::score)
                                    .reversed()
                                    .thenComparing(ScoredItem::productId));
                    if (!scored.isEmpty()) {
                        result.put(
                                item,
                                List.copyOf(
                                        scored.subList(
                                                0,
                                                Math.min(
                                                        RecommendationModel.NEIGHBOURS,
                                                        scored.size()))));
                    }
                });
        return result;
    }
}
