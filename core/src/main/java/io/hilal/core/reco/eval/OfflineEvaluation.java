package io.hilal.core.reco.eval;

import io.hilal.core.reco.ProductInfo;
import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.ease.EaseModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Offline evaluation per MEASURE.md: full ranking over the whole catalog (no sampled negatives),
 * items from training masked on the discovery task, and every model next to its baseline in the
 * same run. Discovery compares item-to-item ("often bought together", summed over the customer's
 * training items), implicit ALS and EASE with popularity; buy-again compares repeat-purchase timing
 * with "what this customer bought most often".
 */
public final class OfflineEvaluation {
    /** One model's scores on one task. */
    public record Result(
            String task,
            String model,
            int k,
            double recall,
            double ndcg,
            double coverage,
            int users) {}

    /**
     * The results, how ALS's and EASE's settings were chosen, and which of the two discovery models
     * the validation split prefers (what a tenant's training would serve).
     */
    public record Evaluation(List<Result> results, AlsTuning.Choice als, EaseTuning.Choice ease) {
        public String chosenDiscoveryModel() {
            double alsRecall =
                    als.trials().stream().mapToDouble(AlsTuning.Trial::recall).max().orElse(0);
            return ease.best().recall() > alsRecall ? "ease" : "als";
        }
    }

    private OfflineEvaluation() {}

    public static List<Result> run(List<Purchase> train, List<Purchase> test, int[] ks) {
        return evaluate(train, test, ks).results();
    }

    /**
     * Runs every model; ALS's settings come from {@link AlsTuning} on the training data alone
     * (validated at the largest K), then ALS is retrained on all of the training data.
     */
    public static Evaluation evaluate(List<Purchase> train, List<Purchase> test, int[] ks) {
        return evaluate(train, test, ks, product -> null);
    }

    /**
     * As {@link #evaluate(List, List, int[])}, with each product's category (or null) for the
     * models that use categories: repeat timing's category prior.
     */
    public static Evaluation evaluate(
            List<Purchase> train,
            List<Purchase> test,
            int[] ks,
            java.util.function.Function<String, String> category) {
        Map<String, ProductInfo> catalog = new HashMap<>();
        for (Purchase purchase : train) {
            catalog.computeIfAbsent(
                    purchase.productId(),
                    product -> new ProductInfo(product, null, category.apply(product), true));
        }
        Instant cutoff =
                train.stream()
                        .map(Purchase::at)
                        .max(Comparator.naturalOrder())
                        .orElse(Instant.EPOCH);
        RecommendationModel model = RecommendationModel.train(train, catalog, cutoff);

        Map<String, Map<String, Integer>> history = new HashMap<>();
        for (Purchase purchase : train) {
            history.computeIfAbsent(purchase.customerId(), c -> new HashMap<>())
                    .merge(purchase.productId(), 1, Integer::sum);
        }
        Map<String, Set<String>> discover = new LinkedHashMap<>();
        Map<String, Set<String>> buyAgain = new LinkedHashMap<>();
        for (Purchase purchase : test) {
            Map<String, Integer> owned = history.get(purchase.customerId());
            if (owned == null || !catalog.containsKey(purchase.productId())) {
                continue; // MEASURE.md: customers seen in training; items the models can know
            }
            (owned.containsKey(purchase.productId()) ? buyAgain : discover)
                    .computeIfAbsent(purchase.customerId(), c -> new HashSet<>())
                    .add(purchase.productId());
        }
        int maxK = java.util.Arrays.stream(ks).max().orElse(20);
        AlsTuning.Choice choice = AlsTuning.choose(train, maxK, AlsParams.defaults());
        AlsModel als = ImplicitAls.train(AlsTuning.interactions(train), choice.params());
        int threads = Runtime.getRuntime().availableProcessors();
        EaseTuning.Choice easeChoice =
                EaseTuning.choose(ValidationSplit.of(train), maxK, EaseTuning.LAMBDAS, threads);
        Map<String, Set<String>> owners = new HashMap<>();
        history.forEach((customer, products) -> owners.put(customer, products.keySet()));
        EaseModel ease = EaseModel.train(owners, easeChoice.lambda(), threads);
        Map<String, List<String>> alsRanked = new HashMap<>();
        discover.keySet()
                .forEach(
                        customer ->
                                alsRanked.put(
                                        customer,
                                        AlsTuning.ranked(
                                                als,
                                                customer,
                                                history.get(customer).keySet(),
                                                maxK)));
        List<Result> results = new ArrayList<>();
        for (int k : ks) {
            RankingMetrics popular = new RankingMetrics(k);
            RankingMetrics itemToItem = new RankingMetrics(k);
            RankingMetrics factorized = new RankingMetrics(k);
            RankingMetrics shallow = new RankingMetrics(k);
            discover.forEach(
                    (customer, relevant) -> {
                        Set<String> owned = history.get(customer).keySet();
                        popular.add(unowned(model.popular(), owned, maxK), relevant);
                        itemToItem.add(itemToItem(model, owned, maxK), relevant);
                        factorized.add(alsRanked.get(customer), relevant);
                        shallow.add(EaseTuning.ranked(ease, owned, maxK), relevant);
                    });
            results.add(
                    new Result(
                            "discover",
                            "popularity",
                            k,
                            popular.recall(),
                            popular.ndcg(),
                            popular.coverage(catalog.size()),
                            popular.users()));
            results.add(
                    new Result(
                            "discover",
                            "item-to-item",
                            k,
                            itemToItem.recall(),
                            itemToItem.ndcg(),
                            itemToItem.coverage(catalog.size()),
                            itemToItem.users()));
            results.add(
                    new Result(
                            "discover",
                            "als",
                            k,
                            factorized.recall(),
                            factorized.ndcg(),
                            factorized.coverage(catalog.size()),
                            factorized.users()));
            results.add(
                    new Result(
                            "discover",
                            "ease",
                            k,
                            shallow.recall(),
                            shallow.ndcg(),
                            shallow.coverage(catalog.size()),
                            shallow.users()));

            RankingMetrics mostOften = new RankingMetrics(k);
            RankingMetrics timing = new RankingMetrics(k);
            buyAgain.forEach(
                    (customer, relevant) -> {
                        mostOften.add(mostOften(history.get(customer), maxK), relevant);
                        timing.add(byTiming(model, customer, cutoff, maxK), relevant);
                    });
            results.add(
                    new Result(
                            "buy-again",
                            "most-often-bought",
                            k,
                            mostOften.recall(),
                            mostOften.ndcg(),
                            mostOften.coverage(catalog.size()),
                            mostOften.users()));
            results.add(
                    new Result(
                            "buy-again",
                            "repeat-timing",
                            k,
                            timing.recall(),
                            timing.ndcg(),
                            timing.coverage(catalog.size()),
                            timing.users()));
        }
        return new Evaluation(results, choice, easeChoice);
    }

