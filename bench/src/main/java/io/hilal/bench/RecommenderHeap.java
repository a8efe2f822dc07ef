package io.hilal.bench;

import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.HoldoutMetrics;
import io.hilal.core.reco.ModelPriors;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RecommendationTrainer;
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
 * The worker's heap while it trains a tenant's recommender (SCALING.md, "Spark trainer"): the part
 * of a training run that stays in the worker's JVM for every tenant, the Spark trainer's too. The
 * tenant is {@link SparkWorkerHeap}'s seeded one ({@code PAIRS} distinct customer-product pairs,
 * about 1.2 purchase lines a pair); the run is what {@code TrainingService} does for the
 * recommender: load the purchases, measure the priors, train, encode, score the 30-day holdout.
 *
 * <p>First {@code REPEATS} runs without sampling, for the wall time (median, min–max); then one run
 * with a sampler that forces a full collection every {@code SAMPLE_MS} and reads the heap in use
 * after it, so the figure is the live set at its largest (to the sampling resolution), minus the
 * idle live heap before the run. At each new peak it keeps the live-object class histogram's top
 * rows, printed at the end: where the bytes are. The same class runs against the code before and
 * after a change (its API is the same); compare the two runs' figures as a ratio.
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

        long[] millis = new long[repeats + 1];
        String summary = "";
        for (int i = 0; i <= repeats && repeats > 0; i++) {
            long start = System.nanoTime();
            summary = train(trainer, tenant, phase -> {});
            millis[i] = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("run %d%s: %,d ms%n", i, i == 0 ? " (warm-up)" : "", millis[i]);
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
                train(
                        trainer,
                        tenant,
                        next -> {
                            if (next.equals("priors")) {
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
        System.exit(0);
    }

    /**
     * The recommender's part of {@code TrainingService}'s run, telling {@code phases} each step;
     * returns a line describing the model.
     */
    private static String train(
            RecommendationTrainer trainer,
            String tenant,
            java.util.function.Consumer<String> phases) {
        phases.accept("load");
        RecommendationTrainer.TrainingData data = trainer.load(tenant);
        phases.accept("priors");
        ModelPriors priors = trainer.priors(tenant, data);
        phases.accept("train");
        RecommendationModel model = trainer.train(data, priors);
        phases.accept("encode");
        byte[] artifact = model.toBytes();
        phases.accept("holdout");
        String holdout =
                HoldoutMetrics.json(HoldoutMetrics.evaluate(data.purchases(), data.newest()));
        phases.accept("done");
        return String.format(
                "%,d purchases, %,d customers, artifact %,d bytes, sha-256 %s, holdout sha-256 %s",
                data.purchases().size(),
                model.customerCount(),
                artifact.length,
                sha256(artifact),
                sha256(holdout.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
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
