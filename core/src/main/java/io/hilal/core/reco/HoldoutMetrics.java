package io.hilal.core.reco;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.eval.OfflineEvaluation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline metrics stored with every trained model: the tenant's last 30 days held out, models
 * trained on what came before, and each scored per MEASURE.md (full ranking, Recall and NDCG at 10
 * and 20, coverage) next to its baseline — so a merchant can see that a new version is no worse
 * than the last before trusting it. EASE is scored up to {@link TrainingService#EASE_MAX_PRODUCTS}
 * products, the catalogs it can be served for.
 */
public final class HoldoutMetrics {
    static final Duration HOLDOUT = Duration.ofDays(30);

    /** Fewer customers than this in training make the numbers noise. */
    static final int MIN_CUSTOMERS = 20;

    private static final ObjectMapper JSON = HilalJson.newMapper();

    private HoldoutMetrics() {}

    public static Map<String, Object> evaluate(List<Purchase> purchases, Instant newest) {
        Instant cutoff = newest.minus(HOLDOUT);
        // Split in columns: a list of the lines made one by one would hold each line whole.
        PurchaseLines lines = PurchaseLines.of(purchases);
        List<Purchase> train = lines.filter(purchase -> purchase.at().isBefore(cutoff));
        List<Purchase> test = lines.filter(purchase -> !purchase.at().isBefore(cutoff));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("heldOutFrom", cutoff.toString());
        long customers = train.stream().map(Purchase::customerId).distinct().count();
        if (customers < MIN_CUSTOMERS || test.isEmpty()) {
            result.put("status", "not_enough_data");
            result.put(
                    "reason",
                    "needs "
                            + MIN_CUSTOMERS
                            + " customers before the last 30 days and purchases in them");
            return result;
        }
        result.put("status", "ok");
        List<Map<String, Object>> scores = new ArrayList<>();
        // EASE only where a tenant's training would serve it: above that its dense inversion
        // (0.5 GB at 8,000 products) set the worker's heap for a large tenant (SCALING.md).
        for (OfflineEvaluation.Result score :
                OfflineEvaluation.evaluate(
                                train,
                                test,
                                new int[] {10, 20},
                                product -> null,
                                false,
                                List.of(),
                                TrainingService.EASE_MAX_PRODUCTS)
                        .results()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("task", score.task());
            row.put("model", score.model());
            row.put("k", score.k());
            row.put("recall", round(score.recall()));
            row.put("ndcg", round(score.ndcg()));
            row.put("coverage", round(score.coverage()));
            row.put("customers", score.users());
            scores.add(row);
        }
        result.put("scores", scores);
        return result;
    }

    public static String json(Map<String, Object> metrics) {
        try {
            return JSON.writeValueAsString(metrics);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
