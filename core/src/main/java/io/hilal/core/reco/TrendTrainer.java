package io.hilal.core.reco;

import io.hilal.core.reco.RecommendationModel.Trend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds the products selling clearly faster last week than they usually do. */
final class TrendTrainer {
    private TrendTrainer() {}

    /**
     * Products whose orders last week clearly exceed their usual weekly rate, scored like a z-value
     * ((last week − usual) / sqrt(usual + 1)) so a jump from 40 to 60 orders does not lose to one
     * from 0 to 3. At least three orders last week and half again the usual rate.
     */
    static List<Trend> trends(
            Map<String, Set<String>> recent,
            Map<String, Set<String>> baseline,
            Map<String, ProductInfo> catalog) {
        List<Trend> trends = new ArrayList<>();
        recent.forEach(
                (product, orders) -> {
                    int lastWeek = orders.size();
                    double usual =
                            baseline.getOrDefault(product, Set.of()).size()
                                    / (double) RecommendationModel.TREND_BASELINE_WEEKS;
                    if (catalog.get(product).recommendable()
                            && lastWeek >= 3
                            && lastWeek >= 1.5 * usual) {
                        trends.add(
                                new Trend(
                                        product,
                                        lastWeek,
                                        usual,
                                        (lastWeek - usual) / Math.sqrt(usual + 1)));
                    }
                });
        trends.sort(
                Comparator.comparingDouble(Trend::score)
                        .reversed()
                        .thenComparing(Trend::productId));
        return List.copyOf(trends.subList(0, Math.min(100, trends.size())));
    }
}
