package io.hilal.core.reco.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code evaluate --dataset online-retail|movielens [--data-dir DIR] [--k 20]} or {@code evaluate
 * --train TRAIN --test TEST [--k 20]}, or {@code evaluate --dataset online-retail --task
 * cold-start} for products new after training ({@link ColdStartEvaluation}), or {@code --task
 * send-hour} for each customer's best send hour ({@link SendHourEvaluation}), or {@code --task
 * small-shop} for shops of a few hundred customers with and without priors ({@link
 * SmallShopEvaluation}): prints Recall@K, NDCG@K and coverage for every model and its baseline,
 * last line {@code best <model> recall@K=<x> ndcg@K=<y>}.
 */
public final class EvaluateMain {
    /**
     * The category caps whose effect the evaluation reports (the rows' default among them), each
     * next to the same ranking without a cap.
     */
    static final List<io.hilal.core.reco.CategoryCap> DIVERSITY_SETTINGS =
            List.of(
                    new io.hilal.core.reco.CategoryCap(0.5, 0.3),
                    new io.hilal.core.reco.CategoryCap(0.3, 0.2));

    /** The values {@code --task} takes, each an evaluation of its own (EVALUATION.md). */
    public static final List<String> TASKS =
            List.of("cold-start", "send-hour", "small-shop", "context");

    private EvaluateMain() {}

