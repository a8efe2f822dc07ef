package io.hilal.bench.spark;

import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.ease.EaseModel;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.Datasets;
import io.hilal.core.reco.eval.RankingMetrics;
import io.hilal.core.reco.eval.ValidationSplit;
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
 * EDLAE and DLAE (Steck 2020, "Autoencoders that don't overfit towards the identity") beside EASE
 * as served, on the pipeline's validation split. The grid was fixed in writing before the first run
 * (bench/results/edlae-2026-12-07/README.md). Every validation point is printed; then the candidate
 * validation chose is scored on the test, and after it the test figure of each family's validation
 * best and (with {@code --every-point true}) of every point, marked as not used for choosing. With
 * {@code --als true} the pipeline's ALS grid runs too, for its validation figure.
 *
 * <p>Usage: {@code bench/spark-als/run edlae --data-dir DIR [--dataset movielens|online-retail]
 * [--folds 1,2,3,4,5] [--als false] [--every-point false]}.
 */
public final class EdlaeProbe {
    private static final int K = 20;
    private static final double[] EASE_LAMBDAS = {50, 150, 500, 1500};
    private static final double[] LAMBDAS = {5, 50, 150, 500};
    private static final double[] DROPOUTS = {0.1, 0.25, 0.33, 0.5};
    private static final int KEEP = TrainingService.EASE_KEEP_PER_PRODUCT;

    private record Trial(EaseModel.Settings settings, double recall, double ndcg) {}

    private EdlaeProbe() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(AlsVsSparkBenchmark.option(args, "--data-dir", "../shared/data"));
        String dataset = AlsVsSparkBenchmark.option(args, "--dataset", "movielens");
        boolean als = Boolean.parseBoolean(AlsVsSparkBenchmark.option(args, "--als", "false"));
        boolean everyPoint =
                Boolean.parseBoolean(AlsVsSparkBenchmark.option(args, "--every-point", "false"));
        if (dataset.equals("online-retail")) {
            run(
                    "online-retail",
                    Datasets.onlineRetail(dataDir.resolve("online-retail/online-retail.csv.gz")),
                    als,
                    everyPoint);
        } else {
            for (String fold :
                    AlsVsSparkBenchmark.option(args, "--folds", "1,2,3,4,5").split(",")) {
                run(
                        "movielens u" + fold.trim(),
                        Datasets.movieLensFold(
                                dataDir.resolve("movielens-100k"), Integer.parseInt(fold.trim())),
                        als,
                        everyPoint);
            }
        }
    }

    private static void run(String name, Datasets.Split data, boolean als, boolean everyPoint) {
        int threads = Runtime.getRuntime().availableProcessors();
        ValidationSplit split = ValidationSplit.of(data.train());
        Map<String, Set<String>> fit = split.fitProductsByCustomer();
        long started = System.nanoTime();
        // Order matters for ties: the simpler model first (EASE, then EDLAE, then DLAE).
        List<Trial> ease = new ArrayList<>();
        List<Trial> edlae = new ArrayList<>();
        List<Trial> dlae = new ArrayList<>();
        for (double lambda : EASE_LAMBDAS) {
            ease.add(validate(split, EaseModel.train(fit, lambda, threads, KEEP), name));
        }
        for (double lambda : LAMBDAS) {
            for (double dropout : DROPOUTS) {
                List<EaseModel> both =
                        EaseModel.trainEach(
                                fit,
                                lambda,
                                dropout,
                                List.of(EaseModel.Form.EASE, EaseModel.Form.DLAE),
                                threads,
                                KEEP);
                edlae.add(validate(split, both.get(0), name));
                dlae.add(validate(split, both.get(1), name));
            }
        }
        double gridSeconds = (System.nanoTime() - started) / 1e9;
        List<Trial> all = new ArrayList<>(ease);
        all.addAll(edlae);
        all.addAll(dlae);
        Trial chosen = best(all);
        System.out.printf(
                Locale.ROOT,
                "%s validation best: ease %s; edlae %s; dlae %s; chosen %s (grid %.0f s, %d"
                        + " validation customers)%n",
                name,
                line(best(ease)),
                line(best(edlae)),
                line(best(dlae)),
                chosen.settings().describe(),
                gridSeconds,
                split.held().size());
        if (als) {
            AlsTuning.Choice choice =
                    AlsTuning.choose(
                            split,
                            data.train(),
                            K,
                            AlsParams.defaults().withThreads(threads),
                            AlsTuning.Grid.DEFAULT);
            System.out.printf(
                    Locale.ROOT,
                    "%s validation als %.4f (%s)%n",
                    name,
                    choice.bestRecall(),
                    choice.describe(K));
        }

        Map<String, Set<String>> owned = new HashMap<>();
        Set<String> catalog = new HashSet<>();
        for (Purchase p : data.train()) {
            owned.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
            catalog.add(p.productId());
        }
        Map<String, Set<String>> discover = new LinkedHashMap<>();
        for (Purchase p : data.test()) {
            Set<String> own = owned.get(p.customerId());
            if (own != null && catalog.contains(p.productId()) && !own.contains(p.productId())) {
                discover.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%s test (validation's choice) %s recall@20=%.4f customers=%d%n",
                name,
                chosen.settings().describe(),
                test(owned, discover, chosen.settings(), threads),
                discover.size());
        List<Trial> shown = everyPoint ? all : List.of(best(ease), best(edlae), best(dlae));
        for (Trial trial : shown) {
            System.out.printf(
                    Locale.ROOT,
                    "%s test (not used for choosing) %s validation %.4f recall@20=%.4f%n",
                    name,
                    trial.settings().describe(),
                    trial.recall(),
                    test(owned, discover, trial.settings(), threads));
        }
    }

    private static Trial validate(ValidationSplit split, EaseModel model, String name) {
        RankingMetrics metrics = new RankingMetrics(K);
        split.held()
                .forEach(
                        (customer, items) ->
                                metrics.add(ranked(model, split.owned().get(customer)), items));
        Trial trial = new Trial(model.settings(), metrics.recall(), metrics.ndcg());
        System.out.printf(Locale.ROOT, "%s validation %s%n", name, line(trial));
        return trial;
    }

    private static double test(
            Map<String, Set<String>> owned,
            Map<String, Set<String>> relevant,
            EaseModel.Settings settings,
            int threads) {
        EaseModel model = EaseModel.train(owned, settings, threads, KEEP);
        RankingMetrics metrics = new RankingMetrics(K);
        relevant.forEach(
                (customer, items) -> metrics.add(ranked(model, owned.get(customer)), items));
        return metrics.recall();
    }

    private static List<String> ranked(EaseModel model, Set<String> owned) {
        List<String> ids = new ArrayList<>(K);
        for (ScoredItem item : model.recommend(owned, K, owned)) {
            ids.add(item.productId());
        }
        return ids;
    }

    /** The first of the highest: ties go to the earlier, simpler candidate. */
    private static Trial best(List<Trial> trials) {
        Trial best = trials.get(0);
        for (Trial trial : trials) {
            if (trial.recall() > best.recall()) {
                best = trial;
            }
        }
        return best;
    }

    private static String line(Trial trial) {
        return String.format(
                Locale.ROOT,
                "%s recall@20=%.4f ndcg@20=%.4f",
                trial.settings().describe(),
                trial.recall(),
                trial.ndcg());
    }
}
