package io.hilal.bench.spark;

import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.ease.EaseModel;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.Datasets;
import io.hilal.core.reco.eval.EaseTuning;
import io.hilal.core.reco.eval.RankingMetrics;
import io.hilal.core.reco.eval.ValidationSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Two candidate improvements of the default discovery pipeline, probed before anything is built
 * into it, every choice made on the validation split of the training data (never the test split):
 *
 * <ul>
 *   <li><b>blend</b>: ALS and EASE (as served, 200 weights per product) each tuned as the pipeline
 *       tunes them, then their scores standardized per customer (z-scores over the catalog) and
 *       mixed, {@code w·ALS + (1−w)·EASE}, w from {0, 0.25, 0.5, 0.75, 1} chosen on validation;
 *   <li><b>rank 128</b>: ALS at 128 factors with a finer lambda grid (Rendle et al. 2021: larger
 *       rank, well-searched regularization), flat and count-scaled, alpha {1, 3}, 10/15 sweeps.
 * </ul>
 *
 * <p>Usage: {@code bench/spark-als/run blend --data-dir DIR [--dataset movielens|online-retail]
 * [--folds 1,2,3,4,5] [--rank128 true]}.
 */
public final class BlendProbe {
    private static final int K = 20;
    private static final double[] WEIGHTS = {0, 0.25, 0.5, 0.75, 1};
    private static final int KEEP_PER_ITEM = 200;
    private static final int THREADS = 2;

