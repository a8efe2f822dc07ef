package io.hilal.bench.spark;

import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.als.Interactions;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.Datasets;
import io.hilal.core.reco.eval.RankingMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Hilal's implicit ALS against Apache Spark MLlib's ALS, the baseline MEASURE.md names for model
 * training: same JVM, same interaction triples, same rank, sweeps and alpha, {@code local[2]}
 * against 2 Hilal threads, run interleaved (Spark, Hilal, Spark, Hilal …) after a warm-up of both.
 * Each timed run goes from the triples to factor matrices in the driver's memory. Then both train
 * once on the evaluation split and are scored by the same full-ranking Recall@20 code.
 *
 * <p>Usage: {@code AlsVsSparkBenchmark [--repetitions 3] [--dataset online-retail|movielens|all]
 * [--data-dir ../shared/data] [--spark-blocks 2]}.
 */
public final class AlsVsSparkBenchmark {
    private static final int RANK = 64;
    private static final int ITERATIONS = 10;
    private static final int THREADS = 2;
    private static final int K = 20;

    /** Aggregated (customer, product, weight) triples, with dense int ids for Spark. */
    record Triples(
            List<String> users,
            List<String> items,
            int[] user,
            int[] item,
            float[] weight,
            Map<String, Set<String>> owned) {
        int size() {
            return weight.length;
        }

        static Triples of(List<Purchase> purchases) {
            Map<String, Integer> users = new LinkedHashMap<>();
            Map<String, Integer> items = new LinkedHashMap<>();
            Map<Long, Float> weights = new LinkedHashMap<>();
            Map<String, Set<String>> owned = new HashMap<>();
            for (Purchase purchase : purchases) {
                int u = users.computeIfAbsent(purchase.customerId(), id -> users.size());
                int i = items.computeIfAbsent(purchase.productId(), id -> items.size());
                weights.merge(((long) u << 32) | i, 1f, Float::sum);
                owned.computeIfAbsent(purchase.customerId(), c -> new HashSet<>())
                        .add(purchase.productId());
            }
            int[] user = new int[weights.size()];
            int[] item = new int[weights.size()];
            float[] weight = new float[weights.size()];
            int at = 0;
            for (Map.Entry<Long, Float> entry : weights.entrySet()) {
                user[at] = (int) (entry.getKey() >>> 32);
                item[at] = (int) (long) entry.getKey();
                weight[at] = entry.getValue();
                at++;
            }
            return new Triples(
                    List.copyOf(users.keySet()),
                    List.copyOf(items.keySet()),
                    user,
                    item,
                    weight,
                    owned);
        }
    }

    /** Seeds of the quality runs: one seed's Recall@20 moves by about ±0.005 on MovieLens u1. */
    private static final long[] SEEDS = {42L, 43L, 44L};

    /**
     * One data set: all of it for timing, a train/test split for quality, and the settings the
     * validation grid chose on the split's training data.
     */
    record Case(
            String name, Triples all, Triples train, List<Purchase> test, AlsTuning.Choice choice) {
        double regularization() {
            return choice.params().regularization();
        }

        double alpha() {
            return choice.params().alpha();
        }

        boolean scaled() {
            return choice.params().scaledRegularization();
        }
    }

    /**
     * lambda, alpha and the regularizer (flat or count-scaled) chosen as {@code ./hilal evaluate}
     * and per-tenant training choose them (the same lambdas, alphas and both regularizers, on a
     * validation split carved from the training data only), at this benchmark's rank and sweeps.
     */
    static AlsTuning.Choice tune(List<Purchase> train) {
        AlsTuning.Grid grid =
                new AlsTuning.Grid(
                        new int[] {RANK},
                        AlsTuning.Grid.DEFAULT.regularization(),
                        AlsTuning.Grid.DEFAULT.alpha(),
                        new int[] {ITERATIONS},
                        AlsTuning.Grid.DEFAULT.scaled());
        AlsTuning.Choice choice =
                AlsTuning.choose(
                        train, K, new AlsParams(RANK, ITERATIONS, 1, 1, 3, THREADS, 42L), grid);
        System.out.println(choice.describe(K));
        return choice;
    }

    private AlsVsSparkBenchmark() {}