    public static void main(String[] args) throws Exception {
        String dataset = option(args, "--dataset", null);
        String dataDirOption = option(args, "--data-dir", null);
        int k = Integer.parseInt(option(args, "--k", "20"));
        int[] ks = k == 20 ? new int[] {10, 20} : new int[] {k};
        List<OfflineEvaluation.Result> results = new ArrayList<>();
        long started = System.nanoTime();
        if (option(args, "--train", null) != null) {
            results.addAll(
                    evaluate(
                            Datasets.userPairs(Path.of(option(args, "--train", null))),
                            Datasets.userPairs(Path.of(option(args, "--test", null))),
                            ks,
                            k,
                            product -> null,
                            List.of()));
        } else if ("online-retail".equals(dataset)) {
            // The demo's copy is bundled; --data-dir points at another copy laid out as
            // DIR/online-retail/online-retail.csv.gz.
            Path file =
                    dataDirOption == null
                            ? Path.of("demo-data", "online-retail.csv.gz")
                            : Path.of(dataDirOption)
                                    .resolve("online-retail")
                                    .resolve("online-retail.csv.gz");
            if (!Files.exists(file)) {
                System.out.println("skipped: Online Retail not found at " + file.toAbsolutePath());
                return;
            }
            if ("send-hour".equals(option(args, "--task", null))) {
                SendHourEvaluation.print(SendHourEvaluation.onlineRetail(file));
                System.out.printf(
                        Locale.ROOT, "took %.1f s%n", (System.nanoTime() - started) / 1e9);
                return;
            }
            if ("small-shop".equals(option(args, "--task", null))) {
                List<SmallShopEvaluation.Figure> figures = SmallShopEvaluation.onlineRetail(file);
                SmallShopEvaluation.print(figures);
                SmallShopEvaluation.printDifferences(figures);
                System.out.printf(
                        Locale.ROOT, "took %.1f s%n", (System.nanoTime() - started) / 1e9);
                return;
            }
            if ("context".equals(option(args, "--task", null))) {
                ContextEvaluation.print(ContextEvaluation.evaluate(Datasets.onlineRetail(file), k));
                System.out.printf(
                        Locale.ROOT, "took %.1f s%n", (System.nanoTime() - started) / 1e9);
                return;
            }
            if ("cold-start".equals(option(args, "--task", null))) {
                ColdStartEvaluation.print(ColdStartEvaluation.onlineRetail(file, ks), k);
                System.out.printf(
                        Locale.ROOT, "took %.1f s%n", (System.nanoTime() - started) / 1e9);
                return;
            }
            Datasets.Split split = Datasets.onlineRetail(file);
            // No categories in the data: a stock code's family (its variants) stands for one.
            results.addAll(
                    evaluate(
                            split.train(),
                            split.test(),
                            ks,
                            k,
                            Datasets::onlineRetailFamily,
                            DIVERSITY_SETTINGS));
        } else if ("movielens".equals(dataset)) {
            if (dataDirOption == null) {
                // MovieLens may not be redistributed: the user passes where their copy is.
                System.out.println(
                        "MovieLens 100K is not bundled: pass --data-dir DIR, where"
                                + " DIR/movielens-100k holds u.data.gz and u1.test.gz ... u5.test.gz");
                return;
            }
            Path dir = Path.of(dataDirOption).resolve("movielens-100k");
            if (!Files.exists(dir.resolve("u.data.gz"))) {
                System.out.println("skipped: MovieLens 100K not found in " + dir.toAbsolutePath());
                return;
            }
            List<List<OfflineEvaluation.Result>> folds = new ArrayList<>();
            // Genres stand for categories in the diversity figures (the data has no others).
            java.util.Map<String, String> genres = Datasets.movieLensGenres(dir);
            for (int fold = 1; fold <= 5; fold++) {
                Datasets.Split split = Datasets.movieLensFold(dir, fold);
                System.out.print("fold u" + fold + " ");
                folds.add(
                        evaluate(
                                split.train(),
                                split.test(),
                                ks,
                                k,
                                genres::get,
                                DIVERSITY_SETTINGS));
            }
            results.addAll(meanOverFolds(folds));
        } else {
            System.out.println(
                    "usage: evaluate --dataset online-retail|movielens [--data-dir DIR] [--k K]"
                            + " (online-retail defaults to the bundled demo-data/)");
            System.out.println("       evaluate --train TRAIN --test TEST [--k K]");
            return;
        }
        print(results, k);
        System.out.printf(Locale.ROOT, "took %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static List<OfflineEvaluation.Result> evaluate(
            List<io.hilal.core.reco.Purchase> train,
            List<io.hilal.core.reco.Purchase> test,
            int[] ks,
            int k,
            java.util.function.Function<String, String> category,
            List<io.hilal.core.reco.CategoryCap> caps) {
        OfflineEvaluation.Evaluation evaluation =
                OfflineEvaluation.evaluate(train, test, ks, category, true, caps);
        int maxK = java.util.Arrays.stream(ks).max().orElse(k);
        System.out.println(evaluation.als().describe(maxK));
        System.out.println(evaluation.ease().describe(maxK));
        System.out.println(
                "ease-served (as trained for a tenant, "
                        + io.hilal.core.reco.TrainingService.EASE_KEEP_PER_PRODUCT
                        + " weights per product): "
                        + evaluation.servedEase().describe(maxK).substring("ease: ".length()));
        if (evaluation.rp3beta() != null) {
            System.out.println(evaluation.rp3beta().describe(maxK));
        } else {
            System.out.println(
                    "rp3beta: not tried, the catalog is larger than its limit of "
                            + io.hilal.core.reco.TrainingService.RP3BETA_MAX_PRODUCTS
                            + " products");
        }
        System.out.println(
                "chosen for discovery by validation Recall@"
                        + maxK
                        + ": "
                        + evaluation.chosenDiscoveryModel());
        // The default pipeline's test figure, per run (and so per MovieLens fold).
        evaluation.results().stream()
                .filter(
                        result ->
                                result.task().equals("discover")
                                        && result.k() == maxK
                                        && result.model().equals(evaluation.chosenDiscoveryModel()))
                .findFirst()
                .ifPresent(
                        result ->
                                System.out.printf(
                                        java.util.Locale.ROOT,
                                        "default pipeline (%s): test Recall@%d=%.4f NDCG@%d=%.4f%n",
                                        result.model(),
                                        maxK,
                                        result.recall(),
                                        maxK,
                                        result.ndcg()));
        return evaluation.results();
    }

    static List<OfflineEvaluation.Result> meanOverFolds(
            List<List<OfflineEvaluation.Result>> folds) {
        List<OfflineEvaluation.Result> mean = new ArrayList<>();
        for (int i = 0; i < folds.get(0).size(); i++) {
            OfflineEvaluation.Result first = folds.get(0).get(i);
            double recall = 0;
            double ndcg = 0;
            double coverage = 0;
            int users = 0;
            double minRecall = 1;
            double maxRecall = 0;
            for (List<OfflineEvaluation.Result> fold : folds) {
                OfflineEvaluation.Result result = fold.get(i);
                recall += result.recall() / folds.size();
                ndcg += result.ndcg() / folds.size();
                coverage += result.coverage() / folds.size();
                users += result.users();
                minRecall = Math.min(minRecall, result.recall());
                maxRecall = Math.max(maxRecall, result.recall());
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s %s@%d recall over folds: %.4f (min %.4f, max %.4f)%n",
                    first.task(),
                    first.model(),
                    first.k(),
                    recall,
                    minRecall,
                    maxRecall);
            mean.add(
                    new OfflineEvaluation.Result(
                            first.task(),
                            first.model(),
                            first.k(),
                            recall,
                            ndcg,
                            coverage,
                            users / folds.size()));
        }
        return mean;
    }

    private static void print(List<OfflineEvaluation.Result> results, int k) {
        System.out.println("| task | model | K | Recall@K | NDCG@K | coverage | customers |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (OfflineEvaluation.Result result : results) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %d | %.4f | %.4f | %.4f | %d |%n",
                    result.task(),
                    result.model(),
                    result.k(),
                    result.recall(),
                    result.ndcg(),
                    result.coverage(),
                    result.users());
        }
        // Discovery models only: buy-again is another task, over other customers.
        OfflineEvaluation.Result best =
                results.stream()
                        .filter(result -> result.k() == k && result.task().equals("discover"))
                        .max(Comparator.comparingDouble(OfflineEvaluation.Result::recall))
                        .orElseThrow();
        System.out.printf(
                Locale.ROOT,
                "best discovery %s recall@%d=%.4f ndcg@%d=%.4f%n",
                best.model(),
                k,
                best.recall(),
                k,
                best.ndcg());
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