    private BlendProbe() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(AlsVsSparkBenchmark.option(args, "--data-dir", "../shared/data"));
        String dataset = AlsVsSparkBenchmark.option(args, "--dataset", "movielens");
        boolean rank128 =
                Boolean.parseBoolean(AlsVsSparkBenchmark.option(args, "--rank128", "false"));
        List<String> names = new ArrayList<>();
        List<Datasets.Split> splits = new ArrayList<>();
        if (dataset.equals("online-retail")) {
            names.add("Online Retail");
            splits.add(
                    Datasets.onlineRetail(dataDir.resolve("online-retail/online-retail.csv.gz")));
        } else {
            Path dir = dataDir.resolve("movielens-100k");
            if (!Files.exists(dir.resolve("u.data.gz"))) {
                System.out.println("skipped: MovieLens 100K not found in " + dir);
                return;
            }
            for (String fold : AlsVsSparkBenchmark.option(args, "--folds", "1").split(",")) {
                names.add("u" + fold);
                splits.add(Datasets.movieLensFold(dir, Integer.parseInt(fold.trim())));
            }
        }
        for (int s = 0; s < splits.size(); s++) {
            probe(names.get(s), splits.get(s), rank128);
        }
    }

    private static void probe(String name, Datasets.Split data, boolean rank128) {
        List<Purchase> train = data.train();
        AlsParams base = AlsParams.defaults().withThreads(THREADS);
        AlsTuning.Choice als = AlsTuning.choose(train, K, base, AlsTuning.Grid.DEFAULT);
        System.out.println(name + ": " + als.describe(K));
        ValidationSplit split = ValidationSplit.of(train);
        EaseTuning.Choice ease =
                EaseTuning.choose(split, K, EaseTuning.LAMBDAS, THREADS, KEEP_PER_ITEM);
        System.out.println(name + ": " + ease.describe(K));

        // The blend weight, on validation: both models trained on the fitting part.
        AlsModel alsFit = ImplicitAls.train(AlsTuning.interactions(split.fit()), als.params());
        EaseModel easeFit =
                EaseModel.train(
                        split.fitProductsByCustomer(), ease.lambda(), THREADS, KEEP_PER_ITEM);
        double[] validation = blendRecalls(alsFit, easeFit, split.owned(), split.held());
        int chosen = 0;
        for (int w = 0; w < WEIGHTS.length; w++) {
            System.out.printf(
                    Locale.ROOT,
                    "%s: validation Recall@%d, %.2f·ALS + %.2f·EASE: %.4f%n",
                    name,
                    K,
                    WEIGHTS[w],
                    1 - WEIGHTS[w],
                    validation[w]);
            if (validation[w] > validation[chosen]) {
                chosen = w;
            }
        }

        // Test: both retrained on all the training data.
        Map<String, Set<String>> owned = new HashMap<>();
        Set<String> known = new HashSet<>();
        for (Purchase p : train) {
            owned.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
            known.add(p.productId());
        }
        Map<String, Set<String>> relevant = new HashMap<>();
        for (Purchase p : data.test()) {
            Set<String> own = owned.get(p.customerId());
            if (own != null && known.contains(p.productId()) && !own.contains(p.productId())) {
                relevant.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
            }
        }
        AlsModel alsAll = ImplicitAls.train(AlsTuning.interactions(train), als.params());
        Map<String, Set<String>> products = new HashMap<>(owned);
        EaseModel easeAll = EaseModel.train(products, ease.lambda(), THREADS, KEEP_PER_ITEM);
        double[] test = blendRecalls(alsAll, easeAll, owned, relevant);
        boolean alsWins = als.bestRecall() >= ease.best().recall();
        System.out.printf(
                Locale.ROOT,
                "%s: test Recall@%d: ALS %.4f, EASE served %.4f, today's choice (%s) %.4f,"
                        + " blend w=%.2f chosen on validation %.4f (every w: %s)%n",
                name,
                K,
                test[WEIGHTS.length - 1],
                test[0],
                alsWins ? "ALS" : "EASE",
                alsWins ? test[WEIGHTS.length - 1] : test[0],
                WEIGHTS[chosen],
                test[chosen],
                Arrays.toString(test));

        if (rank128) {
            AlsTuning.Grid fine =
                    new AlsTuning.Grid(
                            new int[] {128},
                            new double[] {5, 10, 20, 30, 50, 100, 200},
                            new double[] {1, 3},
                            new int[] {10, 15},
                            new boolean[] {false, true});
            AlsTuning.Choice big = AlsTuning.choose(train, K, base, fine);
            System.out.println(name + ": rank 128 " + big.describe(K));
            AlsModel bigAll = ImplicitAls.train(AlsTuning.interactions(train), big.params());
            double[] bigTest = blendRecalls(bigAll, easeAll, owned, relevant);
            System.out.printf(
                    Locale.ROOT,
                    "%s: test Recall@%d: ALS rank 128 (validation %.4f vs rank-64 grid's %.4f)"
                            + " %.4f%n",
                    name,
                    K,
                    big.bestRecall(),
                    als.bestRecall(),
                    bigTest[WEIGHTS.length - 1]);
        }
    }

    /** Recall@K of each blend weight, over the customers in {@code relevant}. */
    private static double[] blendRecalls(
            AlsModel als,
            EaseModel ease,
            Map<String, Set<String>> owned,
            Map<String, Set<String>> relevant) {
        List<String> items = als.itemIds();
        RankingMetrics[] metrics = new RankingMetrics[WEIGHTS.length];
        for (int w = 0; w < WEIGHTS.length; w++) {
            metrics[w] = new RankingMetrics(K);
        }
        relevant.forEach(
                (customer, wanted) -> {
                    Set<String> own = owned.getOrDefault(customer, Set.of());
                    double[] a = standardized(als, ease, customer, own, items, true);
                    double[] e = standardized(als, ease, customer, own, items, false);
                    for (int w = 0; w < WEIGHTS.length; w++) {
                        double[] mixed = new double[items.size()];
                        for (int i = 0; i < mixed.length; i++) {
                            mixed[i] = WEIGHTS[w] * a[i] + (1 - WEIGHTS[w]) * e[i];
                        }
                        metrics[w].add(top(mixed, items, own), wanted);
                    }
                });
        double[] recalls = new double[WEIGHTS.length];
        for (int w = 0; w < WEIGHTS.length; w++) {
            recalls[w] = metrics[w].recall();
        }
        return recalls;
    }

    /** One model's scores over {@code items} (ALS's order), as z-scores for this customer. */
    private static double[] standardized(
            AlsModel als,
            EaseModel ease,
            String customer,
            Set<String> own,
            List<String> items,
            boolean fromAls) {
        List<ScoredItem> all =
                fromAls
                        ? (als.hasUser(customer)
                                ? als.recommend(customer, items.size(), Set.of())
                                : List.of())
                        : ease.recommend(own, items.size(), Set.of());
        Map<String, Double> byItem = new HashMap<>();
        for (ScoredItem item : all) {
            byItem.put(item.productId(), item.score());
        }
        double[] scores = new double[items.size()];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = byItem.getOrDefault(items.get(i), 0.0);
            sum += scores[i];
        }
        double mean = sum / scores.length;
        double squares = 0;
        for (double score : scores) {
            squares += (score - mean) * (score - mean);
        }
        double sd = Math.sqrt(squares / scores.length);
        for (int i = 0; i < scores.length; i++) {
            scores[i] = sd > 0 ? (scores[i] - mean) / sd : 0;
        }
        return scores;
    }

    private static List<String> top(double[] scores, List<String> items, Set<String> own) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(scores[y], scores[x]));
        List<String> ranked = new ArrayList<>(K);
        for (int i = 0; i < order.length && ranked.size() < K; i++) {
            if (!own.contains(items.get(order[i]))) {
                ranked.add(items.get(order[i]));
            }
        }
        return ranked;
    }
}