    public static void main(String[] args) throws Exception {
        int repetitions = Integer.parseInt(option(args, "--repetitions", "3"));
        String dataset = option(args, "--dataset", "all");
        Path dataDir = Path.of(option(args, "--data-dir", "../shared/data"));
        int blocks = Integer.parseInt(option(args, "--spark-blocks", "2"));

        List<Case> cases = new ArrayList<>();
        if (dataset.equals("all") || dataset.equals("online-retail")) {
            Path file = dataDir.resolve("online-retail/online-retail.csv.gz");
            if (Files.exists(file)) {
                Datasets.Split split = Datasets.onlineRetail(file);
                List<Purchase> all = new ArrayList<>(split.train());
                all.addAll(split.test());
                cases.add(
                        new Case(
                                "Online Retail",
                                Triples.of(all),
                                Triples.of(split.train()),
                                split.test(),
                                tune(split.train())));
            } else {
                System.out.println("skipped: Online Retail not found at " + file);
            }
        }
        if (dataset.equals("all") || dataset.equals("movielens")) {
            Path dir = dataDir.resolve("movielens-100k");
            if (Files.exists(dir.resolve("u.data.gz"))) {
                Datasets.Split split = Datasets.movieLensFold(dir, 1);
                cases.add(
                        new Case(
                                "MovieLens 100K",
                                Triples.of(Datasets.pairs(dir.resolve("u.data.gz"))),
                                Triples.of(split.train()),
                                split.test(),
                                tune(split.train())));
            } else {
                System.out.println("skipped: MovieLens 100K not found in " + dir);
            }
        }
        if (cases.isEmpty()) {
            return;
        }

        SparkSession spark = session();
        System.out.printf(
                Locale.ROOT,
                "Spark %s, Java %s, %d processors, max heap %d MiB, Spark blocks %d%n",
                spark.version(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                blocks);
        try {
            for (Case c : cases) {
                run(spark, c, repetitions, blocks);
            }
        } finally {
            spark.stop();
        }
    }

    /** Spark in this JVM with {@link #THREADS} threads, its UI off. */
    static SparkSession session() {
        SparkSession spark =
                SparkSession.builder()
                        .master("local[" + THREADS + "]")
                        .appName("hilal-als-bench")
                        .config("spark.ui.enabled", "false")
                        .config("spark.sql.shuffle.partitions", String.valueOf(THREADS))
                        .config("spark.default.parallelism", String.valueOf(THREADS))
                        .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    private static void run(SparkSession spark, Case c, int repetitions, int blocks) {
        Triples data = c.all();
        double sparkRegularization = sparkRegularization(data, c);
        System.out.printf(
                Locale.ROOT,
                "%n## %s: %d customers, %d products, %d pairs; rank %d, %d sweeps, lambda %.4f"
                        + " %s (Spark regParam %.4f), alpha %s%n",
                c.name(),
                data.users().size(),
                data.items().size(),
                data.size(),
                RANK,
                ITERATIONS,
                c.regularization(),
                c.scaled() ? "count-scaled" : "flat",
                sparkRegularization,
                c.alpha());
        AlsParams params =
                new AlsParams(
                        RANK,
                        ITERATIONS,
                        c.regularization(),
                        c.alpha(),
                        3,
                        THREADS,
                        42L,
                        c.scaled());
        Supplier<AlsModel> hilal = () -> hilal(data, params);
        Supplier<AlsModel> sparkRun =
                () -> spark(spark, data, sparkRegularization, c.alpha(), blocks, 42L);

        measure("warm-up Spark", sparkRun);
        measure("warm-up Hilal", hilal);
        double[] sparkSeconds = new double[repetitions];
        double[] hilalSeconds = new double[repetitions];
        double[] ratios = new double[repetitions];
        long sparkPeak = 0;
        long hilalPeak = 0;
        for (int r = 0; r < repetitions; r++) {
            Run s = measure("Spark #" + (r + 1), sparkRun);
            Run h = measure("Hilal #" + (r + 1), hilal);
            sparkSeconds[r] = s.seconds();
            hilalSeconds[r] = h.seconds();
            ratios[r] = h.seconds() / s.seconds();
            sparkPeak = Math.max(sparkPeak, s.peakHeap());
            hilalPeak = Math.max(hilalPeak, h.peakHeap());
        }

        Triples train = c.train();
        double sparkTrainRegularization = sparkRegularization(train, c);
        // Mean over seeds for both: one seed's Recall@20 is noisy at this many test customers.
        double[] hilalRecalls = new double[SEEDS.length];
        double[] sparkRecalls = new double[SEEDS.length];
        for (int s = 0; s < SEEDS.length; s++) {
            hilalRecalls[s] = recall(hilal(train, params.withSeed(SEEDS[s])), train, c.test());
            sparkRecalls[s] =
                    recall(
                            spark(
                                    spark,
                                    train,
                                    sparkTrainRegularization,
                                    c.alpha(),
                                    blocks,
                                    SEEDS[s]),
                            train,
                            c.test());
        }
        double hilalRecall = Arrays.stream(hilalRecalls).average().orElseThrow();
        double sparkRecall = Arrays.stream(sparkRecalls).average().orElseThrow();
        // The same regularizer as Spark: lambda scaled by counts, equal to Spark's regParam.
        double hilalScaledRecall =
                c.scaled()
                        ? hilalRecall
                        : recall(
                                hilal(
                                        train,
                                        params.withRegularization(sparkTrainRegularization)
                                                .withScaledRegularization(true)),
                                train,
                                c.test());
        // Spark's quality is not hostage to the conversion: also a third and three times it.
        double sparkLower =
                recall(
                        spark(spark, train, sparkTrainRegularization / 3, c.alpha(), blocks, 42L),
                        train,
                        c.test());
        double sparkHigher =
                recall(
                        spark(spark, train, sparkTrainRegularization * 3, c.alpha(), blocks, 42L),
                        train,
                        c.test());

        System.out.println();
        System.out.println("| " + c.name() + " | median s | min–max s | peak heap MiB |");
        System.out.println("|---|---|---|---|");
        System.out.printf(
                Locale.ROOT,
                "| Spark MLlib ALS (baseline) | %.2f | %.2f – %.2f | %d |%n",
                median(sparkSeconds),
                min(sparkSeconds),
                max(sparkSeconds),
                sparkPeak >> 20);
        System.out.printf(
                Locale.ROOT,
                "| Hilal ImplicitAls | %.2f | %.2f – %.2f | %d |%n",
                median(hilalSeconds),
                min(hilalSeconds),
                max(hilalSeconds),
                hilalPeak >> 20);
        System.out.printf(
                Locale.ROOT,
                "| **ratio Hilal / Spark** | **%.3f** | %.3f – %.3f | |%n",
                median(ratios),
                min(ratios),
                max(ratios));
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "| %s, Recall@%d on the split (discovery, %d test customers) | Recall@%d |%n",
                c.name(),
                K,
                customers(train, c.test()),
                K);
        System.out.println("|---|---|");
        System.out.printf(
                Locale.ROOT,
                "| Spark MLlib ALS, regParam %.4f (baseline), mean of seeds %s | %.4f (%s) |%n",
                sparkTrainRegularization,
                Arrays.toString(SEEDS),
                sparkRecall,
                values(sparkRecalls));
        System.out.printf(
                Locale.ROOT,
                "| Spark MLlib ALS, regParam %.4f | %.4f |%n",
                sparkTrainRegularization / 3,
                sparkLower);
        System.out.printf(
                Locale.ROOT,
                "| Spark MLlib ALS, regParam %.4f | %.4f |%n",
                sparkTrainRegularization * 3,
                sparkHigher);
        System.out.printf(
                Locale.ROOT,
                "| Hilal ImplicitAls, lambda %.4f %s, mean of seeds %s | %.4f (%s) |%n",
                c.regularization(),
                c.scaled() ? "count-scaled" : "flat",
                Arrays.toString(SEEDS),
                hilalRecall,
                values(hilalRecalls));
        if (!c.scaled()) {
            System.out.printf(
                    Locale.ROOT,
                    "| Hilal ImplicitAls, scaled lambda %.4f (Spark's regularizer) | %.4f |%n",
                    sparkTrainRegularization,
                    hilalScaledRecall);
        }
        System.out.printf(
                Locale.ROOT,
                "| **ratio Hilal / Spark (baseline)** | **%.3f** (same regularizer: %.3f) |%n",
                hilalRecall / sparkRecall,
                hilalScaledRecall / sparkRecall);
    }

    /**
     * Spark multiplies regParam by each vector's interaction count (ALS-WR). A count-scaled lambda
     * is exactly that and goes to Spark unchanged; a flat lambda is divided by the data's mean
     * count per customer and product, which gives Spark the same total penalty on average.
     */
    static double sparkRegularization(Triples data, Case c) {
        if (c.scaled()) {
            return c.regularization();
        }
        double meanCount = 2.0 * data.size() / (double) (data.users().size() + data.items().size());
        return c.regularization() / meanCount;
    }

    private static String values(double[] values) {
        StringBuilder out = new StringBuilder();
        for (double value : values) {
            out.append(out.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%.4f", value));
        }
        return out.toString();
    }

    private static AlsModel hilal(Triples data, AlsParams params) {
        Interactions.Builder builder = Interactions.builder();
        for (int i = 0; i < data.size(); i++) {
            builder.add(
                    data.users().get(data.user()[i]),
                    data.items().get(data.item()[i]),
                    data.weight()[i]);
        }
        return ImplicitAls.train(builder.build(), params);
    }

    private static AlsModel spark(
            SparkSession spark,
            Triples data,
            double regParam,
            double alpha,
            int blocks,
            long seed) {
        return spark(spark, data, RANK, regParam, alpha, blocks, seed);
    }

    static AlsModel spark(
            SparkSession spark,
            Triples data,
            int rank,
            double regParam,
            double alpha,
            int blocks,
            long seed) {
        List<Row> rows = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            rows.add(RowFactory.create(data.user()[i], data.item()[i], data.weight()[i]));
        }
        StructType schema =
                new StructType()
                        .add("user", DataTypes.IntegerType)
                        .add("item", DataTypes.IntegerType)
                        .add("rating", DataTypes.FloatType);
        Dataset<Row> frame = spark.createDataFrame(rows, schema);
        ALSModel model =
                new ALS()
                        .setRank(rank)
                        .setMaxIter(ITERATIONS)
                        .setRegParam(regParam)
                        .setAlpha(alpha)
                        .setImplicitPrefs(true)
                        .setUserCol("user")
                        .setItemCol("item")
                        .setRatingCol("rating")
                        .setNumUserBlocks(blocks)
                        .setNumItemBlocks(blocks)
                        .setSeed(seed)
                        .fit(frame);
        float[] userFactors = factors(model.userFactors(), data.users().size(), rank);
        float[] itemFactors = factors(model.itemFactors(), data.items().size(), rank);
        return AlsModel.fromFactors(
                data.users(), data.items(), rank, regParam, alpha, true, userFactors, itemFactors);
    }

    private static float[] factors(Dataset<Row> frame, int rows, int rank) {
        float[] factors = new float[rows * rank];
        for (Row row : frame.collectAsList()) {
            int id = row.getInt(0);
            List<Object> features = row.getList(1);
            for (int f = 0; f < rank; f++) {
                factors[id * rank + f] = ((Number) features.get(f)).floatValue();
            }
        }
        return factors;
    }

    /** Discovery Recall@K: full ranking, the customer's training items masked. */
    static double recall(AlsModel model, Triples train, List<Purchase> test) {
        Map<String, Set<String>> relevant = relevant(train, test);
        RankingMetrics metrics = new RankingMetrics(K);
        relevant.forEach(
                (customer, items) -> {
                    List<String> ranked = new ArrayList<>();
                    for (ScoredItem item :
                            model.recommend(customer, K, train.owned().get(customer))) {
                        ranked.add(item.productId());
                    }
                    metrics.add(ranked, items);
                });
        return metrics.recall();
    }

    private static int customers(Triples train, List<Purchase> test) {
        return relevant(train, test).size();
    }

    private static Map<String, Set<String>> relevant(Triples train, List<Purchase> test) {
        Set<String> items = new HashSet<>(train.items());
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        for (Purchase purchase : test) {
            Set<String> owned = train.owned().get(purchase.customerId());
            if (owned != null
                    && items.contains(purchase.productId())
                    && !owned.contains(purchase.productId())) {
                relevant.computeIfAbsent(purchase.customerId(), c -> new HashSet<>())
                        .add(purchase.productId());
            }
        }
        return relevant;
    }

    record Run(double seconds, long peakHeap) {}

    /** Wall time and the peak heap in use during the run, sampled every millisecond. */
    private static Run measure(String label, Supplier<AlsModel> training) {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        Thread sampler =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                peak.accumulateAndGet(
                                        memory.getHeapMemoryUsage().getUsed(), Math::max);
                                try {
                                    Thread.sleep(1);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long started = System.nanoTime();
        AlsModel model = training.get();
        double seconds = (System.nanoTime() - started) / 1e9;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.printf(
                Locale.ROOT,
                "%-14s %7.2f s  peak heap %5d MiB  (%d x %d factors)%n",
                label,
                seconds,
                peak.get() >> 20,
                model.userIds().size(),
                model.factors());
        return new Run(seconds, peak.get());
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

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
