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
import io.hilal.core.reco.eval.Rp3betaTuning;
import io.hilal.core.reco.eval.ValidationSplit;
import io.hilal.core.reco.graph.Rp3betaModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A rank-normalized blend of the two best personal models, every choice on the validation split:
 * ALS (at the setting the pipeline's validation chose, given as {@code --als}), EASE as served and
 * RP3beta (each tuned on validation here) are ranked by validation Recall@20; the two best are
 * mixed per customer by their ranks, {@code w·(1 − rank₁/N) + (1−w)·(1 − rank₂/N)} over each one's
 * top N = 100 (so no model's score scale matters), w from {0, 0.2, …, 1} chosen on validation. The
 * test split then scores each model alone and the blend validation chose; the test figure of every
 * other w is printed after it, marked as not used for choosing.
 *
 * <p>Usage: {@code bench/spark-als/run rank-blend --data-dir DIR [--dataset
 * movielens|online-retail] [--fold 1] --als 64:30:scaled:1:5 [--ease-grid plain|dropout]} (factors,
 * lambda, flat|scaled, alpha, sweeps; {@code dropout}: EASE's arm tuned over the tenant's grid with
 * EDLAE and DLAE).
 */
public final class RankBlendProbe {
    private static final int K = 20;
    private static final int DEPTH = 100;
    private static final int THREADS = 2;
    private static final double[] WEIGHTS = {0, 0.2, 0.4, 0.5, 0.6, 0.8, 1};

    private RankBlendProbe() {}

    /** A model's ranking for one customer, owned products left out. */
    @FunctionalInterface
    private interface Ranker {
        List<String> ranked(String customer, Set<String> owned, int depth);
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(AlsVsSparkBenchmark.option(args, "--data-dir", "../shared/data"));
        String dataset = AlsVsSparkBenchmark.option(args, "--dataset", "movielens");
        String fold = AlsVsSparkBenchmark.option(args, "--fold", "1");
        String spec = AlsVsSparkBenchmark.option(args, "--als", "64:30:flat:1:15");
        String name = dataset.equals("online-retail") ? "online-retail" : "movielens u" + fold;
        Datasets.Split data =
                dataset.equals("online-retail")
                        ? Datasets.onlineRetail(
                                dataDir.resolve("online-retail/online-retail.csv.gz"))
                        : Datasets.movieLensFold(
                                dataDir.resolve("movielens-100k"), Integer.parseInt(fold));
        List<Purchase> train = data.train();
        ValidationSplit split = ValidationSplit.of(train);
        AlsParams als = alsParams(train, spec);
        boolean dropout =
                AlsVsSparkBenchmark.option(args, "--ease-grid", "plain").equals("dropout");
        EaseTuning.Choice ease =
                dropout
                        ? EaseTuning.choose(split, K, EaseTuning.WITH_DROPOUT, THREADS, 200)
                        : EaseTuning.choose(split, K, EaseTuning.LAMBDAS, THREADS, 200);
        Rp3betaTuning.Choice rp3 = Rp3betaTuning.choose(split, K, Rp3betaTuning.DEFAULT, THREADS);
        System.out.println(name + " " + ease.describe(K));
        System.out.println(name + " " + rp3.describe(K));
        Rp3betaTuning.Trial rp3Best = rp3.best();

        // Validation: every model fit on the older part.
        Map<String, Ranker> fitted =
                models(split.fit(), split.fitProductsByCustomer(), als, ease.settings(), rp3Best);
        Map<String, Double> alone = new LinkedHashMap<>();
        fitted.forEach(
                (model, ranker) -> alone.put(model, recall(ranker, split.owned(), split.held())));
        List<String> best =
                alone.entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                        .limit(2)
                        .map(Map.Entry::getKey)
                        .toList();
        System.out.printf(Locale.ROOT, "%s validation alone: %s; best two %s%n", name, alone, best);
        double[] validation = new double[WEIGHTS.length];
        int chosen = 0;
        for (int w = 0; w < WEIGHTS.length; w++) {
            validation[w] =
                    recall(
                            blend(fitted.get(best.get(0)), fitted.get(best.get(1)), WEIGHTS[w]),
                            split.owned(),
                            split.held());
            System.out.printf(
                    Locale.ROOT,
                    "%s validation %.1f·%s + %.1f·%s: %.4f%n",
                    name,
                    WEIGHTS[w],
                    best.get(0),
                    1 - WEIGHTS[w],
                    best.get(1),
                    validation[w]);
            if (validation[w] > validation[chosen]) {
                chosen = w;
            }
        }

        // Test: every model fit on all the training data.
        Map<String, Set<String>> owned = new HashMap<>();
        for (Purchase p : train) {
            owned.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
        }
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        for (Purchase p : data.test()) {
            Set<String> own = owned.get(p.customerId());
            if (own != null && !own.contains(p.productId()) && knows(owned, p.productId())) {
                relevant.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
            }
        }
        Map<String, Ranker> all = models(train, owned, als, ease.settings(), rp3Best);
        Map<String, Double> testAlone = new LinkedHashMap<>();
        all.forEach((model, ranker) -> testAlone.put(model, recall(ranker, owned, relevant)));
        System.out.printf(Locale.ROOT, "%s test alone: %s%n", name, testAlone);
        System.out.printf(
                Locale.ROOT,
                "%s test, validation's choice w=%.1f (%s + %s): %.4f%n",
                name,
                WEIGHTS[chosen],
                best.get(0),
                best.get(1),
                recall(
                        blend(all.get(best.get(0)), all.get(best.get(1)), WEIGHTS[chosen]),
                        owned,
                        relevant));
        for (double w : WEIGHTS) {
            System.out.printf(
                    Locale.ROOT,
                    "%s test (not used for choosing) w=%.1f: %.4f%n",
                    name,
                    w,
                    recall(blend(all.get(best.get(0)), all.get(best.get(1)), w), owned, relevant));
        }
    }

    private static Set<String> catalog;

    private static boolean knows(Map<String, Set<String>> owned, String product) {
        if (catalog == null) {
            catalog = new HashSet<>();
            owned.values().forEach(catalog::addAll);
        }
        return catalog.contains(product);
    }

    private static Map<String, Ranker> models(
            List<Purchase> purchases,
            Map<String, Set<String>> products,
            AlsParams als,
            EaseModel.Settings settings,
            Rp3betaTuning.Trial rp3) {
        AlsModel factors = ImplicitAls.train(AlsTuning.interactions(purchases), als);
        EaseModel ease = EaseModel.train(products, settings, THREADS, 200);
        Rp3betaModel graph =
                Rp3betaModel.train(products, rp3.alpha(), rp3.beta(), rp3.keep(), THREADS);
        Map<String, Ranker> models = new LinkedHashMap<>();
        models.put("als", (customer, own, depth) -> ids(factors.recommend(customer, depth, own)));
        models.put("ease", (customer, own, depth) -> ids(ease.recommend(own, depth, own)));
        models.put("rp3beta", (customer, own, depth) -> ids(graph.recommend(own, depth, own)));
        return models;
    }

    private static List<String> ids(List<ScoredItem> items) {
        List<String> ids = new ArrayList<>(items.size());
        items.forEach(item -> ids.add(item.productId()));
        return ids;
    }

    private static Ranker blend(Ranker first, Ranker second, double w) {
        return (customer, own, depth) -> {
            Map<String, Double> score = new HashMap<>();
            List<String> a = first.ranked(customer, own, DEPTH);
            List<String> b = second.ranked(customer, own, DEPTH);
            for (int r = 0; r < a.size(); r++) {
                score.merge(a.get(r), w * (1 - (double) r / DEPTH), Double::sum);
            }
            for (int r = 0; r < b.size(); r++) {
                score.merge(b.get(r), (1 - w) * (1 - (double) r / DEPTH), Double::sum);
            }
            return score.entrySet().stream()
                    .sorted(
                            Map.Entry.<String, Double>comparingByValue()
                                    .reversed()
                                    .thenComparing(Map.Entry.comparingByKey()))
                    .limit(depth)
                    .map(Map.Entry::getKey)
                    .toList();
        };
    }

    private static double recall(
            Ranker ranker, Map<String, Set<String>> owned, Map<String, Set<String>> relevant) {
        RankingMetrics metrics = new RankingMetrics(K);
        relevant.forEach(
                (customer, items) ->
                        metrics.add(
                                ranker.ranked(customer, owned.getOrDefault(customer, Set.of()), K),
                                items));
        return metrics.recall();
    }

    private static AlsParams alsParams(List<Purchase> train, String spec) {
        String[] p = spec.split(":");
        boolean scaled = p[2].equals("scaled");
        double lambda = Double.parseDouble(p[1]);
        double meanCount = AlsTuning.meanCount(AlsTuning.interactions(train));
        return AlsParams.defaults()
                .withThreads(THREADS)
                .withFactors(Integer.parseInt(p[0]))
                .withRegularization(scaled ? lambda / meanCount : lambda)
                .withScaledRegularization(scaled)
                .withAlpha(Double.parseDouble(p[3]))
                .withIterations(Integer.parseInt(p[4]));
    }
}
