package io.hilal.bench.spark;

import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.eval.Datasets;
import io.hilal.core.reco.eval.RankingMetrics;
import io.hilal.core.reco.eval.Rp3betaTuning;
import io.hilal.core.reco.eval.ValidationSplit;
import io.hilal.core.reco.graph.Rp3betaModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * RP3beta on the pipeline's validation split and on the test split side by side: the grid's every
 * point is scored on validation, the point validation chooses is then scored on the test (the only
 * test figure a tenant's training could have), and the test figure of every other point is printed
 * after it, marked as not used for choosing, to see how well validation tracks the test. Also the
 * training time and the model's memory at the data's catalog size.
 *
 * <p>Usage: {@code bench/spark-als/run rp3beta --data-dir DIR [--dataset movielens|online-retail]
 * [--folds 1,2,3,4,5] [--every-point false]}.
 */
public final class Rp3betaProbe {
    private static final int K = 20;
    private static final int THREADS = 2;

    private Rp3betaProbe() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(AlsVsSparkBenchmark.option(args, "--data-dir", "../shared/data"));
        String dataset = AlsVsSparkBenchmark.option(args, "--dataset", "movielens");
        String folds = AlsVsSparkBenchmark.option(args, "--folds", "1");
        // Without the test figure of every point: validation's choice and its test figure only.
        everyPoint =
                Boolean.parseBoolean(AlsVsSparkBenchmark.option(args, "--every-point", "true"));
        if (dataset.equals("online-retail")) {
            run(
                    "online-retail",
                    Datasets.onlineRetail(dataDir.resolve("online-retail/online-retail.csv.gz")));
        } else {
            for (String fold : folds.split(",")) {
                run(
                        "movielens u" + fold,
                        Datasets.movieLensFold(
                                dataDir.resolve("movielens-100k"), Integer.parseInt(fold.trim())));
            }
        }
    }

    private static boolean everyPoint = true;

    private static void run(String name, Datasets.Split data) {
        ValidationSplit validation = ValidationSplit.of(data.train());
        long started = System.nanoTime();
        Rp3betaTuning.Choice choice =
                Rp3betaTuning.choose(validation, K, Rp3betaTuning.DEFAULT, THREADS);
        double gridSeconds = (System.nanoTime() - started) / 1e9;
        for (Rp3betaTuning.Trial trial : choice.trials()) {
            System.out.printf(
                    Locale.ROOT,
                    "%s validation alpha=%.2f beta=%.2f keep=%d recall@20=%.4f ndcg@20=%.4f%n",
                    name,
                    trial.alpha(),
                    trial.beta(),
                    trial.keep(),
                    trial.recall(),
                    trial.ndcg());
        }
        System.out.println(name + " " + choice.describe(K));

        Map<String, Set<String>> owned = new HashMap<>();
        for (Purchase p : data.train()) {
            owned.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
        }
        Set<String> catalog = new HashSet<>();
        data.train().forEach(p -> catalog.add(p.productId()));
        Map<String, Set<String>> discover = new LinkedHashMap<>();
        for (Purchase p : data.test()) {
            Set<String> own = owned.get(p.customerId());
            if (own == null || !catalog.contains(p.productId()) || own.contains(p.productId())) {
                continue;
            }
            discover.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
        }
        Rp3betaTuning.Trial best = choice.best();
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();
        started = System.nanoTime();
        Rp3betaModel chosen =
                Rp3betaModel.train(owned, best.alpha(), best.beta(), best.keep(), THREADS);
        double fitSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%s test (validation's choice) alpha=%.2f beta=%.2f keep=%d recall@20=%.4f"
                        + " customers=%d products=%d fit=%.2fs grid(%d)=%.1fs model=%d bytes"
                        + " heap-after-fit~%d MB%n",
                name,
                best.alpha(),
                best.beta(),
                best.keep(),
                recall(chosen, owned, discover),
                discover.size(),
                chosen.itemCount(),
                fitSeconds,
                choice.trials().size(),
                gridSeconds,
                chosen.memoryBytes(),
                Math.max(0, runtime.totalMemory() - runtime.freeMemory() - before) >> 20);
        if (!everyPoint) {
            return;
        }
        for (Rp3betaTuning.Trial trial : choice.trials()) {
            Rp3betaModel model =
                    Rp3betaModel.train(owned, trial.alpha(), trial.beta(), trial.keep(), THREADS);
            System.out.printf(
                    Locale.ROOT,
                    "%s test (not used for choosing) alpha=%.2f beta=%.2f keep=%d recall@20=%.4f%n",
                    name,
                    trial.alpha(),
                    trial.beta(),
                    trial.keep(),
                    recall(model, owned, discover));
        }
    }

    private static double recall(
            Rp3betaModel model, Map<String, Set<String>> owned, Map<String, Set<String>> relevant) {
        RankingMetrics metrics = new RankingMetrics(K);
        relevant.forEach(
                (customer, items) ->
                        metrics.add(Rp3betaTuning.ranked(model, owned.get(customer), K), items));
        return metrics.recall();
    }
}
