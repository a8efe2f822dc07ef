package io.hilal.core.reco.eval;

import io.hilal.core.reco.CategoryCap;
import io.hilal.core.reco.CustomerSignals;
import io.hilal.core.reco.ItemWeights;
import io.hilal.core.reco.ProductInfo;
import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.RecentSales;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.RowsFilter;
import io.hilal.core.reco.RowsService;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.ease.EaseModel;
import io.hilal.core.reco.graph.Rp3betaModel;
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
 * same run. Discovery compares the served "Because you bought X" row, implicit ALS and EASE with
 * popularity; buy-again compares the served "Time to restock" row with "what this customer bought
 * most often". The two rows come from {@link RowsService}, the code the rows API serves.
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
    public record Evaluation(
            List<Result> results,
            AlsTuning.Choice als,
            EaseTuning.Choice ease,
            EaseTuning.Choice servedEase,
            Rp3betaTuning.Choice rp3beta) {
        public Evaluation(List<Result> results, AlsTuning.Choice als, EaseTuning.Choice ease) {
            this(results, als, ease, null, null);
        }

        /**
         * The personal model the validation split prefers: EASE as it is served when that was
         * scored (as a tenant's training chooses), then RP3beta if strictly better, else the exact
         * EASE, against ALS.
         */
        public String chosenDiscoveryModel() {
            if (servedEase != null) {
                return rp3betaWins(als, servedEase, rp3beta)
                        ? "rp3beta"
                        : servedEaseWins(als, servedEase) ? "ease-served" : "als";
            }
            return ease.best().recall() > bestRecall(als) ? "ease" : "als";
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
        return evaluate(train, test, ks, category, false, List.of());
    }

    /**
     * As above; with {@code served}, EASE is also scored as it is served (its strongest {@value
     * TrainingService#EASE_KEEP_PER_PRODUCT} weights per product, its λ chosen on validation for
     * that pruned model) and the choice between ALS and EASE made as a tenant's training makes it.
     * For each of {@code caps} (a diversity setting to measure), the chosen model's row and the
     * served home page are re-ranked under it, next to the same without a cap.
     */
    public static Evaluation evaluate(
            List<Purchase> train,
            List<Purchase> test,
            int[] ks,
            java.util.function.Function<String, String> category,
            boolean served,
            List<CategoryCap> caps) {
        return evaluate(train, test, ks, category, served, caps, Integer.MAX_VALUE);
    }

    /**
     * As above, scoring EASE only up to {@code easeMaxProducts} products in training: above that
     * its rows are left out (a tenant's training serves it only up to {@link
     * TrainingService#EASE_MAX_PRODUCTS}, and its dense inversion alone needs 8·n² bytes, 0.5 GB at
     * its cap of {@value EaseModel#MAX_ITEMS} products).
     */
    public static Evaluation evaluate(
            List<Purchase> train,
            List<Purchase> test,
            int[] ks,
            java.util.function.Function<String, String> category,
            boolean served,
            List<CategoryCap> caps,
            int easeMaxProducts) {
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
        ValidationSplit split = ValidationSplit.of(train);
        AlsTuning.Choice choice =
                AlsTuning.choose(split, train, maxK, AlsParams.defaults(), AlsTuning.Grid.DEFAULT);
        AlsModel als = ImplicitAls.train(AlsTuning.interactions(train), choice.params());
        int threads = Runtime.getRuntime().availableProcessors();
        boolean easeScored = catalog.size() <= easeMaxProducts;
        EaseTuning.Choice easeChoice =
                easeScored ? EaseTuning.choose(split, maxK, EaseTuning.LAMBDAS, threads) : null;
        Map<String, Set<String>> owners = new HashMap<>();
        history.forEach((customer, products) -> owners.put(customer, products.keySet()));
        EaseModel ease = easeScored ? EaseModel.train(owners, easeChoice.lambda(), threads) : null;
        EaseTuning.Choice servedEaseChoice = null;
        EaseModel servedEase = null;
        if (served) {
            int keep = TrainingService.EASE_KEEP_PER_PRODUCT;
            servedEaseChoice = EaseTuning.choose(split, maxK, EaseTuning.LAMBDAS, threads, keep);
            servedEase = EaseModel.train(owners, servedEaseChoice.lambda(), threads, keep);
        }
        // RP3beta as a tenant's training tries it: its grid on the same validation split, within
        // the same catalog limit.
        Rp3betaTuning.Choice graphChoice =
                served && catalog.size() <= TrainingService.RP3BETA_MAX_PRODUCTS
                        ? Rp3betaTuning.choose(split, maxK, Rp3betaTuning.DEFAULT, threads)
                        : null;
        Rp3betaModel graph =
                graphChoice == null
                        ? null
                        : Rp3betaModel.train(
                                owners,
                                graphChoice.best().alpha(),
                                graphChoice.best().beta(),
                                graphChoice.best().keep(),
                                threads);
        boolean graphServes = rp3betaWins(choice, servedEaseChoice, graphChoice);
        boolean easeServes = !graphServes && servedEaseWins(choice, servedEaseChoice);
        ItemWeights itemToItem =
                graphServes ? graph.weights() : easeServes ? servedEase.weights() : null;
        String chosen = graphServes ? "rp3beta" : easeServes ? "ease-served" : "als";
        // The rows as the rows API builds them, from this model alone (no personal model, no live
        // catalog, no signals newer than training): the restock row's ranking and the "Because you
        // bought" row are scored as served, not re-created here.
        RowsService rowsService = new RowsService();
        Map<String, List<String>> restockRows = new HashMap<>();
        Map<String, List<String>> becauseRows = new HashMap<>();
        Set<String> customers = new HashSet<>(discover.keySet());
        customers.addAll(buyAgain.keySet());
        for (String customer : customers) {
            Rows rows = modelRows(rowsService, model, customer, maxK);
            restockRows.put(customer, row(rows, "time-to-restock"));
            becauseRows.put(customer, row(rows, "because-you-bought"));
        }
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
                                                3 * maxK)));
        List<Result> results = new ArrayList<>();
        for (int k : ks) {
            RankingMetrics popular = new RankingMetrics(k);
            RankingMetrics because = new RankingMetrics(k);
            RankingMetrics factorized = new RankingMetrics(k);
            RankingMetrics shallow = new RankingMetrics(k);
            RankingMetrics shallowServed = new RankingMetrics(k);
            RankingMetrics walked = new RankingMetrics(k);
            EaseModel pruned = servedEase;
            discover.forEach(
                    (customer, relevant) -> {
                        Set<String> owned = history.get(customer).keySet();
                        popular.add(unowned(model.popular(), owned, maxK), relevant);
                        because.add(becauseRows.get(customer), relevant);
                        factorized.add(alsRanked.get(customer), relevant);
                        if (ease != null) {
                            shallow.add(EaseTuning.ranked(ease, owned, maxK), relevant);
                        }
                        if (pruned != null) {
                            shallowServed.add(EaseTuning.ranked(pruned, owned, maxK), relevant);
                        }
                        if (graph != null) {
                            walked.add(Rp3betaTuning.ranked(graph, owned, maxK), relevant);
                        }
                    });
            results.add(result("discover", "popularity", k, popular, catalog));
            results.add(result("discover", "because-you-bought", k, because, catalog));
            results.add(result("discover", "als", k, factorized, catalog));
            if (ease != null) {
                results.add(result("discover", "ease", k, shallow, catalog));
            }
            if (pruned != null) {
                results.add(result("discover", "ease-served", k, shallowServed, catalog));
            }
            if (graph != null) {
                results.add(result("discover", "rp3beta", k, walked, catalog));
            }
            for (CategoryCap cap : caps) {
                RankingMetrics capped = new RankingMetrics(k);
                discover.forEach(
                        (customer, relevant) -> {
                            Set<String> owned = history.get(customer).keySet();
                            List<String> deep =
                                    itemToItem != null
                                            ? ids(itemToItem.recommend(owned, 3 * maxK, owned))
                                            : alsRanked.get(customer);
                            capped.add(
                                    cap.pick(deep, product -> catalog.get(product).category(), k),
                                    relevant);
                        });
                results.add(result("discover", chosen + " + " + describe(cap), k, capped, catalog));
            }

            RankingMetrics mostOften = new RankingMetrics(k);
            RankingMetrics restock = new RankingMetrics(k);
            buyAgain.forEach(
                    (customer, relevant) -> {
                        mostOften.add(mostOften(history.get(customer), maxK), relevant);
                        restock.add(restockRows.get(customer), relevant);
                    });
            results.add(result("buy-again", "most-often-bought", k, mostOften, catalog));
            results.add(result("buy-again", "time-to-restock", k, restock, catalog));
        }
        if (!caps.isEmpty()) {
            results.addAll(
                    pages(
                            model,
                            itemToItem != null ? null : als,
                            itemToItem,
                            discover,
                            caps,
                            catalog));
        }
        return new Evaluation(results, choice, easeChoice, servedEaseChoice, graphChoice);
    }

    /** The home page's size in the diversity figures: the rows API's default, 5 rows of 10. */
    static final int PAGE_ROWS = 5;

    static final int PAGE_PER_ROW = 10;

    /**
     * The served home page (every row, in page order) without a cap and under each cap, scored as
     * one list of up to {@value #PAGE_ROWS} × {@value #PAGE_PER_ROW} products.
     */
    private static List<Result> pages(
            RecommendationModel model,
            AlsModel als,
            ItemWeights itemToItem,
            Map<String, Set<String>> discover,
            List<CategoryCap> caps,
            Map<String, ProductInfo> catalog) {
        int size = PAGE_ROWS * PAGE_PER_ROW;
        List<CategoryCap> settings = new ArrayList<>();
        settings.add(CategoryCap.OFF);
        settings.addAll(caps);
        List<Result> results = new ArrayList<>();
        for (CategoryCap cap : settings) {
            RowsService service = new RowsService(cap);
            RankingMetrics metrics = new RankingMetrics(size);
            discover.forEach(
                    (customer, relevant) -> {
                        List<String> page = new ArrayList<>();
                        for (Rows.Row row :
                                service.rows(
                                                model,
                                                als,
                                                itemToItem,
                                                customer,
                                                RowsService.Context.HOME,
                                                CustomerSignals.NONE,
                                                RowsFilter.NONE,
                                                RecentSales.NONE,
                                                PAGE_ROWS,
                                                PAGE_PER_ROW)
                                        .rows()) {
                            row.items().forEach(item -> page.add(item.productId()));
                        }
                        metrics.add(page, relevant);
                    });
            results.add(
                    result(
                            "home page",
                            cap.isOff() ? "served rows" : "served rows + " + describe(cap),
                            size,
                            metrics,
                            catalog));
        }
        return results;
    }

    private static boolean servedEaseWins(AlsTuning.Choice als, EaseTuning.Choice servedEase) {
        return servedEase != null && servedEase.best().recall() > bestRecall(als);
    }

    /**
     * RP3beta serves when it beats both ALS and the served EASE on validation (ties keep those).
     */
    private static boolean rp3betaWins(
            AlsTuning.Choice als, EaseTuning.Choice servedEase, Rp3betaTuning.Choice rp3beta) {
        if (rp3beta == null) {
            return false;
        }
        double best =
                Math.max(bestRecall(als), servedEase == null ? 0 : servedEase.best().recall());
        return rp3beta.best().recall() > best;
    }

    private static List<String> ids(List<ScoredItem> items) {
        List<String> ids = new ArrayList<>(items.size());
        items.forEach(item -> ids.add(item.productId()));
        return ids;
    }

    static double bestRecall(AlsTuning.Choice als) {
        return als.trials().stream().mapToDouble(AlsTuning.Trial::recall).max().orElse(0);
    }

    static String describe(CategoryCap cap) {
        return String.format(
                java.util.Locale.ROOT,
                "category cap (row %.0f%%, page %.0f%%)",
                100 * cap.rowShare(),
                100 * cap.pageShare());
    }

    /**
     * A customer's home page rows as the rows API builds them from {@code model} alone: no personal
     * model, no live catalog, no signals newer than training; up to {@code perRow} items a row.
     */
    public static Rows modelRows(
            RowsService service, RecommendationModel model, String customer, int perRow) {
        return service.rows(
                model,
                null,
                null,
                customer,
                RowsService.Context.HOME,
                CustomerSignals.NONE,
                RowsFilter.NONE,
                RecentSales.NONE,
                10,
                perRow);
    }

    /** The products of the row {@code id}, in order; empty when there is no such row. */
    public static List<String> row(Rows rows, String id) {
        return rows.rows().stream()
                .filter(row -> row.id().equals(id))
                .findFirst()
                .map(row -> row.items().stream().map(ScoredItem::productId).toList())
                .orElse(List.of());
    }

    private static Result result(
            String task,
            String name,
            int k,
            RankingMetrics metrics,
            Map<String, ProductInfo> catalog) {
        return new Result(
                task,
                name,
                k,
                metrics.recall(),
                metrics.ndcg(),
                metrics.coverage(catalog.size()),
                metrics.users());
    }

    /** The first {@code k} of {@code items} the customer does not own. */
    public static List<String> unowned(List<ScoredItem> items, Set<String> owned, int k) {
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

    /** The customer's products, most often bought first (ties by id): up to {@code k}. */
    public static List<String> mostOften(Map<String, Integer> owned, int k) {
        List<String> ranked = new ArrayList<>(owned.keySet());
        ranked.sort(
                Comparator.comparingInt((String item) -> -owned.get(item))
                        .thenComparing(item -> item));
        return ranked.subList(0, Math.min(k, ranked.size()));
    }
}
