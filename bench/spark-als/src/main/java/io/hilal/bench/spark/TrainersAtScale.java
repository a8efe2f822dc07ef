package io.hilal.bench.spark;

import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.als.Interactions;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.worker.training.spark.SparkAls;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The worker's two ALS trainers at scale, as the product runs them: Hilal's in-JVM {@link
 * ImplicitAls} at its production default (what a tenant below {@code sparkTrainer.minInteractions}
 * gets, without the validation grid) against the Spark trainer ({@link SparkAls}: the driver JVM
 * from spark-trainer/target/lib, at the Spark trainer's default setting) on a standalone cluster of
 * this machine with 2 executors of 1 core, started by this harness. Both fit the same training
 * pairs of {@link SyntheticInteractions} and are scored by the same full-ranking Recall@20 on the
 * same sampled test customers.
 *
 * <p>Memory: for Hilal, the heap the matrices hold after a full GC, and the highest heap in use
 * while training (the sum of the heap pools' peaks: an upper bound, garbage included); for Spark,
 * the highest resident set of the driver JVM and of each executor JVM, sampled every 200 ms from
 * /proc.
 *
 * <p>Setting: by default each trainer at its own production default (in-JVM rank 64, 15 sweeps,
 * flat lambda 30; Spark rank 64, 10 iterations, lambda 30 count-scaled). With {@code --lambda L
 * --alpha A --iterations N} both fit that one setting, lambda count-scaled ({@code L / mean count},
 * the form Spark's ALS-WR uses), as a large tenant's {@code GridSample}-tuned in-JVM training would
 * choose it: the comparison is then engine against engine on the same objective.
 *
 * <p>Spark's event log goes to {@code --event-log DIR} when given (stage timings for reading where
 * Spark's time went).
 *
 * <p>Usage: {@code bench/spark-als/run trainers --data DIR --jars spark-trainer/target/lib
 * [--executor-memory 3g] [--driver-memory 4g] [--sample 5000] [--lambda 10 --alpha 3 --iterations
 * 10] [--event-log DIR] [--skip-in-jvm true]}.
 */
public final class TrainersAtScale {
    private static final int K = 20;

    private TrainersAtScale() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(AlsVsSparkBenchmark.option(args, "--data", "target/synthetic"));
        Path jars = Path.of(AlsVsSparkBenchmark.option(args, "--jars", null)).toAbsolutePath();
        String executorMemory = AlsVsSparkBenchmark.option(args, "--executor-memory", "3g");
        String driverMemory = AlsVsSparkBenchmark.option(args, "--driver-memory", "4g");
        int sample = Integer.parseInt(AlsVsSparkBenchmark.option(args, "--sample", "5000"));
        String lambda = AlsVsSparkBenchmark.option(args, "--lambda", null);
        double alpha = Double.parseDouble(AlsVsSparkBenchmark.option(args, "--alpha", "1"));
        String iterations = AlsVsSparkBenchmark.option(args, "--iterations", null);
        String eventLog = AlsVsSparkBenchmark.option(args, "--event-log", null);
        boolean skipInJvm =
                Boolean.parseBoolean(AlsVsSparkBenchmark.option(args, "--skip-in-jvm", "false"));
        boolean sparkFirst =
                Boolean.parseBoolean(AlsVsSparkBenchmark.option(args, "--spark-first", "false"));

        Log log = Log.read(dir, sample);
        AlsAtScale.Data train = log.train();
        String[] userIds = log.userIds();
        String[] itemIds = log.itemIds();
        Map<Integer, Set<Integer>> truth = log.truth();

        long before = usedAfterGc();
        Interactions data = log.interactions();
        long matrices = usedAfterGc() - before;
        System.out.printf(
                Locale.ROOT,
                "%s: %,d training pairs, %,d customers, %,d products; Java %s, %d processors, max"
                        + " heap %d MiB%n",
                dir,
                data.size(),
                data.userCount(),
                data.itemCount(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        // Hilal in this JVM: the production default on 2 threads, or the one setting given.
        AlsParams hilalParams = AlsParams.defaults().withThreads(2);
        // Spark: the Spark trainer's default (SparkTrainerFactory), or the one setting given.
        AlsParams sparkParams =
                AlsParams.defaults()
                        .withFactors(64)
                        .withIterations(10)
                        .withRegularization(30 / AlsTuning.meanCount(data))
                        .withScaledRegularization(true);
        if (lambda != null) {
            AlsParams same =
                    AlsParams.defaults()
                            .withFactors(64)
                            .withIterations(
                                    Integer.parseInt(iterations == null ? "10" : iterations))
                            .withRegularization(
                                    Double.parseDouble(lambda) / AlsTuning.meanCount(data))
                            .withScaledRegularization(true)
                            .withAlpha(alpha);
            hilalParams = same.withThreads(2);
            sparkParams = same;
        }
        double[] hilal = {Double.NaN, Double.NaN};
        if (!skipInJvm && !sparkFirst) {
            hilal = inJvm(data, hilalParams, matrices, truth, train, userIds, itemIds);
        }

        // Spark through the worker's own SparkAls, on a 2-executor standalone cluster.
        Map<String, String> conf = new java.util.TreeMap<>();
        if (eventLog != null) {
            conf.put("spark.eventLog.enabled", "true");
            conf.put(
                    "spark.eventLog.dir",
                    Files.createDirectories(Path.of(eventLog)).toAbsolutePath().toString());
        }
        Path work = Files.createTempDirectory("trainers-at-scale-");
        try (Cluster cluster = new Cluster(jars, work, 2, executorMemory)) {
            SparkAls spark = cluster.spark(jars, driverMemory, executorMemory, conf, work);
            Rss rss = new Rss();
            Thread sampler = new Thread(rss, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long started = System.nanoTime();
            AlsModel sparkModel = spark.fit(List.of(data), sparkParams).get(0);
            double sparkSeconds = (System.nanoTime() - started) / 1e9;
            rss.stop = true;
            double sparkRecall = AlsAtScale.recall(sparkModel, truth, train, userIds, itemIds);
            sparkModel = null;
            System.out.printf(
                    Locale.ROOT,
                    "Spark 2 executors x 1 core (%s each), driver -Xmx%s, rank %d, %d"
                            + " iterations, regParam %.4f, alpha %s: %.1f s (driver JVM start and"
                            + " file exchange included), Recall@%d %.4f; peak RSS driver %,d MiB,"
                            + " executors %s MiB; executors run with the Vector API: %s%n",
                    executorMemory,
                    driverMemory,
                    sparkParams.factors(),
                    sparkParams.iterations(),
                    sparkParams.regularization(),
                    sparkParams.alpha(),
                    sparkSeconds,
                    K,
                    sparkRecall,
                    rss.driver() >> 20,
                    rss.executors(),
                    rss.vector);
            if (!skipInJvm && sparkFirst) {
                hilal = inJvm(data, hilalParams, matrices, truth, train, userIds, itemIds);
            }
            double hilalSeconds = hilal[0];
            double hilalRecall = hilal[1];
            System.out.printf(
                    Locale.ROOT,
                    "%n| %,d pairs | in-JVM | Spark (2 executors) | Spark / in-JVM |%n"
                            + "|---|---|---|---|%n"
                            + "| wall time | %.1f s | %.1f s | **%.2f** |%n"
                            + "| Recall@20 | %.4f | %.4f | **%.2f** |%n",
                    data.size(),
                    hilalSeconds,
                    sparkSeconds,
                    sparkSeconds / hilalSeconds,
                    hilalRecall,
                    sparkRecall,
                    sparkRecall / hilalRecall);
        }
    }

    /** Hilal's in-JVM fit: seconds and Recall@20, printed with the heap it took. */
    private static double[] inJvm(
            Interactions data,
            AlsParams hilalParams,
            long matrices,
            Map<Integer, Set<Integer>> truth,
            AlsAtScale.Data train,
            String[] userIds,
            String[] itemIds) {
        long base = usedAfterGc();
        resetPeaks();
        long started = System.nanoTime();
        AlsModel hilal = ImplicitAls.train(data, hilalParams);
        double hilalSeconds = (System.nanoTime() - started) / 1e9;
        long hilalPeak = peakHeap();
        double hilalRecall = AlsAtScale.recall(hilal, truth, train, userIds, itemIds);
        System.out.printf(
                Locale.ROOT,
                "Hilal in-JVM %s: %.1f s, Recall@%d %.4f; matrices %,d MiB (%.0f bytes a"
                        + " pair), heap peak while training %,d MiB above the %,d MiB before"
                        + " (%.0f bytes a pair)%n",
                hilalParams,
                hilalSeconds,
                K,
                hilalRecall,
                matrices >> 20,
                (double) matrices / data.size(),
                Math.max(0, hilalPeak - base) >> 20,
                base >> 20,
                (double) (matrices + Math.max(0, hilalPeak - base)) / data.size());
        return new double[] {hilalSeconds, hilalRecall};
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** The highest resident set of the Spark driver and of each executor, from /proc. */
    static final class Rss implements Runnable {
        volatile boolean stop;
        volatile boolean vector;
        private final Map<Long, Long> executors = new ConcurrentHashMap<>();
        private volatile long driver;

        @Override
        public void run() {
            while (!stop) {
                ProcessHandle.allProcesses()
                        .forEach(
                                process -> {
                                    String line = process.info().commandLine().orElse("");
                                    if (line.contains("SparkAlsDriver")) {
                                        driver = Math.max(driver, rss(process.pid()));
                                    } else if (line.contains("CoarseGrainedExecutorBackend")) {
                                        executors.merge(
                                                process.pid(), rss(process.pid()), Math::max);
                                        vector |= line.contains("jdk.incubator.vector");
                                    }
                                });
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long driver() {
            return driver;
        }

        String executors() {
            List<String> each = new ArrayList<>();
            executors.values().forEach(bytes -> each.add(String.format("%,d", bytes >> 20)));
            return String.join(" + ", each);
        }

        private static long rss(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", pid + "", "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone meanwhile
            }
            return 0;
        }
    }

    /** A standalone master and one worker of {@code cores} cores on loopback. */
    /**
     * A generated log ({@code run generate}) as the trainers benches read it: the training pairs,
     * the ids, and the held-out products of a seeded sample of test customers.
     */
    record Log(
            AlsAtScale.Data train,
            String[] userIds,
            String[] itemIds,
            Map<Integer, Set<Integer>> truth) {
        static Log read(Path dir, int sample) throws IOException {
            AlsAtScale.Data train = AlsAtScale.Data.read(dir.resolve("train.tsv"));
            AlsAtScale.Data test = AlsAtScale.Data.read(dir.resolve("test.tsv"));
            return new Log(
                    train,
                    AlsAtScale.ids("c", Math.max(train.users(), test.users())),
                    AlsAtScale.ids("p", Math.max(train.items(), test.items())),
                    AlsAtScale.truth(test, sample, 13L));
        }

        /** The training pairs, each weighing its count. */
        Interactions interactions() {
            Interactions.Builder builder = Interactions.builder();
            for (int i = 0; i < train.size(); i++) {
                builder.add(userIds[train.user()[i]], itemIds[train.item()[i]], train.weight()[i]);
            }
            return builder.build();
        }

        /** Full-ranking Recall@20 of {@code model} over the sampled test customers. */
        double recall(AlsModel model) {
            return AlsAtScale.recall(model, truth, train, userIds, itemIds);
        }
    }

    static final class Cluster implements AutoCloseable {
        final String master;
        private final List<Process> processes = new ArrayList<>();

        /**
         * The worker's own trainer on this cluster's executors, one core each, at most 2, with
         * {@code extra} Spark settings (an event log).
         */
        SparkAls spark(
                Path jars,
                String driverMemory,
                String executorMemory,
                Map<String, String> extra,
                Path work) {
            Map<String, String> conf = new java.util.TreeMap<>(extra);
            conf.putAll(
                    Map.of(
                            "spark.driver.host", "127.0.0.1",
                            "spark.driver.bindAddress", "127.0.0.1",
                            "spark.executor.cores", "1",
                            "spark.cores.max", "2",
                            "spark.executor.memory", executorMemory));
            return new SparkAls(
                    new SparkAls.Driver(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            jars,
                            driverMemory,
                            List.of(),
                            master,
                            conf),
                    work);
        }

        Cluster(Path jars, Path dir, int cores, String executorMemory) throws Exception {
            Path home = Files.createDirectories(dir.resolve("spark-home"));
            Files.createSymbolicLink(home.resolve("jars"), jars);
            int port = freePort();
            int ui = freePort();
            master = "spark://127.0.0.1:" + port;
            start(
                    jars,
                    home,
                    dir,
                    "org.apache.spark.deploy.master.Master",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    port + "",
                    "--webui-port",
                    ui + "");
            long memoryGb = Long.parseLong(executorMemory.replaceAll("[^0-9]", "")) * cores + 1;
            start(
                    jars,
                    home,
                    dir,
                    "org.apache.spark.deploy.worker.Worker",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    freePort() + "",
                    "--webui-port",
                    freePort() + "",
                    "--cores",
                    cores + "",
                    "--memory",
                    memoryGb + "g",
                    "--work-dir",
                    Files.createDirectories(dir.resolve("work")).toString(),
                    master);
            URI json = URI.create("http://127.0.0.1:" + ui + "/json/");
            HttpClient client = HttpClient.newHttpClient();
            for (int waited = 0; ; waited++) {
                try {
                    String body =
                            client.send(
                                            HttpRequest.newBuilder(json).build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body();
                    if (body.contains("\"aliveworkers\" : 1")) {
                        break;
                    }
                } catch (IOException e) {
                    // not up yet
                }
                if (waited > 300) {
                    throw new IllegalStateException("the standalone cluster did not come up");
                }
                Thread.sleep(500);
            }
        }

        private void start(Path jars, Path home, Path dir, String main, String... args)
                throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx512m");
            command.addAll(
                    List.of(
                            "--add-opens=java.base/java.lang=ALL-UNNAMED",
                            "--add-opens=java.base/java.nio=ALL-UNNAMED",
                            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                            "--add-opens=java.base/java.util=ALL-UNNAMED"));
            command.add("-cp");
            command.add(jars + "/*");
            command.add(main);
            command.addAll(List.of(args));
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(
                                    dir.resolve(main.substring(main.lastIndexOf('.') + 1) + ".log")
                                            .toFile());
            builder.environment().put("SPARK_HOME", home.toString());
            builder.environment().put("SPARK_SCALA_VERSION", "2.13");
            builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            processes.add(builder.start());
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        @Override
        public void close() {
            for (int i = processes.size() - 1; i >= 0; i--) {
                Process process = processes.get(i);
                List<ProcessHandle> children = process.descendants().toList();
                process.destroy();
                try {
                    if (!process.waitFor(30, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }
}
