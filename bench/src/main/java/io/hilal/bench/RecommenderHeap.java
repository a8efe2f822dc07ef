package io.hilal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.ModelVersion;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ObjectName;
import org.jdbi.v3.core.Jdbi;

/**
 * The worker's heap, CPU and wall time while it trains a tenant (SCALING.md, "Spark trainer"): one
 * whole {@code TrainingService} run as the worker makes it, step by step (its {@code Observer}
 * names each as the run starts it: load, personal model with its validation grids, holdout metrics,
 * priors, recommender, encode, store). The tenant is {@link SparkWorkerHeap}'s seeded one ({@code
 * PAIRS} distinct customer-product pairs, about 1.2 purchase lines a pair).
 *
 * <p>First {@code REPEATS} runs without sampling, for the wall and process CPU time of each step
 * (after a warm-up run); then one run with a sampler that forces a full collection every {@code
 * SAMPLE_MS} and reads the heap in use after it, so each step's figure is the live set at its
 * largest (to the sampling resolution), minus the idle live heap before the run. At each new peak
 * it keeps the live-object class histogram's top rows, printed at the end: where the bytes are. The
 * same class runs against the code before and after a change (its API is the same); compare the two
 * runs' figures as a ratio.
 *
 * <p>{@code bench/run RecommenderHeap PAIRS [PRODUCTS] [REPEATS] [SAMPLE_MS]}: PRODUCTS defaults to
 * PAIRS / 24 as in {@link SparkWorkerHeap}; REPEATS 0 runs the sampled run alone.
 */
public final class RecommenderHeap {
    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int pairs = Integer.parseInt(args[0]);
        int products = args.length > 1 ? Integer.parseInt(args[1]) : Math.max(24, pairs / 24);
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long sampleMs = args.length > 3 ? Long.parseLong(args[3]) : 500;
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        String tenant =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("recommender-heap", "UTC")
                        .tenant()
                        .tenantId();
        long started = System.nanoTime();
        long lines = SparkWorkerHeap.generate(jdbi, tenant, pairs, products);
        System.out.printf(
                "tenant: %,d pairs, %,d purchase lines, %,d products written in %.1f s%n",
                pairs, lines, products, (System.nanoTime() - started) / 1e9);
        RecommendationTrainer trainer = new RecommendationTrainer(jdbi);
        TenantService tenants = new TenantService(jdbi, Clock.systemUTC());
        ModelStore store = new ModelStore(jdbi, Clock.systemUTC());
        Training training = new Training(trainer, store, tenants, tenant);

        long[] millis = new long[repeats + 1];
        String summary = "";
        for (int i = 0; i <= repeats && repeats > 0; i++) {
            long start = System.nanoTime();
            Steps steps = new Steps();
            summary = training.run(steps::next);
            millis[i] = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("run %d%s: %,d ms%n", i, i == 0 ? " (warm-up)" : "", millis[i]);
            steps.print();
        }
        if (repeats > 0) {
            long[] timed = Arrays.copyOfRange(millis, 1, millis.length);
            Arrays.sort(timed);
            System.out.printf(
                    "wall time over %d runs: median %,d ms (min %,d, max %,d); %s%n",
                    repeats, timed[timed.length / 2], timed[0], timed[timed.length - 1], summary);
        }

