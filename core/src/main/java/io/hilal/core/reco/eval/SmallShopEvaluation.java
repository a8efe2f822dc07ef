package io.hilal.core.reco.eval;

import io.hilal.core.reco.ModelPriors;
import io.hilal.core.reco.ProductInfo;
import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.RowsService;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small shop simulated on Online Retail ({@code evaluate --dataset online-retail --task
 * small-shop}): {@link #SIZES} training customers drawn at random ({@link #REPETITIONS} fixed seeds
 * per size), trained on their purchases before the split and scored on theirs after it, over the
 * shop's whole catalog (every product sold before the split: a small shop still lists its
 * products). Each shop is trained three ways: without priors, with its own shop-wide prior (pooled
 * across its own categories), and with that plus priors pooled from the other customers of Online
 * Retail (disjoint from the shop: the honest stand-in for other tenants, as one contributor).
 * Discovery: the popularity ranking, the served "Because you bought" row, the personal model a
 * tenant's training would serve (ALS on the per-tenant grid; priors do not touch it) and the served
 * discovery (that model when its validation beat popularity, else popularity). Buy-again: the
 * served "Time to restock" row and most-often-bought.
 */
public final class SmallShopEvaluation {
    static final int[] SIZES = {300, 1000};
    static final int REPETITIONS = 5;
    static final int K = 20;

    /** The three ways a shop is trained. */
    static final List<String> PRIORS = List.of("none", "own categories", "+ other customers");

    /** One figure of one shop, one way of training. */
    public record Figure(
            int size, String task, String model, String priors, double recall, int users) {}

    private SmallShopEvaluation() {}

    public static List<Figure> onlineRetail(Path file) throws java.io.IOException {
        Datasets.Split split = Datasets.onlineRetail(file);
        Map<String, ProductInfo> catalog = new HashMap<>();
        for (Purchase purchase : split.train()) {
            catalog.computeIfAbsent(
                    purchase.productId(),
                    product ->
                            new ProductInfo(
                                    product, null, Datasets.onlineRetailFamily(product), true));
        }
        Instant cutoff =
                split.train().stream()
                        .map(Purchase::at)
                        .max(Comparator.naturalOrder())
                        .orElseThrow();
        List<String> customers =
                new ArrayList<>(
                        new TreeSet<>(split.train().stream().map(Purchase::customerId).toList()));
        List<Figure> figures = new ArrayList<>();
        for (int size : SIZES) {
            for (int seed = 1; seed <= REPETITIONS; seed++) {
                List<String> shuffled = new ArrayList<>(customers);
                Collections.shuffle(shuffled, new Random(seed));
                Set<String> shop = new HashSet<>(shuffled.subList(0, size));
                figures.addAll(shop(split, shop, catalog, cutoff, size));
                System.out.printf(Locale.ROOT, "shop of %d, seed %d done%n", size, seed);
            }
        }
        return figures;
    }

