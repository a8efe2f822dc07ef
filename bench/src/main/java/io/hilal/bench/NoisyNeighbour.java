package io.hilal.bench;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.catalog.ProductUpsert;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.jdbi.v3.core.Jdbi;

/**
 * Noisy neighbour (issue 24): tenant B asks for rows open-loop at a constant rate ({@link
 * OpenLoopClient}, its own JVM) alone, then while tenant A floods ingest from closed-loop clients
 * as fast as the service answers and trains a large model in a worker JVM of its own (as a campaign
 * worker on the same machine would), phases interleaved alone / noisy three times. A has the
 * operator's ingest quota; the harness counts A's answers and checks that every 429 carries {@code
 * Retry-After}. Reports B's p99 in each phase and the ratio noisy / alone (goal: at most 2).
 * Loopback only; every loop is bounded in time.
 *
 * <p>Run from the repository root: {@code bench/run NoisyNeighbour [SECONDS RATE A_EVENTS QUOTA
 * FLOODERS [nice]]} (defaults 20 s per phase, 50 req/s, 200,000 events of A, 2,000 events/s, 4
 * clients).
 */
public final class NoisyNeighbour {
    private static final String OPERATOR_KEY = "noisy-neighbour-operator-key";
    private static final int CONNECTIONS = 8;
    private static final int FLOOD_BATCH = 500;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("train")) {
            trainForever(args[1], args[2], args[3], args[4]);
            return;
        }
        ExitOnFailure.install();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int aEvents = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        long quota = args.length > 3 ? Long.parseLong(args[3]) : 2_000;
        int flooders = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        // The worker's OS priority: "nice" runs A's training under nice -n 19, as an operator
        // sharing a machine between the service and a worker would.
        boolean niceWorker = args.length > 5 && args[5].equals("nice");

        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        Clock clock = Clock.systemUTC();
        TenantService tenants = new TenantService(jdbi, clock);
        var a = tenants.createTenant("flooder", "UTC");
        var b = tenants.createTenant("neighbour", "UTC");
        long started = System.nanoTime();
        seed(jdbi, a.tenant().tenantId(), aEvents, 20_000, 3_000, 1);
        seed(jdbi, b.tenant().tenantId(), 40_000, 2_000, 500, 2);
        System.out.printf(
                "seeded A with %,d events, B with 40,000 in %.0f s%n",
                aEvents, Stats.seconds(started));
        started = System.nanoTime();
        new TrainingService(new RecommendationTrainer(jdbi), new ModelStore(jdbi, clock), tenants)
                .train(b.tenant().tenantId());
        System.out.printf("trained B in %.0f s%n", Stats.seconds(started));

        DropwizardTestSupport<HilalConfiguration> app =
                new DropwizardTestSupport<>(
                        HilalApplication.class,
                        Path.of("config", "service.yml").toAbsolutePath().toString(),
                        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                        ConfigOverride.config("server.adminConnectors[0].port", "0"),
                        ConfigOverride.config("database.url", url),
                        ConfigOverride.config(
                                "mailLinks.secret", "bench-link-secret-0123456789abcdef0123"),
                        ConfigOverride.config("database.user", TestDatabase.user()),
                        ConfigOverride.config("database.password", TestDatabase.password()),
                        ConfigOverride.config("operatorKey", OPERATOR_KEY),
                        ConfigOverride.config("logging.level", "WARN"));
        app.before();
        try {
            String base = "http://127.0.0.1:" + app.getLocalPort();
            CloseableHttpClient http = OpenLoopClient.httpClient(flooders + 2);
            int set =
                    send(
                            http,
                            new HttpPut(
                                    base
                                            + "/v1/operator/tenants/"
                                            + a.tenant().tenantId()
                                            + "/quotas"),
                            OPERATOR_KEY,
                            "{\"ingestEventsPerSecond\": " + quota + "}",
                            null);
            if (set != 200) {
                throw new IllegalStateException("setting A's quota answered " + set);
            }
            List<String> customers =
                    jdbi.withHandle(
                            h ->
                                    h.createQuery(
                                                    "SELECT customer_id FROM customers"
                                                            + " WHERE tenant_id = :t")
                                            .bind("t", b.tenant().tenantId())
                                            .mapTo(String.class)
                                            .list());
            Path paths = Files.createTempFile("hilal-noisy", ".txt");
            Files.write(
                    paths, customers.stream().map(id -> "/v1/customers/" + id + "/rows").toList());
            System.out.printf(
                    "Noisy neighbour: B rows open-loop at %d req/s for %d s per phase (%d"
                            + " connections); A floods with %d clients (batches of %d) under a"
                            + " quota of %,d events/s and trains on %,d events in a JVM of its"
                            + " own%s; %d cores, JVM %s%n",
                    rate,
                    seconds,
                    CONNECTIONS,
                    flooders,
                    FLOOD_BATCH,
                    quota,
                    aEvents,
                    niceWorker ? " under nice -n 19" : "",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            double[] alone = new double[3];
            double[] noisy = new double[3];
            for (int rep = 0; rep < 3; rep++) {
                String[] quiet = openLoop(base, b.key().apiKey(), paths, rate, seconds);
                alone[rep] = Long.parseLong(quiet[4]) / 1e3;
                Flood flood = new Flood(http, base, a.key().apiKey(), flooders);
                Process trainer = trainer(url, a.tenant().tenantId(), niceWorker);
                String[] loud;
                try {
                    loud = openLoop(base, b.key().apiKey(), paths, rate, seconds);
                } finally {
                    flood.stop();
                    trainer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                noisy[rep] = Long.parseLong(loud[4]) / 1e3;
                System.out.printf(
                        "  rep %d: B alone p50 %.2f ms p99 %.2f ms (errors %s); with A p50 %.2f ms"
                                + " p99 %.2f ms (errors %s); ratio p99 %.2f; A: %,d batches"
                                + " accepted (%,.0f events/s), %,d answered 429 (%,d with"
                                + " Retry-After), %,d other%n",
                        rep + 1,
                        Long.parseLong(quiet[2]) / 1e3,
                        alone[rep],
                        quiet[1],
                        Long.parseLong(loud[2]) / 1e3,
                        noisy[rep],
                        loud[1],
                        noisy[rep] / alone[rep],
                        flood.accepted.get(),
                        flood.accepted.get() * FLOOD_BATCH / flood.seconds(),
                        flood.limited.get(),
                        flood.retryAfter.get(),
                        flood.other.get());
            }
            double[] ratios = new double[3];
            for (int i = 0; i < 3; i++) {
                ratios[i] = noisy[i] / alone[i];
            }
            System.out.printf(
                    "B p99 alone: median %.2f ms (%.2f – %.2f); with A: median %.2f ms (%.2f –"
                            + " %.2f); ratio median %.2f (%.2f – %.2f), goal ≤ 2%n",
                    Stats.median(alone),
                    Stats.min(alone),
                    Stats.max(alone),
                    Stats.median(noisy),
                    Stats.min(noisy),
                    Stats.max(noisy),
                    Stats.median(ratios),
                    Stats.min(ratios),
                    Stats.max(ratios));
            Files.deleteIfExists(paths);
        } finally {
            app.after();
            System.exit(0);
        }
    }

    /**
     * {@code events} orders of one line each over {@code customers} and {@code products}, spread
     * over the last year, through the ingest service (no quota in the way).
     */
    private static void seed(
            Jdbi jdbi, String tenantId, int events, int customers, int products, long seed) {
        var mapper = HilalJson.newMapper();
        Clock clock = Clock.systemUTC();
        ProductService catalog = new ProductService(jdbi, mapper, clock);
        for (int p = 0; p < products; p++) {
            catalog.upsert(
                    tenantId,
                    new ProductUpsert(
                            "p-" + p,
                            "Product " + p,
                            List.of("c-" + (p % 20)),
                            BigDecimal.valueOf(5 + p % 50),
                            "GBP",
                            true,
                            100,
                            false,
                            null,
                            null,
                            null));
        }
        EventIngestService ingest = new EventIngestService(jdbi, mapper, clock);
        Random random = new Random(seed);
        Instant now = clock.instant();
        for (int from = 0; from < events; from += 1_000) {
            List<com.fasterxml.jackson.databind.JsonNode> batch = new ArrayList<>();
            for (int i = from; i < Math.min(events, from + 1_000); i++) {
                // Skewed popularity, as real catalogs are.
                int product = (int) (products * Math.pow(random.nextDouble(), 2.5));
                var event = mapper.createObjectNode();
                event.put("messageId", "seed-" + i);
                event.put("type", "order_completed");
                event.put("customerId", "u-" + random.nextInt(customers));
                event.put("orderId", "o-" + i);
                event.put("timestamp", now.minusSeconds(random.nextInt(365 * 86_400)).toString());
                var line = event.putArray("lines").addObject();
                line.put("productId", "p-" + product);
                line.put("quantity", 1);
                line.put("unitPrice", 10);
                line.put("currency", "GBP");
                batch.add(event);
            }
            ingest.ingest(tenantId, batch);
        }
    }

    /** A's training, over and over, in a JVM of its own as a campaign worker's would be. */
    private static Process trainer(String url, String tenantId, boolean nice) throws Exception {
        List<String> command = new ArrayList<>();
        if (nice) {
            command.addAll(List.of("nice", "-n", "19"));
        }
        command.addAll(
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx1g",
                        "-cp",
                        System.getProperty("java.class.path"),
                        NoisyNeighbour.class.getName(),
                        "train",
                        url,
                        TestDatabase.user(),
                        TestDatabase.password(),
                        tenantId));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static void trainForever(String url, String user, String password, String tenantId) {
        MysqlDataSource source = new MysqlDataSource();
        source.setURL(url);
        source.setUser(user);
        source.setPassword(password);
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(source));
        Clock clock = Clock.systemUTC();
        TrainingService training =
                new TrainingService(
                        new RecommendationTrainer(jdbi),
                        new ModelStore(jdbi, clock),
                        new TenantService(jdbi, clock));
        // Killed by the harness at the end of the phase; bounded by it.
        for (int run = 0; run < 1_000; run++) {
            training.train(tenantId);
        }
    }

    private static String[] openLoop(String base, String key, Path paths, int rate, int seconds)
            throws Exception {
        Process client =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx256m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                OpenLoopClient.class.getName(),
                                base,
                                key,
                                paths.toString(),
                                String.valueOf(rate),
                                "5",
                                String.valueOf(seconds),
                                String.valueOf(CONNECTIONS))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        String line = new String(client.getInputStream().readAllBytes()).trim();
        if (!client.waitFor(seconds + 120L, TimeUnit.SECONDS) || client.exitValue() != 0) {
            client.destroyForcibly();
            throw new IllegalStateException("the open-loop client failed: " + line);
        }
        return line.split(" ");
    }

    private static int send(
            CloseableHttpClient http,
            org.apache.hc.client5.http.classic.methods.HttpUriRequestBase request,
            String key,
            String body,
            AtomicBoolean retryAfter)
            throws Exception {
        request.setHeader("Authorization", "Bearer " + key);
        request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        return http.execute(
                request,
                response -> {
                    EntityUtils.consume(response.getEntity());
                    if (retryAfter != null) {
                        retryAfter.set(response.getFirstHeader("Retry-After") != null);
                    }
                    return response.getCode();
                });
    }

    /** A's closed-loop clients, each posting batches of new events as fast as it is answered. */
    private static final class Flood {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong limited = new AtomicLong();
        final AtomicLong retryAfter = new AtomicLong();
        final AtomicLong other = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService clients;
        private final List<Future<?>> futures = new ArrayList<>();
        private final long started = System.nanoTime();
        private long stopped;
        private static final AtomicLong NEXT = new AtomicLong();

        Flood(CloseableHttpClient http, String base, String key, int threads) {
            clients = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                futures.add(
                        clients.submit(
                                () -> {
                                    AtomicBoolean hasRetryAfter = new AtomicBoolean();
                                    while (running.get()) {
                                        int code =
                                                send(
                                                        http,
                                                        new HttpPost(base + "/v1/events"),
                                                        key,
                                                        batch(NEXT.getAndIncrement()),
                                                        hasRetryAfter);
                                        if (code == 200) {
                                            accepted.incrementAndGet();
                                        } else if (code == 429) {
                                            limited.incrementAndGet();
                                            if (hasRetryAfter.get()) {
                                                retryAfter.incrementAndGet();
                                            }
                                        } else {
                                            other.incrementAndGet();
                                        }
                                    }
                                    return null;
                                }));
            }
        }

        private static String batch(long number) {
            StringBuilder json = new StringBuilder("{\"events\": [");
            for (int i = 0; i < FLOOD_BATCH; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append("{\"messageId\": \"flood-")
                        .append(number)
                        .append('-')
                        .append(i)
                        .append("\", \"type\": \"product_viewed\", \"customerId\": \"u-")
                        .append(i % 1000)
                        .append("\", \"productId\": \"p-")
                        .append(i % 300)
                        .append("\"}");
            }
            return json.append("]}").toString();
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            stopped = System.nanoTime();
            clients.shutdown();
        }

        double seconds() {
            return (stopped - started) / 1e9;
        }
    }
}
