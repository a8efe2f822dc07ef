package io.hilal.bench.spark;

import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.Datasets;
import io.hilal.core.reco.eval.EaseTuning;
import io.hilal.core.reco.eval.RankingMetrics;
import io.hilal.core.reco.eval.ValidationSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Rendle et al.'s iALS beside the confidence ALS and served EASE the pipeline already tries, all
 * tuned on the pipeline's validation split (each customer's newest 20% of training purchases).
 * Every validation trial is printed; the test split is scored only afterwards, for the setting each
 * family's validation chose, so no test figure steers a choice.
 *
 * <p>Usage: {@code bench/spark-als/run ials --data-dir DIR [--dataset movielens|online-retail]
 * [--folds 1,2,3,4,5]}.
 */
public final class IalsProbe {
    private static final int K = 20;

    private IalsProbe() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(AlsVsSparkBenchmark.option(args, "--data-dir", "../shared/data"));
        String dataset = AlsVsSparkBenchmark.option(args, "--dataset", "movielens");
        List<String> names = new ArrayList<>();
        List<Datasets.Split> splits = new ArrayList<>();
        if (dataset.equals("online-retail")) {
            names.add("Online Retail");
            splits.add(
                    Datasets.onlineRetail(dataDir.resolve("online-retail/online-retail.csv.gz")));
        } else {
            for (String fold :
                    AlsVsSparkBenchmark.option(args, "--folds", "1,2,3,4,5").split(",")) {
                names.add("MovieLens u" + fold.trim());
                splits.add(
                        Datasets.movieLensFold(
                                dataDir.resolve("movielens-100k"), Integer.parseInt(fold.trim())));
            }
        }
        int threads = Runtime.getRuntime().availableProcessors();
        AlsParams base = AlsParams.defaults().withThreads(threads);
        AlsTuning.Grid grid = AlsTuning.Grid.DEFAULT.withIals(AlsTuning.IalsGrid.DEFAULT);
        for (int d = 0; d < splits.size(); d++) {
            String name = names.get(d);
            List<Purchase> train = splits.get(d).train();
            ValidationSplit split = ValidationSplit.of(train);
            long started = System.nanoTime();
            AlsTuning.Choice choice = AlsTuning.choose(split, train, K, base, grid);
            double seconds = (System.nanoTime() - started) / 1e9;
            for (AlsTuning.Trial trial : choice.trials()) {
                System.out.printf(
                        Locale.ROOT,
                        "%s validation: %s Recall@%d=%.4f%n",
                        name,
                        describe(trial.params()),
                        K,
                        trial.recall());
            }
            double ease =
                    EaseTuning.choose(
                                    split,
                                    K,
                                    EaseTuning.LAMBDAS,
                                    threads,
                                    io.hilal.core.reco.TrainingService.EASE_KEEP_PER_PRODUCT)
                            .best()
                            .recall();
            AlsTuning.Trial confidence = best(choice, t -> !t.params().frequencyScaled());
            AlsTuning.Trial ials = best(choice, t -> t.params().frequencyScaled());
            System.out.printf(
                    Locale.ROOT,
                    "%s: grid took %.0f s; validation best confidence ALS %.4f (%s), iALS %.4f"
                            + " (%s), served EASE %.4f%n",
                    name,
                    seconds,
                    confidence.recall(),
                    describe(confidence.params()),
                    ials.recall(),
                    describe(ials.params()),
                    ease);
            for (AlsTuning.Trial trial : List.of(confidence, ials)) {
                System.out.printf(
                        Locale.ROOT,
                        "%s test: %s Recall@%d=%.4f%n",
                        name,
                        describe(trial.params()),
                        K,
                        testRecall(train, splits.get(d).test(), trial.params()));
            }
        }
    }

    private static AlsTuning.Trial best(AlsTuning.Choice choice, Predicate<AlsTuning.Trial> which) {
        return choice.trials().stream()
                .filter(which)
                .max(Comparator.comparingDouble(AlsTuning.Trial::recall))
                .orElseThrow();
    }

    static String describe(AlsParams p) {
        return p.frequencyScaled()
                ? String.format(
                        Locale.ROOT,
                        "iALS k=%d lambda=%s alpha0=%s sweeps=%d",
                        p.factors(),
                        p.regularization(),
                        p.unobservedWeight(),
                        p.iterations())
                : String.format(
                        Locale.ROOT,
                        "ALS k=%d lambda=%.4g%s alpha=%s sweeps=%d",
                        p.factors(),
                        p.regularization(),
                        p.scaledRegularization() ? "·n" : "",
                        p.alpha(),
                        p.iterations());
    }

    /** Discovery Recall@K on the test split of a model trained on all of {@code train}. */
    static double testRecall(List<Purchase> train, List<Purchase> test, AlsParams params) {
        AlsModel model = ImplicitAls.train(AlsTuning.interactions(train), params);
        Map<String, Set<String>> owned = new HashMap<>();
        Set<String> items = new HashSet<>();
        for (Purchase p : train) {
            owned.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
            items.add(p.productId());
        }
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        for (Purchase p : test) {
            Set<String> own = owned.get(p.customerId());
            if (own != null && items.contains(p.productId()) && !own.contains(p.productId())) {
                relevant.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
            }
        }
        RankingMetrics metrics = new RankingMetrics(K);
        relevant.forEach(
                (customer, found) -> {
                    List<String> ranked = new ArrayList<>();
                    for (ScoredItem item : model.recommend(customer, K, owned.get(customer))) {
                        ranked.add(item.productId());
                    }
                    metrics.add(ranked, found);
                });
        return metrics.recall();
    }
}
