package io.hilal.bench;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.core.catalog.CustomerService;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.demo.OnlineRetailImporter;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.models.ModelStore;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.jdbi.v3.core.Jdbi;

/**
 * The rows API under load, per MEASURE.md, on the Online Retail demo tenant: (1) open-loop at a
 * constant rate, latency counted from each request's intended send time (HdrHistogram), and (2)
 * saturation throughput of {@code GET /v1/customers/{id}/rows} against the authenticated no-op
 * {@code GET /v1/ping} of the same app, interleaved A B A B. Loopback only; every loop is bounded.
 *
 * <p>Run from the repository root: {@code bench/run RowsBenchmark [RATE SECONDS]}.
 */
public final class RowsBenchmark {
    private static final int CLIENTS = 8;

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        var mapper = HilalJson.newMapper();
        Clock clock = Clock.systemUTC();
        TenantService tenants = new TenantService(jdbi, clock);
        var created = tenants.createTenant("bench", "Europe/London");
        String tenantId = created.tenant().tenantId();
        String key = created.key().apiKey();
        var summary =
                new OnlineRetailImporter(
                                mapper,
                                new EventIngestService(jdbi, mapper, clock),
                                new CustomerService(jdbi, mapper, clock),
                                new ProductService(jdbi, mapper, clock))
                        .importFile(
                                tenantId, Path.of("demo-data", "online-retail.csv.gz"), line -> {});
        // As in production: the worker trains and stores the models (recommender and ALS), the
        // service serves the stored versions.
        new TrainingService(new RecommendationTrainer(jdbi), new ModelStore(jdbi, clock), tenants)
                .train(tenantId);
        List<String> customers =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "SELECT customer_id FROM customers WHERE tenant_id = :t ORDER BY customer_id")
                                        .bind("t", tenantId)
                                        .mapTo(String.class)
                                        .list());

        DropwizardTestSupport<HilalConfiguration> app =
                new DropwizardTestSupport<>(
                        HilalApplication.class,
                        Path.of("config", "service.yml").toAbsolutePath().toString(),
                        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                        ConfigOverride.config("server.adminConnectors[0].port", "0"),
                        ConfigOverride.config("database.url", url),
                        // Campaign links need a secret with an external database; any value will do
                        // here.
                        ConfigOverride.config(
                                "mailLinks.secret", "bench-link-secret-0123456789abcdef0123"),
                        ConfigOverride.config("database.user", "root"),
                        ConfigOverride.config("rateLimit.enabled", "false"),
                        ConfigOverride.config("logging.level", "WARN"));
        app.before();
        try {
            int port = app.getLocalPort();
            HttpClient http =
                    HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
            System.out.printf(
                    "Rows benchmark: Online Retail tenant (%d events, %d customers), %d cores, JVM %s%n",
                    summary.events(),
                    customers.size(),
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            // Warm-up: the first call loads the tenant's stored models; then JIT.
            get(http, port, key, "/v1/customers/" + customers.get(0) + "/rows");
            saturate(http, port, key, customers, true, Duration.ofSeconds(5));
            saturate(http, port, key, customers, false, Duration.ofSeconds(5));

            for (String path : List.of("ping", "rows")) {
                Histogram histogram = new Histogram(60_000_000_000L, 3);
                int errors =
                        openLoop(
                                http,
                                port,
                                key,
                                customers,
                                path.equals("rows"),
                                rate,
                                seconds,
                                histogram);
                System.out.printf(
                        "open loop %-4s at %d req/s for %d s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, errors %d%n",
                        path,
                        rate,
                        seconds,
                        ms(histogram.getValueAtPercentile(50)),
                        ms(histogram.getValueAtPercentile(99)),
                        ms(histogram.getValueAtPercentile(99.9)),
                        ms(histogram.getMaxValue()),
                        errors);
            }
            double[] ping = new double[3];
            double[] rows = new double[3];
            for (int rep = 0; rep < 3; rep++) {
                CpuTime before = CpuTime.now();
                ping[rep] = saturate(http, port, key, customers, false, Duration.ofSeconds(8));
                String pingCpu = perRequest(CpuTime.since(before), ping[rep] * 8);
                before = CpuTime.now();
                rows[rep] = saturate(http, port, key, customers, true, Duration.ofSeconds(8));
                String rowsCpu = perRequest(CpuTime.since(before), rows[rep] * 8);
                System.out.printf(
                        "  rep %d: ping %,.0f req/s (%s), rows %,.0f req/s (%s), ratio %.2f%n",
                        rep + 1, ping[rep], pingCpu, rows[rep], rowsCpu, rows[rep] / ping[rep]);
            }
            double[] ratios = new double[3];
            for (int i = 0; i < 3; i++) {
                ratios[i] = rows[i] / ping[i];
            }
            Arrays.sort(ping);
            Arrays.sort(rows);
            Arrays.sort(ratios);
            System.out.printf(
                    "saturation (%d closed-loop clients): ping median %,.0f req/s, rows median %,.0f req/s, ratio median %.2f (%.2f–%.2f)%n",
                    CLIENTS, ping[1], rows[1], ratios[1], ratios[0], ratios[2]);
            Runtime runtime = Runtime.getRuntime();
            System.gc();
            System.out.printf(
                    "heap in use after the run (service with the tenant's model cached, clients): %d MiB%n",
                    (runtime.totalMemory() - runtime.freeMemory()) >> 20);
        } finally {
            app.after();
            System.exit(0);
        }
    }

    /** Requests issued on a fixed schedule whatever the answers do; latency from the schedule. */
    private static int openLoop(
            HttpClient http,
            int port,
            String key,
            List<String> customers,
            boolean rows,
            int rate,
            int seconds,
            Histogram histogram)
            throws Exception {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        int total = rate * seconds;
        AtomicInteger errors = new AtomicInteger();
        List<CompletableFuture<?>> pending = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            long intended = start + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            String path =
                    rows
                            ? "/v1/customers/" + customers.get(i % customers.size()) + "/rows"
                            : "/v1/ping";
            pending.add(
                    http.sendAsync(request(port, key, path), HttpResponse.BodyHandlers.discarding())
                            .whenComplete(
                                    (response, error) -> {
                                        synchronized (histogram) {
                                            histogram.recordValue(
                                                    Math.max(0, System.nanoTime() - intended));
                                        }
                                        if (error != null || response.statusCode() != 200) {
                                            errors.incrementAndGet();
                                        }
                                    }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .join();
        return errors.get();
    }

    private static double saturate(
            HttpClient http,
            int port,
            String key,
            List<String> customers,
            boolean rows,
            Duration duration)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        AtomicInteger next = new AtomicInteger();
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                futures.add(
                        clients.submit(
                                () -> {
                                    while (System.nanoTime() < end) {
                                        int i = next.getAndIncrement();
                                        String path =
                                                rows
                                                        ? "/v1/customers/"
                                                                + customers.get(
                                                                        i % customers.size())
                                                                + "/rows"
                                                        : "/v1/ping";
                                        if (get(http, port, key, path) == 200) {
                                            done.incrementAndGet();
                                        }
                                    }
                                    return null;
                                }));
            }
            for (var future : futures) {
                future.get();
            }
        } finally {
            clients.shutdownNow();
        }
        return done.get() / (duration.toNanos() / 1e9);
    }

    private static String perRequest(CpuTime used, double requests) {
        return String.format(
                "CPU %.0f µs/req in this JVM + %.0f µs in the database",
                used.jvm() / 1e3 / requests, used.database() / 1e3 / requests);
    }

    private static int get(HttpClient http, int port, String key, String path) throws Exception {
        return http.send(request(port, key, path), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static HttpRequest request(int port, String key, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
