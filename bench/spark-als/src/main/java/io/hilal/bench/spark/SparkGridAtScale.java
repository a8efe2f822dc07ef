package io.hilal.bench.spark;

import io.hilal.core.reco.LargeTenantTraining;
import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.Interactions;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.GridSample;
import io.hilal.core.reco.eval.RankingMetrics;
import io.hilal.worker.training.spark.SparkAls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A large tenant on the Spark trainer, before and after its per-tenant grid: Spark fits the
 * trainer's configured setting (rank 64, 10 iterations, lambda 30 converted to the count-scaled
 * regParam at the data's mean count, alpha 1: what every Spark tenant got before the grid) and the
 * setting the worker's grid chooses on the same pairs as {@code OutsideTraining} runs it ({@link
 * LargeTenantTraining#gridAt} at rank 64, sample planned by {@link GridSample#plan} from the lines
 * and customers, {@link AlsTuning#chooseOnSample} on 2 threads). Both fits on the same 2-executor
 * standalone cluster as {@link TrainersAtScale}, scored by the same full-ranking Recall@20 on the
 * same sampled test customers; the grid's seconds are the worker CPU the choice costs.
 *
 * <p>Usage: {@code bench/spark-als/run spark-grid --data DIR --jars spark-trainer/target/lib
 * [--executor-memory 3g] [--driver-memory 4g] [--sample 5000]}.
 */
public final class SparkGridAtScale {
    private static final int K = 20;

    private SparkGridAtScale() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(AlsVsSparkBenchmark.option(args, "--data", "target/synthetic"));
        Path jars = Path.of(AlsVsSparkBenchmark.option(args, "--jars", null)).toAbsolutePath();
        String executorMemory = AlsVsSparkBenchmark.option(args, "--executor-memory", "3g");
        String driverMemory = AlsVsSparkBenchmark.option(args, "--driver-memory", "4g");
        int sample = Integer.parseInt(AlsVsSparkBenchmark.option(args, "--sample", "5000"));

        TrainersAtScale.Log log = TrainersAtScale.Log.read(dir, sample);
        AlsAtScale.Data train = log.train();
        double popularity = popularityRecall(log.truth(), train, log.itemIds());
        System.out.printf(
                Locale.ROOT,
                "popularity (products by training customers, the customer's own masked): Recall@%d"
                        + " %.4f%n",
                K,
                popularity);
        Interactions data = log.interactions();
        double meanCount = AlsTuning.meanCount(data);
        System.out.printf(
                Locale.ROOT,
                "%s: %,d training pairs, %,d customers, %,d products, mean count %.2f; Java %s, %d"
                        + " processors, max heap %d MiB%n",
                dir,
                data.size(),
                data.userCount(),
                data.itemCount(),
                meanCount,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        // The worker's grid: one purchase line per unit of count, as the database streams them (no
        // times: a random fifth of each sampled customer's products is held out).
        AlsTuning.Grid grid = LargeTenantTraining.gridAt(64);
        long lines = 0;
        for (int i = 0; i < train.size(); i++) {
            lines += (int) train.weight()[i];
        }
        GridSample plan =
                GridSample.plan(
                        lines,
                        data.userCount(),
                        grid.sweepsPerLine(),
                        GridSample.DEFAULT_BUDGET,
                        GridSample.MIN_CUSTOMERS);
        long started = System.nanoTime();
        List<Purchase> sampled = new ArrayList<>();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < train.size(); i++) {
            String customer = log.userIds()[train.user()[i]];
            if (plan.includes(customer)) {
                for (int c = 0; c < (int) train.weight()[i]; c++) {
                    sampled.add(new Purchase(customer, log.itemIds()[train.item()[i]], "o", 1, at));
                }
            }
        }
        AlsTuning.Choice choice =
                AlsTuning.chooseOnSample(
                        sampled,
                        plan,
                        meanCount,
                        K,
                        AlsParams.defaults().withFactors(64).withThreads(2),
                        grid);
        double gridSeconds = (System.nanoTime() - started) / 1e9;
        sampled = null;
        for (AlsTuning.Trial trial : choice.trials()) {
            System.out.printf(
                    Locale.ROOT,
                    "grid: lambda %.4f·n alpha %s sweeps %d: validation Recall@%d %.4f%n",
                    trial.params().regularization(),
                    trial.params().alpha(),
                    trial.params().iterations(),
                    K,
                    trial.recall());
        }
        System.out.println(choice.describe(K));
        System.out.printf(
                Locale.ROOT, "grid (sample and trials, 2 threads): %.1f s%n", gridSeconds);

        AlsParams configured =
                AlsParams.defaults()
                        .withFactors(64)
                        .withIterations(10)
                        .withRegularization(30 / meanCount)
                        .withScaledRegularization(true)
                        .withAlpha(1);
        AlsParams tuned = choice.params();
        Path work = Files.createTempDirectory("spark-grid-at-scale-");
        double[][] results = new double[2][];
        try (TrainersAtScale.Cluster cluster =
                new TrainersAtScale.Cluster(jars, work, 2, executorMemory)) {
            SparkAls spark = cluster.spark(jars, driverMemory, executorMemory, Map.of(), work);
            List<AlsParams> settings = List.of(configured, tuned);
            for (int s = 0; s < settings.size(); s++) {
                long fitStarted = System.nanoTime();
                AlsModel model = spark.fit(List.of(data), settings.get(s)).get(0);
                double seconds = (System.nanoTime() - fitStarted) / 1e9;
                double recall = log.recall(model);
                results[s] = new double[] {seconds, recall};
                System.out.printf(
                        Locale.ROOT,
                        "Spark %s: rank %d, %d iterations, regParam %.4f, alpha %s: %.1f s,"
                                + " Recall@%d %.4f%n",
                        s == 0 ? "configured" : "grid's choice",
                        settings.get(s).factors(),
                        settings.get(s).iterations(),
                        settings.get(s).regularization(),
                        settings.get(s).alpha(),
                        seconds,
                        K,
                        recall);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%n| %,d pairs, Spark 2 executors × 1 core | configured (baseline) | grid's choice |"
                        + " **grid / configured** |%n"
                        + "|---|---|---|---|%n"
                        + "| Recall@20, %,d test customers | %.4f | %.4f | **%.3f** |%n"
                        + "| Spark fit, wall | %.1f s | %.1f s | %.2f |%n"
                        + "| grid in the worker (2 threads) | — | %.1f s | |%n"
                        + "| popularity's Recall@20, same customers | %.4f | | |%n",
                data.size(),
                log.truth().size(),
                results[0][1],
                results[1][1],
                results[1][1] / results[0][1],
                results[0][0],
                results[1][0],
                results[1][0] / results[0][0],
                gridSeconds,
                popularity);
    }

    /** The most bought products (by customers), each customer's own masked: the report's floor. */
    private static double popularityRecall(
            Map<Integer, Set<Integer>> truth, AlsAtScale.Data train, String[] itemIds) {
        int[] buyers = new int[itemIds.length];
        Map<Integer, Set<Integer>> owned = new HashMap<>();
        for (int i = 0; i < train.size(); i++) {
            buyers[train.item()[i]]++;
            if (truth.containsKey(train.user()[i])) {
                owned.computeIfAbsent(train.user()[i], u -> new HashSet<>()).add(train.item()[i]);
            }
        }
        Integer[] ranked = new Integer[itemIds.length];
        for (int i = 0; i < ranked.length; i++) {
            ranked[i] = i;
        }
        Arrays.sort(
                ranked, Comparator.comparingInt((Integer i) -> -buyers[i]).thenComparing(i -> i));
        RankingMetrics metrics = new RankingMetrics(K);
        truth.forEach(
                (customer, held) -> {
                    Set<Integer> own = owned.getOrDefault(customer, Set.of());
                    List<String> top = new ArrayList<>();
                    for (int i = 0; i < ranked.length && top.size() < K; i++) {
                        if (!own.contains(ranked[i])) {
                            top.add(itemIds[ranked[i]]);
                        }
                    }
                    Set<String> relevant = new HashSet<>();
                    held.forEach(item -> relevant.add(itemIds[item]));
                    metrics.add(top, relevant);
                });
        return metrics.recall();
    }
}