        long idle = LiveHeap.now();
        AtomicReference<String> phase = new AtomicReference<>("start");
        long[] peak = {idle};
        long[] histogramAt = {0};
        String[] peakPhase = {"idle"};
        List<String> histogram = new ArrayList<>();
        java.util.Map<String, Long> byPhase = new java.util.concurrent.ConcurrentSkipListMap<>();
        LiveHeap.Sampler sampler =
                LiveHeap.every(
                        sampleMs,
                        live -> {
                            byPhase.merge(phase.get(), live, Math::max);
                            if (live > peak[0]) {
                                peak[0] = live;
                                peakPhase[0] = phase.get();
                                if (live > 1.05 * histogramAt[0]) {
                                    histogramAt[0] = live;
                                    histogram.clear();
                                    histogram.addAll(topClasses(15));
                                }
                            }
                        });
        long[] loaded = {0};
        long sampledStart = System.nanoTime();
        String sampled =
                training.run(
                        next -> {
                            if (loaded[0] == 0
                                    && (next.equals("personal") || next.equals("priors"))) {
                                loaded[0] = LiveHeap.now(); // the training data alone, held
                            }
                            phase.set(next);
                        });
        sampler.close();
        System.out.printf(
                "sampled run (a collection every %d ms): %,d ms; %s%n",
                sampleMs, (System.nanoTime() - sampledStart) / 1_000_000, sampled);
        System.out.printf(
                "live heap: idle %.1f MiB; loaded data held %.1f MiB above idle = %.1f B a line;"
                        + " peak %.1f MiB above idle in %s = %.1f B a line (%.1f B a pair)%n",
                idle / (double) (1 << 20),
                (loaded[0] - idle) / (double) (1 << 20),
                (loaded[0] - idle) / (double) lines,
                (peak[0] - idle) / (double) (1 << 20),
                peakPhase[0],
                (peak[0] - idle) / (double) lines,
                (peak[0] - idle) / (double) pairs);
        byPhase.forEach(
                (name, live) ->
                        System.out.printf(
                                "  phase %-8s peak %.1f MiB above idle = %.1f B a line%n",
                                name,
                                (live - idle) / (double) (1 << 20),
                                (live - idle) / (double) lines));
        System.out.println("live objects at the peak (class histogram, top rows):");
        histogram.forEach(System.out::println);
        System.out.println("holdout metrics stored with the last run's recommender:");
        System.out.println(training.holdout());
        System.exit(0);
    }

    /** Each step's wall and process CPU time in one run (every thread's CPU: ALS trains on 2). */
    private static final class Steps {
        private final java.util.Map<String, long[]> took = new java.util.LinkedHashMap<>();
        private String step;
        private long wall;
        private long cpu;

        void next(String name) {
            long nowWall = System.nanoTime();
            long nowCpu = cpu();
            if (step != null) {
                long[] sum = took.computeIfAbsent(step, s -> new long[2]);
                sum[0] += nowWall - wall;
                sum[1] += nowCpu - cpu;
            }
            step = name;
            wall = nowWall;
            cpu = nowCpu;
        }

        void print() {
            took.forEach(
                    (name, sum) ->
                            System.out.printf(
                                    "  step %-11s wall %,9.1f ms  cpu %,9.1f ms%n",
                                    name, sum[0] / 1e6, sum[1] / 1e6));
        }

        private static long cpu() {
            return ((com.sun.management.OperatingSystemMXBean)
                            ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }

    /** One tenant's training runs through the worker's {@code TrainingService}. */
    private static final class Training {
        private final RecommendationTrainer trainer;
        private final ModelStore store;
        private final TenantService tenants;
        private final String tenant;

        Training(
                RecommendationTrainer trainer,
                ModelStore store,
                TenantService tenants,
                String tenant) {
            this.trainer = trainer;
            this.store = store;
            this.tenants = tenants;
            this.tenant = tenant;
        }

        /**
         * One run, telling {@code steps} each step it starts; returns a line describing the stored
         * recommender.
         */
        String run(java.util.function.Consumer<String> steps) {
            TrainingService.Observer observer =
                    new TrainingService.Observer() {
                        @Override
                        public void trained(
                                String tenantId, java.time.Duration took, boolean succeeded) {}

                        @Override
                        public void step(String tenantId, String step) {
                            steps.accept(step);
                        }
                    };
            int version = new TrainingService(trainer, store, tenants, observer).train(tenant);
            steps.accept("done");
            ModelVersion recommender = recommender(version);
            JsonNode metrics = metrics(recommender);
            return String.format(
                    "recommender v%d: %,d purchases, %,d customers, artifact %,d bytes, holdout"
                            + " sha-256 %s",
                    version,
                    metrics.path("purchases").asLong(),
                    metrics.path("customers").asLong(),
                    metrics.path("artifactBytes").asLong(),
                    sha256(
                            metrics.path("holdout")
                                    .toString()
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }

        /** The newest recommender's stored holdout metrics, indented JSON. */
        String holdout() {
            ModelVersion newest =
                    store.versions(tenant).stream()
                            .filter(v -> v.kind().equals("recommender"))
                            .max(java.util.Comparator.comparingInt(ModelVersion::version))
                            .orElseThrow();
            return metrics(newest).path("holdout").toPrettyString();
        }

        private ModelVersion recommender(int version) {
            return store.versions(tenant).stream()
                    .filter(v -> v.kind().equals("recommender") && v.version() == version)
                    .findFirst()
                    .orElseThrow();
        }

        private static JsonNode metrics(ModelVersion version) {
            try {
                return HilalJson.newMapper().readTree(version.metrics());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The live-object class histogram's header and first {@code rows} rows. */
    private static List<String> topClasses(int rows) {
        try {
            String text =
                    (String)
                            ManagementFactory.getPlatformMBeanServer()
                                    .invoke(
                                            new ObjectName(
                                                    "com.sun.management:type=DiagnosticCommand"),
                                            "gcClassHistogram",
                                            new Object[] {null},
                                            new String[] {String[].class.getName()});
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n")));
            String total = lines.get(lines.size() - 1);
            List<String> top = new ArrayList<>(lines.subList(0, Math.min(rows + 2, lines.size())));
            top.add(total);
            return top;
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        }
    }

    private RecommenderHeap() {}
}
