package io.hilal.bench;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.core.catalog.CustomerService;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.demo.OnlineRetailImporter;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.jdbi.v3.core.Jdbi;

/**
 * The rows API under load, per MEASURE.md, on the Online Retail demo tenant: (1) open-loop at a
 * constant rate from a client in a JVM of its own ({@link OpenLoopClient}), latency counted from
 * each request's intended send time, no-op and rows interleaved A B A B A B, and (2) saturation
 * throughput of {@code GET /v1/customers/{id}/rows} against the authenticated no-op {@code GET
 * /v1/ping} of the same app, interleaved A B A B. Loopback only; every loop is bounded.
 *
 * <p>Run from the repository root: {@code bench/run RowsBenchmark [RATE SECONDS]}.
 */
public final class RowsBenchmark {
    private static final int CLIENTS = 8;
    private static final int OPEN_LOOP_CONNECTIONS = 32;

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
                        ConfigOverride.config("database.user", TestDatabase.user()),
                        ConfigOverride.config("database.password", TestDatabase.password()),
                        ConfigOverride.config("rateLimit.enabled", "false"),
                        ConfigOverride.config("logging.level", "WARN"));
        app.before();
        try {
            int port = app.getLocalPort();
            // The same lean blocking client as the open-loop generator: one kept-alive connection
            // per closed-loop client, no hand-offs between threads per request.
            CloseableHttpClient http = OpenLoopClient.httpClient(CLIENTS);
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

            // The import and training above left garbage a serving instance does not carry.
            System.gc();
            // Three repetitions of each, interleaved A B A B A B, as MEASURE.md asks.
            Map<String, double[]> p99 = Map.of("ping", new double[3], "rows", new double[3]);
            int errors = 0;
            for (int i = 0; i < 6; i++) {
                String path = i % 2 == 0 ? "ping" : "rows";
                String[] figures =
                        openLoop(port, key, customers, path.equals("rows"), rate, seconds)
                                .split(" ");
                p99.get(path)[i / 2] = Long.parseLong(figures[4]) / 1e3;
                errors += Integer.parseInt(figures[1]);
                System.out.printf(
                        "open loop %-4s at %d req/s for %d s (%s requests, separate client JVM,"
                                + " %d connections): p50 %s ms, p90 %s ms, p99 %s ms, p99.9 %s ms,"
                                + " max %s ms, errors %s (client's own send lateness p99 %s ms)%n",
                        path,
                        rate,
                        seconds,
                        figures[0],
                        OPEN_LOOP_CONNECTIONS,
                        ms(figures[2]),
                        ms(figures[3]),
                        ms(figures[4]),
                        ms(figures[5]),
                        ms(figures[6]),
                        figures[1],
                        ms(figures[7]));
            }
            for (String path : List.of("ping", "rows")) {
                System.out.printf(
                        "open loop %s p99: median %.2f ms (%.2f – %.2f) over 3 runs%n",
                        path,
                        Stats.median(p99.get(path)),
                        Stats.min(p99.get(path)),
                        Stats.max(p99.get(path)));
            }
            System.out.printf("open loop errors in all runs: %d%n", errors);
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

    /**
     * Requests on a fixed schedule from {@link OpenLoopClient} in a JVM of its own (its collections
     * and JIT are not the service's), after a warm-up at the same rate; returns the client's line
     * of figures.
     */
    private static String openLoop(
            int port, String key, List<String> customers, boolean rows, int rate, int seconds)
            throws Exception {
        Path paths = Files.createTempFile("hilal-open-loop", ".txt");
        try {
            Files.write(
                    paths,
                    rows
                            ? customers.stream().map(id -> "/v1/customers/" + id + "/rows").toList()
                            : List.of("/v1/ping"));
            Process client =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Xmx256m",
                                    "-Dtimeline=true",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    OpenLoopClient.class.getName(),
                                    "http://127.0.0.1:" + port,
                                    key,
                                    paths.toString(),
                                    String.valueOf(rate),
                                    "10",
                                    String.valueOf(seconds),
                                    String.valueOf(OPEN_LOOP_CONNECTIONS))
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
            String line = new String(client.getInputStream().readAllBytes()).trim();
            if (!client.waitFor(seconds + 120L, TimeUnit.SECONDS) || client.exitValue() != 0) {
                client.destroyForcibly();
                throw new IllegalStateException("the open-loop client failed: " + line);
            }
            return line;
        } finally {
            Files.deleteIfExists(paths);
        }
    }

    private static double saturate(
            CloseableHttpClient http,
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

    private static int get(CloseableHttpClient http, int port, String key, String path)
            throws Exception {
        return OpenLoopClient.get(http, "http://127.0.0.1:" + port + path, "Bearer " + key);
    }

    private static String ms(String micros) {
        return String.format("%.2f", Long.parseLong(micros) / 1e3);
    }
}
