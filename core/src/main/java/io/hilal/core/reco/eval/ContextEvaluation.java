package io.hilal.core.reco.eval;

import io.hilal.core.reco.Purchase;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether the time of day an order is placed should re-weight what a page shows, on Online Retail
 * (the one data set here with a time of day; none has a device): the popularity row is scored for
 * each order at its own local time, mixing the shop-wide best sellers with those of the order's
 * part of the day by a weight w. The weight is chosen on a validation split (the last month of
 * training, fitted on the months before); the test split is scored at every w, the chosen one
 * marked. Each order is one list: its products new to the customer are the relevant ones; customers
 * seen before the list's data only.
 */
public final class ContextEvaluation {
    /** Weights of the part of the day's best sellers tried on validation. */
    static final double[] WEIGHTS = {0, 0.25, 0.5, 0.75, 1};

    /** The shop's clock: the parts of the day are in local time. */
    static final ZoneId LONDON = ZoneId.of("Europe/London");

    /** As the trained popularity counts: a purchase counts half as much every 30 days. */
    static final Duration HALF_LIFE = Duration.ofDays(30);

    /** One weight's figures on one split. */
    public record Result(
            String split, double weight, int k, double recall, double ndcg, int orders) {}

    private ContextEvaluation() {}

    /** The part of the day of a local hour: before 10, 10-12, 12-14, from 14 on. */
    static int partOfDay(Instant at) {
        int hour = at.atZone(LONDON).getHour();
        return hour < 10 ? 0 : hour < 12 ? 1 : hour < 14 ? 2 : 3;
    }

    public static List<Result> evaluate(Datasets.Split split, int k) {
        Instant validationFrom = Datasets.ONLINE_RETAIL_SPLIT.minus(Duration.ofDays(31));
        List<Purchase> fit = new ArrayList<>();
        List<Purchase> validation = new ArrayList<>();
        for (Purchase purchase : split.train()) {
            (purchase.at().isBefore(validationFrom) ? fit : validation).add(purchase);
        }
        List<Result> results = new ArrayList<>();
        double best = 0;
        double bestRecall = -1;
        for (double weight : WEIGHTS) {
            Result result = score("validation", fit, validation, weight, k);
            results.add(result);
            if (result.recall() > bestRecall) {
                bestRecall = result.recall();
                best = weight;
            }
        }
        // Every weight on the test split too, to show what the choice gave up or avoided; only the
        // validation rows chose.
        for (double weight : WEIGHTS) {
            results.add(
                    score(
                            weight == best ? "test (chosen)" : "test",
                            split.train(),
                            split.test(),
                            weight,
                            k));
        }
        return results;
    }

    private static Result score(
            String name, List<Purchase> train, List<Purchase> test, double weight, int k) {
        Instant end = train.stream().map(Purchase::at).max(Comparator.naturalOrder()).orElseThrow();
        Map<String, Double> all = new HashMap<>();
        List<Map<String, Double>> parts = new ArrayList<>();
        for (int part = 0; part < 4; part++) {
            parts.add(new HashMap<>());
        }
        Map<String, Set<String>> owned = new HashMap<>();
        for (Purchase purchase : train) {
            double decay =
                    Math.pow(
                            0.5,
                            Duration.between(purchase.at(), end).toMinutes()
                                    / (double) HALF_LIFE.toMinutes());
            all.merge(purchase.productId(), decay, Double::sum);
            parts.get(partOfDay(purchase.at())).merge(purchase.productId(), decay, Double::sum);
            owned.computeIfAbsent(purchase.customerId(), c -> new HashSet<>())
                    .add(purchase.productId());
        }
        List<List<String>> ranked = new ArrayList<>();
        for (int part = 0; part < 4; part++) {
            ranked.add(mix(all, parts.get(part), weight));
        }
        Map<String, Set<String>> orders = new LinkedHashMap<>();
        Map<String, Purchase> first = new HashMap<>();
        for (Purchase purchase : test) {
            Set<String> had = owned.get(purchase.customerId());
            if (had == null
                    || had.contains(purchase.productId())
                    || !all.containsKey(purchase.productId())) {
                continue;
            }
            String order = purchase.customerId() + "/" + purchase.orderId();
            orders.computeIfAbsent(order, o -> new HashSet<>()).add(purchase.productId());
            first.putIfAbsent(order, purchase);
        }
        RankingMetrics metrics = new RankingMetrics(k);
        orders.forEach(
                (order, relevant) -> {
                    Purchase purchase = first.get(order);
                    Set<String> had = owned.get(purchase.customerId());
                    List<String> list = new ArrayList<>(k);
                    for (String product : ranked.get(partOfDay(purchase.at()))) {
                        if (list.size() == k) {
                            break;
                        }
                        if (!had.contains(product)) {
                            list.add(product);
                        }
                    }
                    metrics.add(list, relevant);
                });
        return new Result(name, weight, k, metrics.recall(), metrics.ndcg(), metrics.users());
    }

    /** Products by (1 − w) · shop-wide share of the top seller + w · the same within the part. */
    private static List<String> mix(Map<String, Double> all, Map<String, Double> part, double w) {
        double allTop = all.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double partTop = part.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        Map<String, Double> score = new HashMap<>();
        all.forEach(
                (product, count) ->
                        score.put(
                                product,
                                (1 - w) * count / allTop
                                        + w * part.getOrDefault(product, 0.0) / partTop));
        List<String> products = new ArrayList<>(score.keySet());
        products.sort(
                Comparator.comparingDouble((String product) -> -score.get(product))
                        .thenComparing(product -> product));
        return products;
    }

    public static void print(List<Result> results) {
        System.out.println(
                "| split | weight of the part of the day | K | Recall@K | NDCG@K | orders |");
        System.out.println("|---|---|---|---|---|---|");
        for (Result result : results) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.2f | %d | %.4f | %.4f | %d |%n",
                    result.split(),
                    result.weight(),
                    result.k(),
                    result.recall(),
                    result.ndcg(),
                    result.orders());
        }
    }
}