    private static List<Figure> shop(
            Datasets.Split split,
            Set<String> shop,
            Map<String, ProductInfo> catalog,
            Instant cutoff,
            int size) {
        List<Purchase> train = new ArrayList<>();
        List<Purchase> others = new ArrayList<>();
        for (Purchase purchase : split.train()) {
            (shop.contains(purchase.customerId()) ? train : others).add(purchase);
        }
        Map<String, Map<String, Integer>> history = new HashMap<>();
        for (Purchase purchase : train) {
            history.computeIfAbsent(purchase.customerId(), c -> new HashMap<>())
                    .merge(purchase.productId(), 1, Integer::sum);
        }
        // Each (customer, product) pair's first purchase after the split, for timing errors.
        Map<String, Instant> firstAfter = new HashMap<>();
        Map<String, Set<String>> discover = new LinkedHashMap<>();
        Map<String, Set<String>> buyAgain = new LinkedHashMap<>();
        for (Purchase purchase : split.test()) {
            Map<String, Integer> owned = history.get(purchase.customerId());
            if (owned == null || !catalog.containsKey(purchase.productId())) {
                continue;
            }
            (owned.containsKey(purchase.productId()) ? buyAgain : discover)
                    .computeIfAbsent(purchase.customerId(), c -> new HashSet<>())
                    .add(purchase.productId());
            firstAfter.merge(
                    purchase.customerId() + "\n" + purchase.productId(),
                    purchase.at(),
                    (a, b) -> a.isBefore(b) ? a : b);
        }

        // The personal model as a tenant's training chooses it (ALS on the per-tenant grid; EASE,
        // which a catalog this size could also get, is left out to keep the run short).
        AlsTuning.Choice choice =
                AlsTuning.choose(train, K, AlsParams.defaults(), TrainingService.ALS_GRID);
        AlsModel als = ImplicitAls.train(AlsTuning.interactions(train), choice.params());
        boolean personalServes = choice.beatsPopularity();

        ModelPriors own = ModelPriors.measure(train, catalog, cutoff);
        ModelPriors pooled =
                ModelPriors.pool(List.of(ModelPriors.measure(others, catalog, cutoff)));
        List<ModelPriors> ways =
                List.of(
                        ModelPriors.NONE,
                        ModelPriors.NONE.withShop(own.shop()),
                        pooled.withShop(own.shop()));
        List<Figure> figures = new ArrayList<>();
        RowsService rowsService = new RowsService();
        for (int way = 0; way < ways.size(); way++) {
            RecommendationModel model =
                    RecommendationModel.train(train, List.of(), catalog, cutoff, ways.get(way));
            RankingMetrics popular = new RankingMetrics(K);
            RankingMetrics because = new RankingMetrics(K);
            RankingMetrics personal = new RankingMetrics(K);
            RankingMetrics served = new RankingMetrics(K);
            RankingMetrics restock = new RankingMetrics(K);
            RankingMetrics mostOften = new RankingMetrics(K);
            int restockShown = 0;
            List<Double> timingErrors = new ArrayList<>();
            Set<String> scored = new HashSet<>(discover.keySet());
            scored.addAll(buyAgain.keySet());
            for (String customer : scored) {
                Rows rows = OfflineEvaluation.modelRows(rowsService, model, customer, K);
                Set<String> owned = history.get(customer).keySet();
                Set<String> relevant = discover.get(customer);
                if (relevant != null) {
                    List<String> popularity = unowned(model.popular(), owned);
                    List<String> factors = AlsTuning.ranked(als, customer, owned, K);
                    popular.add(popularity, relevant);
                    because.add(row(rows, "because-you-bought"), relevant);
                    personal.add(factors, relevant);
                    served.add(personalServes ? factors : popularity, relevant);
                }
                Set<String> again = buyAgain.get(customer);
                if (again != null) {
                    List<String> due = row(rows, "time-to-restock");
                    restock.add(due, again);
                    mostOften.add(mostOften(history.get(customer)), again);
                    restockShown += due.isEmpty() ? 0 : 1;
                    for (String product : again) {
                        RecommendationModel.Timing timing = model.timings(customer).get(product);
                        if (timing != null && !Double.isNaN(timing.gapDays())) {
                            Instant actual = firstAfter.get(customer + "\n" + product);
                            timingErrors.add(
                                    Math.abs(
                                            java.time.Duration.between(timing.due(), actual)
                                                            .toHours()
                                                    / 24.0));
                        }
                    }
                }
            }
            String priors = PRIORS.get(way);
            figures.add(figure(size, "discover", "popularity", priors, popular));
            figures.add(figure(size, "discover", "because-you-bought (row)", priors, because));
            figures.add(figure(size, "discover", "als (personal)", priors, personal));
            figures.add(
                    figure(
                            size,
                            "discover",
                            "served (als if it beat popularity, else popularity)",
                            priors,
                            served));
            figures.add(figure(size, "buy-again", "most-often-bought", priors, mostOften));
            figures.add(figure(size, "buy-again", "time-to-restock (row)", priors, restock));
            figures.add(
                    new Figure(
                            size,
                            "buy-again",
                            "share shown a restock row",
                            priors,
                            restock.users() == 0 ? 0 : (double) restockShown / restock.users(),
                            restock.users()));
            timingErrors.sort(null);
            figures.add(
                    new Figure(
                            size,
                            "buy-again",
                            "restock timing: median days between due and the next purchase",
                            priors,
                            timingErrors.isEmpty()
                                    ? Double.NaN
                                    : timingErrors.get(timingErrors.size() / 2),
                            timingErrors.size()));
        }
        return figures;
    }

