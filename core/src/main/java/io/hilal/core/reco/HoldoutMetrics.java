package io.hilal.core.reco;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.ease.EaseModel;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.OfflineEvaluation;
import io.hilal.core.reco.eval.RankingMetrics;
import io.hilal.core.reco.graph.Rp3betaModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The offline metrics stored with every trained model: the tenant's last 30 days held out, the
 * models this run serves trained on what came before, and each scored per MEASURE.md (full ranking,
 * Recall and NDCG at 10 and 20, coverage) next to its baseline — so a merchant can see that a new
 * version is no worse than the last before trusting it.
 *
 * <p>It scores what is served, not a search: the recommender's two rows and the personal model this
 * run chose, with the settings its validation grids chose ({@link Personal}), each fitted once on
 * the pre-holdout purchases; the grids are not run again (they made this step cost more than the
 * training itself: bench/results/holdout-cost-2026-12-07). At most {@value #MAX_CUSTOMERS} of the
 * customers with purchases in the last 30 days are scored, a seeded sample, and the metrics say how
 * many of how many.
 */
public final class HoldoutMetrics {
    static final Duration HOLDOUT = Duration.ofDays(30);

    /** Fewer customers than this in training make the numbers noise. */
    static final int MIN_CUSTOMERS = 20;

    /**
     * The most customers scored: each personal-model score ranks the whole catalog, and 5,000
     * customers measure Recall@20 to about ±0.005 (as {@link
     * io.hilal.core.reco.eval.GridSample#MAX_VALIDATION_CUSTOMERS}).
     */
    static final int MAX_CUSTOMERS = 5_000;

    /** The sample's seed: the same data always scores the same customers. */
    static final long SEED = 20_261_207L;

    private static final int[] KS = {10, 20};

    private static final ObjectMapper JSON = HilalJson.newMapper();

    private HoldoutMetrics() {}

    /** A personal model's ranking for one customer: up to k products, none they own. */
    @FunctionalInterface
    public interface Ranking {
        List<String> ranked(String customer, Set<String> owned, int k);
    }

    /**
     * The personal model a run chose, as the holdout scores it: its kind, its settings as stored
     * with its version, and its fit with those settings (null when it is not fitted here).
     *
     * @param note why it is not scored, or null when it is
     */
    public record Personal(
            String kind,
            Map<String, Object> settings,
            Function<List<Purchase>, Ranking> fit,
            String note) {
        /** No personal model: the tenant has too few customers to learn tastes from. */
        public static final Personal NONE =
                new Personal(null, Map.of(), null, "no personal model was trained");

        /** Implicit ALS with the setting its grid chose. */
        public static Personal als(AlsParams params) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("factors", params.factors());
            settings.put("iterations", params.iterations());
            settings.put("regularization", params.regularization());
            settings.put("scaledRegularization", params.scaledRegularization());
            settings.put("alpha", params.alpha());
            settings.put("cgSteps", params.cgSteps());
            return new Personal(
                    TrainingService.ALS_KIND,
                    settings,
                    train -> {
                        AlsModel model = ImplicitAls.train(AlsTuning.interactions(train), params);
                        return (customer, owned, k) -> ids(model.recommend(customer, k, owned));
                    },
                    null);
        }

        /** EASE with its chosen λ, pruned to {@code keep} weights a product as it is served. */
        public static Personal ease(double lambda, int keep, int threads) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("lambda", lambda);
            settings.put("keepPerProduct", keep);
            return itemToItem(
                    TrainingService.EASE_KIND,
                    settings,
                    owners -> EaseModel.train(owners, lambda, threads, keep).weights());
        }

        /** RP3beta with its chosen α, β and weights kept a product. */
        public static Personal rp3beta(double alpha, double beta, int keep, int threads) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("alpha", alpha);
            settings.put("beta", beta);
            settings.put("keepPerProduct", keep);
            return itemToItem(
                    TrainingService.RP3BETA_KIND,
                    settings,
                    owners -> Rp3betaModel.train(owners, alpha, beta, keep, threads).weights());
        }

        /**
         * A model this step does not fit, {@code note} saying why (its version says how it did).
         */
        public static Personal notScored(String kind, String note) {
            return new Personal(kind, Map.of(), null, note);
        }

        /** An item-to-item model, trained on each customer's set of products. */
        private static Personal itemToItem(
                String kind,
                Map<String, Object> settings,
                Function<Map<String, Set<String>>, ItemWeights> train) {
            return new Personal(
                    kind,
                    settings,
                    purchases -> {
                        ItemWeights weights =
                                train.apply(TrainingService.productsByCustomer(purchases));
                        return (customer, owned, k) -> ids(weights.recommend(owned, k, owned));
                    },
                    null);
        }

        private Map<String, Object> describe() {
            Map<String, Object> described = new LinkedHashMap<>();
            if (kind != null) {
                described.put("kind", kind);
            }
            if (!settings.isEmpty()) {
                described.put("settings", settings);
            }
            described.put("scored", fit != null);
            if (note != null) {
                described.put("note", note);
            }
            return described;
        }
    }

    public static Map<String, Object> evaluate(
            List<Purchase> purchases, Instant newest, Personal personal) {
        return evaluate(purchases, newest, personal, MAX_CUSTOMERS);
    }

    /** With another cap on the customers scored (tests). */
    static Map<String, Object> evaluate(
            List<Purchase> purchases, Instant newest, Personal personal, int maxCustomers) {
        Instant cutoff = newest.minus(HOLDOUT);
        // Views in columns over the same ids: a list of the lines made one by one would hold each
        // line whole.
        PurchaseLines lines = PurchaseLines.of(purchases);
        PurchaseLines train = lines.filter(purchase -> purchase.at().isBefore(cutoff));
        PurchaseLines test = lines.filter(purchase -> !purchase.at().isBefore(cutoff));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("heldOutFrom", cutoff.toString());
        BitSet trainCustomers = new BitSet();
        BitSet trainProducts = new BitSet();
        Instant trainedTo = Instant.EPOCH;
        for (int line = 0; line < train.size(); line++) {
            trainCustomers.set(train.customerIndex(line));
            trainProducts.set(train.productIndex(line));
            if (train.at(line).isAfter(trainedTo)) {
                trainedTo = train.at(line);
            }
        }
        if (trainCustomers.cardinality() < MIN_CUSTOMERS || test.isEmpty()) {
            result.put("status", "not_enough_data");
            result.put(
                    "reason",
                    "needs "
                            + MIN_CUSTOMERS
                            + " customers before the last 30 days and purchases in them");
            return result;
        }
        // MEASURE.md: customers seen in training, items the models can know.
        BitSet tested = new BitSet();
        for (int line = 0; line < test.size(); line++) {
            if (trainCustomers.get(test.customerIndex(line))
                    && trainProducts.get(test.productIndex(line))) {
                tested.set(test.customerIndex(line));
            }
        }
        BitSet scored = sample(tested, maxCustomers);
        result.put("status", "ok");
        result.put("testCustomers", tested.cardinality());
        result.put("scoredCustomers", scored.cardinality());
        result.put(
                "sample",
                scored.cardinality() == tested.cardinality()
                        ? "all customers who bought in the last 30 days"
                        : String.format(
                                Locale.ROOT,
                                "a seeded sample of %d of the %d customers who bought in the last"
                                        + " 30 days",
                                scored.cardinality(),
                                tested.cardinality()));
        result.put("personalModel", personal.describe());
        // The recommender's present is its newest purchase, as a run's is.
        result.put("scores", scores(train, test, scored, trainProducts, trainedTo, personal));
        return result;
    }

    /** The recommender's rows and the personal model scored on the {@code scored} customers. */
    private static List<Map<String, Object>> scores(
            PurchaseLines train,
            PurchaseLines test,
            BitSet scored,
            BitSet trainProducts,
            Instant trainedTo,
            Personal personal) {
        Map<String, Map<String, Integer>> history = new HashMap<>();
        for (int line = 0; line < train.size(); line++) {
            if (scored.get(train.customerIndex(line))) {
                Purchase purchase = train.get(line);
                history.computeIfAbsent(purchase.customerId(), c -> new HashMap<>())
                        .merge(purchase.productId(), 1, Integer::sum);
            }
        }
        Map<String, Set<String>> discover = new LinkedHashMap<>();
        Map<String, Set<String>> buyAgain = new LinkedHashMap<>();
        for (int line = 0; line < test.size(); line++) {
            if (!scored.get(test.customerIndex(line))
                    || !trainProducts.get(test.productIndex(line))) {
                continue;
            }
            Purchase purchase = test.get(line);
            boolean owned = history.get(purchase.customerId()).containsKey(purchase.productId());
            (owned ? buyAgain : discover)
                    .computeIfAbsent(purchase.customerId(), c -> new HashSet<>())
                    .add(purchase.productId());
        }
        int maxK = KS[KS.length - 1];
        Map<String, ProductInfo> catalog = new HashMap<>();
        for (int product = trainProducts.nextSetBit(0);
                product >= 0;
                product = trainProducts.nextSetBit(product + 1)) {
            String id = train.productId(product);
            catalog.put(id, new ProductInfo(id, null, null, true));
        }
        // The rows as the rows API builds them from this model alone (no personal model, no live
        // catalog, no signals newer than training); the model is dropped before the personal one
        // is fitted, so the two never sit in the heap together.
        Ranked rows = rows(RecommendationModel.train(train, catalog, trainedTo), history, maxK);
        Map<String, List<String>> personalRanked = new HashMap<>();
        if (personal.fit() != null) {
            Ranking ranking = personal.fit().apply(train);
            discover.forEach(
                    (customer, relevant) ->
                            personalRanked.put(
                                    customer,
                                    ranking.ranked(
                                            customer, history.get(customer).keySet(), maxK)));
        }
        List<Map<String, Object>> scores = new ArrayList<>();
        for (int k : KS) {
            RankingMetrics popular = new RankingMetrics(k);
            RankingMetrics because = new RankingMetrics(k);
            RankingMetrics chosen = new RankingMetrics(k);
            discover.forEach(
                    (customer, relevant) -> {
                        popular.add(rows.popular().get(customer), relevant);
                        because.add(rows.because().get(customer), relevant);
                        if (personal.fit() != null) {
                            chosen.add(personalRanked.get(customer), relevant);
                        }
                    });
            scores.add(row("discover", "popularity", k, popular, catalog.size()));
            scores.add(row("discover", "because-you-bought", k, because, catalog.size()));
            if (personal.fit() != null) {
                scores.add(row("discover", personal.kind(), k, chosen, catalog.size()));
            }
            RankingMetrics mostOften = new RankingMetrics(k);
            RankingMetrics restock = new RankingMetrics(k);
            buyAgain.forEach(
                    (customer, relevant) -> {
                        mostOften.add(
                                OfflineEvaluation.mostOften(history.get(customer), maxK), relevant);
                        restock.add(rows.restock().get(customer), relevant);
                    });
            scores.add(row("buy-again", "most-often-bought", k, mostOften, catalog.size()));
            scores.add(row("buy-again", "time-to-restock", k, restock, catalog.size()));
        }
        return scores;
    }

    /** Each scored customer's popularity ranking and two served rows. */
    private record Ranked(
            Map<String, List<String>> popular,
            Map<String, List<String>> because,
            Map<String, List<String>> restock) {}

    private static Ranked rows(
            RecommendationModel model, Map<String, Map<String, Integer>> history, int maxK) {
        RowsService rowsService = new RowsService();
        Ranked ranked = new Ranked(new HashMap<>(), new HashMap<>(), new HashMap<>());
        history.forEach(
                (customer, owned) -> {
                    Rows rows = OfflineEvaluation.modelRows(rowsService, model, customer, maxK);
                    ranked.popular()
                            .put(
                                    customer,
                                    OfflineEvaluation.unowned(
                                            model.popular(), owned.keySet(), maxK));
                    ranked.because()
                            .put(customer, OfflineEvaluation.row(rows, "because-you-bought"));
                    ranked.restock().put(customer, OfflineEvaluation.row(rows, "time-to-restock"));
                });
        return ranked;
    }

    /**
     * Up to {@code max} of the {@code customers} (indices): all of them when they are no more, else
     * a seeded random pick.
     */
    static BitSet sample(BitSet customers, int max) {
        if (customers.cardinality() <= max) {
            return customers;
        }
        List<Integer> all = new ArrayList<>(customers.cardinality());
        customers.stream().forEach(all::add);
        Collections.shuffle(all, new Random(SEED));
        BitSet picked = new BitSet();
        all.subList(0, max).forEach(picked::set);
        return picked;
    }

    public static String json(Map<String, Object> metrics) {
        try {
            return JSON.writeValueAsString(metrics);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> row(
            String task, String model, int k, RankingMetrics metrics, int products) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("task", task);
        row.put("model", model);
        row.put("k", k);
        row.put("recall", round(metrics.recall()));
        row.put("ndcg", round(metrics.ndcg()));
        row.put("coverage", round(metrics.coverage(products)));
        row.put("customers", metrics.users());
        return row;
    }

    private static List<String> ids(List<ScoredItem> items) {
        List<String> ids = new ArrayList<>(items.size());
        items.forEach(item -> ids.add(item.productId()));
        return ids;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