    private static List<String> unowned(List<ScoredItem> items, Set<String> owned, int k) {
        List<String> ranked = new ArrayList<>();
        for (ScoredItem item : items) {
            if (ranked.size() == k) {
                break;
            }
            if (!owned.contains(item.productId())) {
                ranked.add(item.productId());
            }
        }
        return ranked;
    }

    /** Neighbour scores summed over everything the customer bought, popularity breaking ties. */
    private static List<String> itemToItem(RecommendationModel model, Set<String> owned, int k) {
        Map<String, Double> scores = new HashMap<>();
        for (String item : owned) {
            for (ScoredItem neighbour : model.boughtTogether(item)) {
                if (!owned.contains(neighbour.productId())) {
                    scores.merge(neighbour.productId(), neighbour.score(), Double::sum);
                }
            }
        }
        List<String> ranked = new ArrayList<>(scores.keySet());
        ranked.sort(
                Comparator.comparingDouble((String item) -> -scores.get(item))
                        .thenComparing(item -> item));
        List<String> top = new ArrayList<>(ranked.subList(0, Math.min(k, ranked.size())));
        for (String fallback : unowned(model.popular(), owned, k)) {
            if (top.size() == k) {
                break;
            }
            if (!top.contains(fallback)) {
                top.add(fallback);
            }
        }
        return top;
    }

    private static List<String> mostOften(Map<String, Integer> owned, int k) {
        List<String> ranked = new ArrayList<>(owned.keySet());
        ranked.sort(
                Comparator.comparingInt((String item) -> -owned.get(item))
                        .thenComparing(item -> item));
        return ranked.subList(0, Math.min(k, ranked.size()));
    }

    /** Owned items by how likely they are due soon after the cutoff. */
    private static List<String> byTiming(
            RecommendationModel model, String customer, Instant cutoff, int k) {
        Map<String, Double> scores = new HashMap<>();
        model.timings(customer)
                .forEach(
                        (product, timing) -> {
                            double daysOff =
                                    Math.abs(
                                            java.time.Duration.between(timing.due(), cutoff)
                                                            .toHours()
                                                    / 24.0);
                            double gap = Double.isNaN(timing.gapDays()) ? 365 : timing.gapDays();
                            // Due soon, relative to how often it is bought, and sure of it: ranked
                            // first.
                            scores.put(
                                    product,
                                    (0.05 + timing.confidence())
                                            * timing.purchases()
                                            / (1 + daysOff / Math.max(7, gap)));
                        });
        List<String> ranked = new ArrayList<>(scores.keySet());
        ranked.sort(
                Comparator.comparingDouble((String item) -> -scores.get(item))
                        .thenComparing(item -> item));
        return ranked.subList(0, Math.min(k, ranked.size()));
    }
}
