package io.hilal.bench.spark;

import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.als.Interactions;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.GridSample;
import io.hilal.core.reco.eval.RankingMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Hilal's in-JVM ALS trainer against Spark MLlib ALS on a large synthetic log ({@link
 * SyntheticInteractions}), where Spark's per-job overhead no longer dominates its time.
 *
 * <p>Hilal trains at its production default ({@link AlsParams#defaults()}: 64 factors, 15 sweeps,
 * flat lambda 30, alpha 1, 3 CG steps) with 2 threads. Spark trains {@code local[2]} at the same
 * rank and its default 10 iterations, with its own best setting from the same validation grid as
 * Hilal's tuning: regParam = lambda {10, 30, 100} / mean interactions per row (Spark's own
 * count-scaled regularization) × alpha {1, 3}, chosen on a validation split carved from the
 * training file (a random fifth of each customer's products), never on the test file. The grid runs
 * on the file given, or is skipped with {@code --spark-reg R --spark-alpha A} (a choice made at a
 * smaller size of the same generator).
 *
 * <p>Spark gets its best case for timing: the training data is already a cached DataFrame; the
 * timed part is {@code fit} and collecting the factors into the driver. Hilal's timed part starts
 * from the same triples in memory and includes building its matrices. Both are scored by the same
 * full-ranking Recall@20 on the same sampled test customers.
 *
 * <p>Usage: {@code bench/spark-als/run scale --data DIR [--repetitions 1] [--sample 5000]
 * [--spark-reg R --spark-alpha A] [--choice-out FILE] [--choice-in FILE]}: {@code --choice-out}
 * writes the validation grid's choice for Spark, {@code --choice-in} makes a larger run train Hilal
 * first and then Spark with the choice a smaller run writes there. {@code --spark-recorded
 * SECONDS,RECALL,REGPARAM,ALPHA} instead trains Hilal as production does, validation grid (on a
 * sample of customers past its budget) then the chosen setting on everything, each timed, and
 * compares with Spark's figures from an earlier run on the same generated files.
 */
public final class AlsAtScale {
    private static final int K = 20;
    private static final int SPARK_ITERATIONS = 10;
    private static final double[] LAMBDAS = {10, 30, 100};
    private static final double[] ALPHAS = {1, 3};

    /** Triples with dense int ids, and the ids as Strings for Hilal's builder and the models. */
    record Data(int[] user, int[] item, float[] weight, int users, int items) {
        int size() {
            return weight.length;
        }

        static Data read(Path file) throws IOException {
            int[] user = new int[1 << 20];
            int[] item = new int[1 << 20];
            float[] weight = new float[1 << 20];
            int size = 0;
            int users = 0;
            int items = 0;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    int tab = line.indexOf('\t');
                    int tab2 = line.indexOf('\t', tab + 1);
                    if (size == user.length) {
                        user = Arrays.copyOf(user, size * 2);
                        item = Arrays.copyOf(item, size * 2);
                        weight = Arrays.copyOf(weight, size * 2);
                    }
                    user[size] = Integer.parseInt(line, 0, tab, 10);
                    item[size] = Integer.parseInt(line, tab + 1, tab2, 10);
                    weight[size] = Float.parseFloat(line.substring(tab2 + 1));
                    users = Math.max(users, user[size] + 1);
                    items = Math.max(items, item[size] + 1);
                    size++;
                }
            }
            return new Data(
                    Arrays.copyOf(user, size),
                    Arrays.copyOf(item, size),
                    Arrays.copyOf(weight, size),
                    users,
                    items);
        }

        /** Splits off a random fifth of each customer's pairs (customers with 5 or more). */
        Data[] validationSplit(long seed) {
            int[] count = new int[users];
            for (int u : user) {
                count[u]++;
            }
            SplittableRandom random = new SplittableRandom(seed);
            boolean[] held = new boolean[size()];
            int heldCount = 0;
            for (int i = 0; i < size(); i++) {
                if (count[user[i]] >= 5 && random.nextDouble() < 0.2) {
                    held[i] = true;
                    heldCount++;
                }
            }
            return new Data[] {
                subset(held, false, size() - heldCount), subset(held, true, heldCount)
            };
        }

        private Data subset(boolean[] held, boolean wanted, int n) {
            int[] u = new int[n];
            int[] it = new int[n];
            float[] w = new float[n];
            int at = 0;
            for (int i = 0; i < size(); i++) {
                if (held[i] == wanted) {
                    u[at] = user[i];
                    it[at] = item[i];
                    w[at] = weight[i];
                    at++;
                }
            }
            return new Data(u, it, w, users, items);
        }

        double meanCount() {
            return 2.0 * size() / (users + items);
        }
    }

    private AlsAtScale() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(AlsVsSparkBenchmark.option(args, "--data", "target/synthetic"));
        int repetitions = Integer.parseInt(AlsVsSparkBenchmark.option(args, "--repetitions", "1"));
        int sample = Integer.parseInt(AlsVsSparkBenchmark.option(args, "--sample", "5000"));
        String givenReg = AlsVsSparkBenchmark.option(args, "--spark-reg", null);
        String givenAlpha = AlsVsSparkBenchmark.option(args, "--spark-alpha", null);
        String choiceOut = AlsVsSparkBenchmark.option(args, "--choice-out", null);
        String choiceIn = AlsVsSparkBenchmark.option(args, "--choice-in", null);
        String recorded = AlsVsSparkBenchmark.option(args, "--spark-recorded", null);
        if (recorded != null) {
            tunedAgainstRecorded(dir, sample, recorded);
            return;
        }

        Data train = Data.read(dir.resolve("train.tsv"));
        Data test = Data.read(dir.resolve("test.tsv"));
        String[] userIds = ids("c", Math.max(train.users(), test.users()));
        String[] itemIds = ids("p", Math.max(train.items(), test.items()));
        SparkSession spark = AlsVsSparkBenchmark.session();
        AlsParams hilalParams = AlsParams.defaults().withThreads(2);
        int rank = hilalParams.factors();
        System.out.printf(
                Locale.ROOT,
                "%s: %d training pairs, %d customers, %d products, %d test pairs; Spark %s,"
                        + " Java %s, %d processors, max heap %d MiB%n",
                dir,
                train.size(),
                train.users(),
                train.items(),
                test.size(),
                spark.version(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("Hilal: production default " + hilalParams);
        try {
            double regParam;
            double alpha;
            AlsModel hilalFirst = null;
            double hilalFirstSeconds = 0;
            if (choiceIn != null) {
                // Spark's setting comes from a smaller run of the same generator, still under way:
                // Hilal trains meanwhile, then Spark with the setting once it is written.
                long started = System.nanoTime();
                hilalFirst = hilal(train, userIds, itemIds, hilalParams);
                hilalFirstSeconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(Locale.ROOT, "Hilal #1 %8.1f s%n", hilalFirstSeconds);
                Path file = Path.of(choiceIn);
                for (int waited = 0; !Files.exists(file) && waited < 3 * 3600; waited += 10) {
                    Thread.sleep(10_000);
                }
                String[] choice = Files.readString(file).trim().split("\\s+");
                regParam = Double.parseDouble(choice[0]);
                alpha = Double.parseDouble(choice[1]);
                System.out.printf(
                        Locale.ROOT,
                        "Spark: regParam %.4f, alpha %s from %s (chosen on validation at a smaller"
                                + " size of the same generator)%n",
                        regParam,
                        alpha,
                        file);
            } else if (givenReg != null && givenAlpha != null) {
                regParam = Double.parseDouble(givenReg);
                alpha = Double.parseDouble(givenAlpha);
                System.out.printf(
                        Locale.ROOT,
                        "Spark: given regParam %.4f, alpha %s (chosen on validation at a smaller"
                                + " size)%n",
                        regParam,
                        alpha);
            } else {
                Data[] parts = train.validationSplit(7L);
                Dataset<Row> frame = cached(spark, parts[0], dir.resolve("validation-train.tsv"));
                Map<Integer, Set<Integer>> valTruth = truth(parts[1], sample, 11L);
                double best = -1;
                regParam = 0;
                alpha = 0;
                for (double lambda : LAMBDAS) {
                    for (double a : ALPHAS) {
                        double reg = lambda / parts[0].meanCount();
                        AlsModel model = spark(frame, parts[0], userIds, itemIds, rank, reg, a);
                        double recall = recall(model, valTruth, parts[0], userIds, itemIds);
                        System.out.printf(
                                Locale.ROOT,
                                "Spark validation: regParam %.4f (lambda %s / %.1f) alpha %s"
                                        + " Recall@%d %.4f%n",
                                reg,
                                lambda,
                                parts[0].meanCount(),
                                a,
                                K,
                                recall);
                        if (recall > best) {
                            best = recall;
                            regParam = reg;
                            alpha = a;
                        }
                    }
                }
                frame.unpersist(true);
                if (choiceOut != null) {
                    Files.writeString(Path.of(choiceOut), regParam + " " + alpha + "\n");
                }
                System.out.printf(
                        Locale.ROOT,
                        "Spark: chose regParam %.4f alpha %s on validation (Recall@%d %.4f)%n",
                        regParam,
                        alpha,
                        K,
                        best);
            }

            Dataset<Row> frame = cached(spark, train, dir.resolve("train.tsv"));
            Map<Integer, Set<Integer>> testTruth = truth(test, sample, 13L);
            double[] sparkSeconds = new double[repetitions];
            double[] hilalSeconds = new double[repetitions];
            AlsModel sparkModel = null;
            AlsModel hilalModel = null;
            for (int r = 0; r < repetitions; r++) {
                long started = System.nanoTime();
                sparkModel = spark(frame, train, userIds, itemIds, rank, regParam, alpha);
                sparkSeconds[r] = (System.nanoTime() - started) / 1e9;
                System.out.printf(Locale.ROOT, "Spark #%d %8.1f s%n", r + 1, sparkSeconds[r]);
                if (r == 0 && hilalFirst != null) {
                    hilalModel = hilalFirst;
                    hilalSeconds[r] = hilalFirstSeconds;
                    continue;
                }
                started = System.nanoTime();
                hilalModel = hilal(train, userIds, itemIds, hilalParams);
                hilalSeconds[r] = (System.nanoTime() - started) / 1e9;
                System.out.printf(Locale.ROOT, "Hilal #%d %8.1f s%n", r + 1, hilalSeconds[r]);
            }
            double sparkRecall = recall(sparkModel, testTruth, train, userIds, itemIds);
            double hilalRecall = recall(hilalModel, testTruth, train, userIds, itemIds);
            double sparkTime = median(sparkSeconds);
            double hilalTime = median(hilalSeconds);
            System.out.printf(
                    Locale.ROOT,
                    "%n| %d training pairs, rank %d, %d sampled test customers | median s (min–max)"
                            + " | Recall@%d |%n|---|---|---|%n"
                            + "| Spark MLlib ALS local[2], %d iterations, regParam %.4f, alpha %s"
                            + " (baseline) | %.1f (%.1f–%.1f) | %.4f |%n"
                            + "| Hilal ImplicitAls, production default, 2 threads | %.1f (%.1f–%.1f)"
                            + " | %.4f |%n"
                            + "| **ratio Hilal / Spark** | **%.3f** | **%.3f** |%n",
                    train.size(),
                    rank,
                    testTruth.size(),
                    K,
                    SPARK_ITERATIONS,
                    regParam,
                    alpha,
                    sparkTime,
                    min(sparkSeconds),
                    max(sparkSeconds),
                    sparkRecall,
                    hilalTime,
                    min(hilalSeconds),
                    max(hilalSeconds),
                    hilalRecall,
                    hilalTime / sparkTime,
                    hilalRecall / sparkRecall);
        } finally {
            spark.stop();
        }
    }

    /**
     * Hilal as the production pipeline trains a tenant (TrainingService): its validation grid,
     * sampled past {@link GridSample#DEFAULT_BUDGET}, then the chosen setting on all the data;
     * against Spark's figures recorded by an earlier run on the same generated files ({@code
     * --spark-recorded SECONDS,RECALL,REGPARAM,ALPHA}), so Spark is not re-run.
     */
    private static void tunedAgainstRecorded(Path dir, int sample, String recorded)
            throws IOException {
        String[] spark = recorded.split(",");
        double sparkSeconds = Double.parseDouble(spark[0]);
        double sparkRecall = Double.parseDouble(spark[1]);
        Data train = Data.read(dir.resolve("train.tsv"));
        Data test = Data.read(dir.resolve("test.tsv"));
        String[] userIds = ids("c", Math.max(train.users(), test.users()));
        String[] itemIds = ids("p", Math.max(train.items(), test.items()));
        // One purchase line per unit of count, as the tenant's purchases would arrive; no times,
        // so the validation split is random (a fifth of each customer's products).
        List<Purchase> purchases = new ArrayList<>();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < train.size(); i++) {
            for (int c = 0; c < (int) train.weight()[i]; c++) {
                purchases.add(
                        new Purchase(
                                userIds[train.user()[i]], itemIds[train.item()[i]], "o", 1, at));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%s: %d training pairs (%d purchase lines), %d customers, %d products, %d test"
                        + " pairs; Java %s, %d processors, max heap %d MiB%n",
                dir,
                train.size(),
                purchases.size(),
                train.users(),
                train.items(),
                test.size(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        AlsParams base = AlsParams.defaults().withThreads(2);
        long started = System.nanoTime();
        AlsTuning.Choice choice =
                AlsTuning.choose(
                        purchases, K, base, TrainingService.ALS_GRID, GridSample.DEFAULT_BUDGET);
        double gridSeconds = (System.nanoTime() - started) / 1e9;
        for (AlsTuning.Trial trial : choice.trials()) {
            System.out.printf(
                    Locale.ROOT,
                    "Hilal validation: lambda %.4f%s alpha %s sweeps %d Recall@%d %.4f%n",
                    trial.params().regularization(),
                    trial.params().scaledRegularization() ? "·n" : " flat",
                    trial.params().alpha(),
                    trial.params().iterations(),
                    K,
                    trial.recall());
        }
        System.out.println(choice.describe(K));
        System.out.printf(Locale.ROOT, "Hilal grid %8.1f s%n", gridSeconds);
        started = System.nanoTime();
        AlsModel model = ImplicitAls.train(AlsTuning.interactions(purchases), choice.params());
        double fitSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "Hilal fit  %8.1f s%n", fitSeconds);
        purchases = null;
        Map<Integer, Set<Integer>> testTruth = truth(test, sample, 13L);
        double recall = recall(model, testTruth, train, userIds, itemIds);
        AlsParams chosen = choice.params();
        System.out.printf(
                Locale.ROOT,
                "%n| %d training pairs, rank %d, %d sampled test customers | s | Recall@%d |%n"
                        + "|---|---|---|%n"
                        + "| Spark MLlib ALS local[2], regParam %s, alpha %s (recorded baseline)"
                        + " | %.1f | %.4f |%n"
                        + "| Hilal validation grid (%.1f%% of customers, %d settings) | %.1f | |%n"
                        + "| Hilal chosen: lambda %.4f%s, alpha %s, %d sweeps, fit on all | %.1f"
                        + " | %.4f |%n"
                        + "| **ratio Hilal fit / Spark** | **%.3f** | **%.3f** |%n"
                        + "| ratio Hilal grid + fit / Spark | %.3f | |%n",
                train.size(),
                chosen.factors(),
                testTruth.size(),
                K,
                spark.length > 2 ? spark[2] : "?",
                spark.length > 3 ? spark[3] : "?",
                sparkSeconds,
                sparkRecall,
                choice.sample().share() * 100,
                choice.trials().size(),
                gridSeconds,
                chosen.regularization(),
                chosen.scaledRegularization() ? "·n" : " flat",
                chosen.alpha(),
                chosen.iterations(),
                fitSeconds,
                recall,
                fitSeconds / sparkSeconds,
                recall / sparkRecall,
                (gridSeconds + fitSeconds) / sparkSeconds);
    }

    static String[] ids(String prefix, int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = prefix + i;
        }
        return ids;
    }

    /**
     * The triples as a cached DataFrame (read from their file, or written to it first), counted
     * once so the timed runs start from memory.
     */
    private static Dataset<Row> cached(SparkSession spark, Data data, Path file)
            throws IOException {
        if (!Files.exists(file)) {
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (int i = 0; i < data.size(); i++) {
                    out.write(
                            data.user()[i]
                                    + "\t"
                                    + data.item()[i]
                                    + "\t"
                                    + data.weight()[i]
                                    + "\n");
                }
            }
        }
        StructType schema =
                new StructType()
                        .add("user", DataTypes.IntegerType)
                        .add("item", DataTypes.IntegerType)
                        .add("rating", DataTypes.FloatType);
        Dataset<Row> frame =
                spark.read()
                        .option("sep", "\t")
                        .schema(schema)
                        .csv(file.toString())
                        .repartition(2)
                        .cache();
        long rows = frame.count();
        if (rows != data.size()) {
            throw new IllegalStateException(file + ": " + rows + " rows, expected " + data.size());
        }
        return frame;
    }

    private static AlsModel spark(
            Dataset<Row> frame,
            Data data,
            String[] userIds,
            String[] itemIds,
            int rank,
            double regParam,
            double alpha) {
        ALSModel model =
                new ALS()
                        .setRank(rank)
                        .setMaxIter(SPARK_ITERATIONS)
                        .setRegParam(regParam)
                        .setAlpha(alpha)
                        .setImplicitPrefs(true)
                        .setUserCol("user")
                        .setItemCol("item")
                        .setRatingCol("rating")
                        .setNumUserBlocks(2)
                        .setNumItemBlocks(2)
                        .setSeed(42L)
                        .fit(frame);
        float[] userFactors = new float[data.users() * rank];
        float[] itemFactors = new float[data.items() * rank];
        collect(model.userFactors(), userFactors, rank);
        collect(model.itemFactors(), itemFactors, rank);
        return AlsModel.fromFactors(
                Arrays.asList(userIds).subList(0, data.users()),
                Arrays.asList(itemIds).subList(0, data.items()),
                rank,
                regParam,
                alpha,
                true,
                userFactors,
                itemFactors);
    }

    private static void collect(Dataset<Row> frame, float[] factors, int rank) {
        for (Row row : frame.collectAsList()) {
            int id = row.getInt(0);
            List<Object> features = row.getList(1);
            for (int f = 0; f < rank; f++) {
                factors[id * rank + f] = ((Number) features.get(f)).floatValue();
            }
        }
    }

    private static AlsModel hilal(Data data, String[] userIds, String[] itemIds, AlsParams params) {
        Interactions.Builder builder = Interactions.builder();
        for (int i = 0; i < data.size(); i++) {
            builder.add(userIds[data.user()[i]], itemIds[data.item()[i]], data.weight()[i]);
        }
        return ImplicitAls.train(builder.build(), params);
    }

    /** The held-out products of a seeded sample of the customers who have any. */
    static Map<Integer, Set<Integer>> truth(Data held, int sample, long seed) {
        Map<Integer, Set<Integer>> all = new HashMap<>();
        for (int i = 0; i < held.size(); i++) {
            all.computeIfAbsent(held.user()[i], u -> new HashSet<>()).add(held.item()[i]);
        }
        List<Integer> customers = new ArrayList<>(all.keySet());
        customers.sort(null);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = customers.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer swap = customers.get(i);
            customers.set(i, customers.get(j));
            customers.set(j, swap);
        }
        Map<Integer, Set<Integer>> sampled = new HashMap<>();
        for (Integer customer : customers.subList(0, Math.min(sample, customers.size()))) {
            sampled.put(customer, all.get(customer));
        }
        return sampled;
    }

    /** Full-ranking Recall@K over the sampled customers, their training products masked. */
    static double recall(
            AlsModel model,
            Map<Integer, Set<Integer>> truth,
            Data train,
            String[] userIds,
            String[] itemIds) {
        Map<Integer, Set<String>> owned = new HashMap<>();
        for (int i = 0; i < train.size(); i++) {
            if (truth.containsKey(train.user()[i])) {
                owned.computeIfAbsent(train.user()[i], u -> new HashSet<>())
                        .add(itemIds[train.item()[i]]);
            }
        }
        RankingMetrics metrics = new RankingMetrics(K);
        truth.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(
                        entry -> {
                            Set<String> relevant = new HashSet<>();
                            for (int item : entry.getValue()) {
                                relevant.add(itemIds[item]);
                            }
                            List<String> ranked = new ArrayList<>();
                            String customer = userIds[entry.getKey()];
                            if (model.hasUser(customer)) {
                                for (ScoredItem item :
                                        model.recommend(
                                                customer,
                                                K,
                                                owned.getOrDefault(entry.getKey(), Set.of()))) {
                                    ranked.add(item.productId());
                                }
                            }
                            metrics.add(ranked, relevant);
                        });
        return metrics.recall();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