    /** Mean, standard deviation, min and max over the repetitions of each figure. */
    public static void print(List<Figure> figures) {
        Map<String, List<Figure>> byKey = new LinkedHashMap<>();
        for (Figure figure : figures) {
            byKey.computeIfAbsent(
                            figure.size()
                                    + "|"
                                    + figure.task()
                                    + "|"
                                    + figure.model()
                                    + "|"
                                    + figure.priors(),
                            key -> new ArrayList<>())
                    .add(figure);
        }
        System.out.printf(
                Locale.ROOT,
                "| customers | task | model | priors | Recall@%d mean | sd | min | max | scored"
                        + " customers (mean) |%n",
                K);
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        byKey.values()
                .forEach(
                        runs -> {
                            Figure first = runs.get(0);
                            double mean =
                                    runs.stream().mapToDouble(Figure::recall).average().orElse(0);
                            double variance =
                                    runs.stream()
                                                    .mapToDouble(
                                                            f -> Math.pow(f.recall() - mean, 2))
                                                    .sum()
                                            / Math.max(1, runs.size() - 1);
                            System.out.printf(
                                    Locale.ROOT,
                                    "| %d | %s | %s | %s | %.4f | %.4f | %.4f | %.4f | %.0f |%n",
                                    first.size(),
                                    first.task(),
                                    first.model(),
                                    first.priors(),
                                    mean,
                                    Math.sqrt(variance),
                                    runs.stream().mapToDouble(Figure::recall).min().orElse(0),
                                    runs.stream().mapToDouble(Figure::recall).max().orElse(0),
                                    runs.stream().mapToInt(Figure::users).average().orElse(0));
                        });
    }

    /**
     * Each figure with priors against the same shop without (paired by seed): the mean difference
     * and its min and max over the repetitions.
     */
    public static void printDifferences(List<Figure> figures) {
        Map<String, Double> none = new HashMap<>();
        List<Figure> withPriors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Figure figure : figures) {
            String key = figure.size() + "|" + figure.model() + "|" + figure.priors();
            int repetition = seen.merge(key, 1, Integer::sum);
            if (figure.priors().equals(PRIORS.get(0))) {
                none.put(figure.size() + "|" + figure.model() + "|" + repetition, figure.recall());
            } else {
                withPriors.add(figure);
            }
        }
        Map<String, List<Double>> differences = new LinkedHashMap<>();
        seen.clear();
        for (Figure figure : withPriors) {
            String key = figure.size() + "|" + figure.model() + "|" + figure.priors();
            int repetition = seen.merge(key, 1, Integer::sum);
            Double base = none.get(figure.size() + "|" + figure.model() + "|" + repetition);
            differences
                    .computeIfAbsent(key.replace("|", " | "), k -> new ArrayList<>())
                    .add(figure.recall() - base);
        }
        System.out.println(
                "| customers | model | priors | change against none, mean | min | max |");
        System.out.println("|---|---|---|---|---|---|");
        differences.forEach(
                (key, values) ->
                        System.out.printf(
                                Locale.ROOT,
                                "| %s | %+.4f | %+.4f | %+.4f |%n",
                                key,
                                values.stream()
                                        .mapToDouble(Double::doubleValue)
                                        .average()
                                        .orElse(0),
                                values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                                values.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
    }

    private static Figure figure(
            int size, String task, String model, String priors, RankingMetrics metrics) {
        return new Figure(size, task, model, priors, metrics.recall(), metrics.users());
    }

    private static List<String> row(Rows rows, String id) {
        return rows.rows().stream()
                .filter(row -> row.id().equals(id))
                .findFirst()
                .map(row -> row.items().stream().map(ScoredItem::productId).toList())
                .orElse(List.of());
    }

    private static List<String> unowned(List<ScoredItem> items, Set<String> owned) {
        List<String> ranked = new ArrayList<>();
        for (ScoredItem item : items) {
            if (ranked.size() == K) {
                break;
            }
            if (!owned.contains(item.productId())) {
                ranked.add(item.productId());
            }
        }
        return ranked;
    }

    private static List<String> mostOften(Map<String, Integer> owned) {
        List<String> ranked = new ArrayList<>(owned.keySet());
        ranked.sort(
                Comparator.comparingInt((String item) -> -owned.get(item))
                        .thenComparing(item -> item));
        return ranked.subList(0, Math.min(K, ranked.size()));
    }
}
