package io.hilal.bench;

import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.LargeTenantTraining;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.training.spark.SparkAls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The campaign worker's heap while it trains a tenant on the Spark trainer (SCALING.md, "Spark
 * trainer"): a seeded tenant of {@code PAIRS} distinct customer-product pairs (12 products a
 * customer on average, a long-tailed catalog of PAIRS / 24 products, a fifth of the pairs bought
 * twice) is written to order_lines, then {@code TrainingService.train} runs it with the Spark
 * trainer on {@code local[2]} (threshold PAIRS / 2), as the worker does. A sampler forces a full
 * collection every {@code SAMPLE_MS} and reads the heap in use after it, so the figure is the live
 * set (not garbage) at its largest, to the sampling resolution; the idle worker's live heap before
 * training is subtracted. Spark's driver is a JVM of its own and not counted: the point is the
 * worker's heap. The same class runs against the code before and after a change (its API is the
 * same); compare the two runs' figures as a ratio.
 *
 * <p>{@code bench/run SparkWorkerHeap PAIRS JARS [ITERATIONS] [SAMPLE_MS]}; JARS is
 * spark-trainer/target/lib. ITERATIONS (default 2) only shortens Spark's fit: the worker's heap
 * does not depend on it.
 */
public final class SparkWorkerHeap {
    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int pairs = Integer.parseInt(args[0]);
        Path jars = Path.of(args[1]);
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        long sampleMs = args.length > 3 ? Long.parseLong(args[3]) : 250;
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        Clock clock = Clock.systemUTC();
        String tenant =
                new TenantService(jdbi, clock)
                        .createTenant("spark-heap", "UTC")
                        .tenant()
                        .tenantId();
        long started = System.nanoTime();
        long lines = generate(jdbi, tenant, pairs);
        System.out.printf(
                "tenant: %,d pairs, %,d purchase lines written in %.1f s%n",
                pairs, lines, (System.nanoTime() - started) / 1e9);

        Path work = Files.createTempDirectory("spark-worker-heap-");
        SparkAls spark =
                new SparkAls(
                        new SparkAls.Driver(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                jars,
                                "3g",
                                List.of(),
                                "local[2]",
                                Map.of()),
                        work);
        AlsParams params =
                AlsParams.defaults()
                        .withFactors(64)
                        .withIterations(iterations)
                        .withRegularization(30)
                        .withAlpha(1);
        TrainingService training =
                new TrainingService(
                        new RecommendationTrainer(jdbi),
                        new ModelStore(jdbi, clock),
                        new TenantService(jdbi, clock),
                        TrainingService.Observer.NONE,
                        Optional.of(new LargeTenantTraining(pairs / 2, spark, params)));

        long idle = LiveHeap.now();
        AtomicLong peak = new AtomicLong(idle);
        AtomicLong peakAt = new AtomicLong();
        long trainStart = System.nanoTime();
        long[] lastPrinted = {-1};
        LiveHeap.Sampler sampler =
                LiveHeap.every(
                        sampleMs,
                        live -> {
                            long second = (System.nanoTime() - trainStart) / 1_000_000_000L;
                            if (live > peak.get()) {
                                peak.set(live);
                                peakAt.set(second);
                            }
                            if (second / 5 != lastPrinted[0]) {
                                lastPrinted[0] = second / 5;
                                System.out.printf(
                                        "  t=%4d s live heap %,7.1f MiB%n",
                                        second, live / (double) (1 << 20));
                            }
                        });
        int version = training.train(tenant);
        sampler.close();
        long took = (System.nanoTime() - trainStart) / 1_000_000;
        String params0 =
                new ModelStore(jdbi, clock)
                        .active(tenant).stream()
                                .filter(v -> v.kind().equals(TrainingService.ALS_KIND))
                                .findFirst()
                                .map(v -> v.params())
                                .orElse("no ALS version");
        System.out.printf(
                "trained v%d in %,d ms; ALS version params %s%n"
                        + "worker heap: idle live %.1f MiB, peak live %.1f MiB at t=%d s;"
                        + " training's peak above idle %.1f MiB = %.1f B a pair (%.1f B a line)%n",
                version,
                took,
                params0,
                idle / (double) (1 << 20),
                peak.get() / (double) (1 << 20),
                peakAt.get(),
                (peak.get() - idle) / (double) (1 << 20),
                (peak.get() - idle) / (double) pairs,
                (peak.get() - idle) / (double) lines);
        System.exit(0);
    }

    /**
     * Writes the tenant's purchase lines: customers of about 12 products each, drawn from a catalog
     * whose popularity falls off as 1/rank, a fifth of the pairs bought again later ({@link
     * RecommenderHeap} writes the same tenant).
     */
    static long generate(Jdbi jdbi, String tenant, int pairs) {
        return generate(jdbi, tenant, pairs, Math.max(24, pairs / 24));
    }

    /** As above, over a catalog of {@code products}. */
    static long generate(Jdbi jdbi, String tenant, int pairs, int products) {
        Random random = new Random(20261207);
        double harmonic = Math.log(products) + 0.5772;
        Instant start = Instant.parse("2025-12-01T00:00:00Z");
        long[] lines = {0};
        jdbi.useHandle(
                handle -> {
                    PreparedBatch batch =
                            handle.prepareBatch(
                                    "INSERT INTO order_lines (tenant_id, message_id, line_no,"
                                            + " customer_id, order_id, product_id, quantity,"
                                            + " unit_price, currency, occurred_at) VALUES"
                                            + " (:tenant, :message, 1, :customer, :message,"
                                            + " :product, 1, 9.5, 'SAR', :at)");
                    int written = 0;
                    for (int customer = 0; written < pairs; customer++) {
                        java.util.Set<Integer> own = new java.util.HashSet<>();
                        int want = Math.min(pairs - written, 1 + random.nextInt(23));
                        while (own.size() < want) {
                            // 1/rank popularity: rank = exp(u * H) roughly
                            int product =
                                    (int)
                                            Math.min(
                                                    products - 1,
                                                    Math.floor(
                                                            Math.exp(random.nextDouble() * harmonic)
                                                                    - 1));
                            own.add(product);
                        }
                        for (int product : own) {
                            int times = random.nextInt(5) == 0 ? 2 : 1;
                            for (int time = 0; time < times; time++) {
                                String message = "m" + lines[0]++;
                                batch.bind("tenant", tenant)
                                        .bind("message", message)
                                        .bind("customer", String.format("cust-%07d", customer))
                                        .bind("product", String.format("sku-%06d", product))
                                        .bind(
                                                "at",
                                                start.plus(
                                                        random.nextInt(365 * 24), ChronoUnit.HOURS))
                                        .add();
                                if (batch.size() == 5_000) {
                                    batch.execute();
                                }
                            }
                        }
                        written += own.size();
                    }
                    batch.execute();
                });
        return lines[0];
    }

    private SparkWorkerHeap() {}
}
