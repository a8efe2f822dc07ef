package io.hilal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.core.events.EventRequest;
import io.hilal.core.events.OrderLine;
import io.hilal.core.json.HilalJson;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * REST batch ingest against its ceiling, per MEASURE.md: the same events, same tables, same driver
 * and database, 4 concurrent clients each, interleaved A B A B. REST posts 100 events a request
 * with auth, validation and dedupe on; the baseline inserts pre-built rows with raw JDBC in batches
 * of 1,000. Each repetition writes into a fresh tenant. Afterwards one REST batch is replayed to
 * show that it inserts no row.
 *
 * <p>Run from the repository root: {@code bench/run IngestBenchmark [EVENTS REPS]}.
 */
public final class IngestBenchmark {
    private static final int CLIENTS = 4;
    private static final int EVENTS_PER_REQUEST = 100;
    private static final int ROWS_PER_JDBC_BATCH = 1000;
    private static final String OPERATOR_KEY = "bench-operator-key";
    private static final ObjectMapper MAPPER = HilalJson.newMapper();

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String url = TestDatabase.newSchema();
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
                        ConfigOverride.config(
                                "mailLinks.secret", "bench-link-secret-0123456789abcdef0123456789"),
                        ConfigOverride.config("operatorKey", OPERATOR_KEY),
                        ConfigOverride.config("rateLimit.enabled", "false"),
                        ConfigOverride.config("logging.level", "WARN"));
        app.before();
        try {
            run(app.getLocalPort(), TestDatabase.dataSource(url), events, reps);
        } finally {
            app.after();
            System.exit(0);
        }
    }

    private static void run(int port, DataSource dataSource, int eventCount, int reps)
            throws Exception {
        List<EventRequest> events = events(eventCount);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        System.out.printf(
                "Ingest benchmark: %d events (orders with 3 lines), %d clients, %d repetitions after a warm-up%n",
                eventCount, CLIENTS, reps);
        System.out.printf(
                "JVM %s, %d cores, max heap %d MiB%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        // Warm-up of both paths, not counted.
        rest(http, port, newTenant(http, port), events.subList(0, Math.min(5_000, eventCount)));
        jdbc(dataSource, newTenant(http, port)[0], events.subList(0, Math.min(5_000, eventCount)));

        double[] restRates = new double[reps];
        double[] jdbcRates = new double[reps];
        String[] lastTenant = null;
        for (int rep = 0; rep < reps; rep++) {
            String[] jdbcTenant = newTenant(http, port);
            long started = System.nanoTime();
            jdbc(dataSource, jdbcTenant[0], events);
            jdbcRates[rep] = eventCount / seconds(started);

            String[] restTenant = newTenant(http, port);
            started = System.nanoTime();
            rest(http, port, restTenant, events);
            restRates[rep] = eventCount / seconds(started);
            lastTenant = restTenant;
            System.out.printf(
                    "  rep %d: raw JDBC %,.0f events/s, REST %,.0f events/s, ratio %.2f%n",
                    rep + 1, jdbcRates[rep], restRates[rep], restRates[rep] / jdbcRates[rep]);
        }
        long before = count(dataSource, lastTenant[0]);
        AtomicInteger duplicates = new AtomicInteger();
        for (int from = 0; from < Math.min(1_000, eventCount); from += EVENTS_PER_REQUEST) {
            String body = body(events.subList(from, from + EVENTS_PER_REQUEST));
            HttpResponse<String> reply = post(http, port, lastTenant[1], body);
            duplicates.addAndGet(MAPPER.readTree(reply.body()).get("duplicates").asInt());
        }
        long after = count(dataSource, lastTenant[0]);

        double[] ratios = new double[reps];
        for (int i = 0; i < reps; i++) {
            ratios[i] = restRates[i] / jdbcRates[i];
        }
        System.out.println();
        System.out.println("| path | median events/s | min–max events/s |");
        System.out.println("|---|---|---|");
        System.out.printf(
                "| raw JDBC batched insert (baseline) | %,.0f | %,.0f – %,.0f |%n",
                median(jdbcRates), min(jdbcRates), max(jdbcRates));
        System.out.printf(
                "| REST `POST /v1/events` | %,.0f | %,.0f – %,.0f |%n",
                median(restRates), min(restRates), max(restRates));
        System.out.printf(
                "| **ratio REST / raw JDBC** | **%.2f** | %.2f – %.2f |%n",
                median(ratios), min(ratios), max(ratios));
        System.out.printf(
                "Replay of 1,000 ingested events: %d answered duplicate, rows inserted: %d%n",
                duplicates.get(), after - before);
        System.out.printf("Peak heap of this process (service + clients): %d MiB%n", peakHeapMiB());
    }

    private static List<EventRequest> events(int count) {
        List<EventRequest> events = new ArrayList<>(count);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            List<OrderLine> lines = new ArrayList<>();
            for (int line = 0; line < 3; line++) {
                lines.add(
                        new OrderLine(
                                "p-" + ((i * 7 + line * 13) % 4000),
                                1 + line,
                                new BigDecimal("4.95"),
                                "GBP"));
            }
            events.add(
                    new EventRequest(
                            "bench-" + i,
                            "order_completed",
                            "c-" + (i % 4000),
                            null,
                            base.plusSeconds(i * 60L),
                            "o-" + i,
                            lines,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null));
        }
        return events;
    }

    private static String[] newTenant(HttpClient http, int port) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/v1/operator/tenants"))
                        .header("Authorization", "Bearer " + OPERATOR_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"bench\"}"))
                        .build();
        var json = MAPPER.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        return new String[] {json.get("tenantId").asText(), json.get("apiKey").asText()};
    }

    private static String body(List<EventRequest> events) throws Exception {
        return MAPPER.writeValueAsString(java.util.Map.of("events", events));
    }

    private static HttpResponse<String> post(HttpClient http, int port, String key, String body)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException(
                    "ingest failed: " + reply.statusCode() + " " + reply.body());
        }
        return reply;
    }

    /** 4 clients, each posting its share of pre-built 100-event bodies. */
    private static void rest(HttpClient http, int port, String[] tenant, List<EventRequest> events)
            throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < events.size(); from += EVENTS_PER_REQUEST) {
            bodies.add(
                    body(events.subList(from, Math.min(events.size(), from + EVENTS_PER_REQUEST))));
        }
        parallel(
                bodies.size(),
                index -> {
                    var reply = post(http, port, tenant[1], bodies.get(index));
                    if (MAPPER.readTree(reply.body()).get("accepted").asInt() == 0) {
                        throw new IllegalStateException("nothing accepted");
                    }
                });
    }

    /** The ceiling: pre-built rows into the same tables, 4 connections, batches of 1,000 rows. */
    private static void jdbc(DataSource dataSource, String tenantId, List<EventRequest> events)
            throws Exception {
        List<List<EventRequest>> chunks = new ArrayList<>();
        for (int from = 0; from < events.size(); from += ROWS_PER_JDBC_BATCH) {
            chunks.add(events.subList(from, Math.min(events.size(), from + ROWS_PER_JDBC_BATCH)));
        }
        Timestamp now = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC));
        parallel(
                chunks.size(),
                index -> {
                    try (Connection connection = dataSource.getConnection()) {
                        connection.setAutoCommit(false);
                        try (PreparedStatement customers =
                                        connection.prepareStatement(
                                                "INSERT INTO customers (tenant_id, customer_id, created_at, updated_at) VALUES (?, ?, ?, ?)"
                                                        + " ON DUPLICATE KEY UPDATE customer_id = customer_id");
                                PreparedStatement insertEvents =
                                        connection.prepareStatement(
                                                "INSERT INTO events (tenant_id, message_id, type, customer_id, anonymous_id, product_id,"
                                                        + " order_id, occurred_at, received_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                                PreparedStatement insertLines =
                                        connection.prepareStatement(
                                                "INSERT INTO order_lines (tenant_id, message_id, line_no, customer_id, order_id, product_id,"
                                                        + " quantity, unit_price, currency, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                            java.util.TreeSet<String> customerIds = new java.util.TreeSet<>();
                            for (EventRequest event : chunks.get(index)) {
                                customerIds.add(event.customerId());
                                Timestamp at =
                                        Timestamp.valueOf(
                                                LocalDateTime.ofInstant(
                                                        event.timestamp(), ZoneOffset.UTC));
                                insertEvents.setString(1, tenantId);
                                insertEvents.setString(2, event.messageId());
                                insertEvents.setString(3, event.type());
                                insertEvents.setString(4, event.customerId());
                                insertEvents.setString(5, null);
                                insertEvents.setString(6, null);
                                insertEvents.setString(7, event.orderId());
                                insertEvents.setTimestamp(8, at);
                                insertEvents.setTimestamp(9, now);
                                insertEvents.setString(10, MAPPER.writeValueAsString(event));
                                insertEvents.addBatch();
                                int lineNo = 0;
                                for (OrderLine line : event.lines()) {
                                    insertLines.setString(1, tenantId);
                                    insertLines.setString(2, event.messageId());
                                    insertLines.setInt(3, lineNo++);
                                    insertLines.setString(4, event.customerId());
                                    insertLines.setString(5, event.orderId());
                                    insertLines.setString(6, line.productId());
                                    insertLines.setInt(7, line.quantity());
                                    insertLines.setBigDecimal(8, line.unitPrice());
                                    insertLines.setString(9, line.currency());
                                    insertLines.setTimestamp(10, at);
                                    insertLines.addBatch();
                                }
                            }
                            for (String customerId : customerIds) {
                                customers.setString(1, tenantId);
                                customers.setString(2, customerId);
                                customers.setTimestamp(3, now);
                                customers.setTimestamp(4, now);
                                customers.addBatch();
                            }
                            customers.executeBatch();
                            insertEvents.executeBatch();
                            insertLines.executeBatch();
                            connection.commit();
                        }
                    }
                });
    }

    private interface Task {
        void run(int index) throws Exception;
    }

    private static void parallel(int tasks, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                workers.add(
                        pool.submit(
                                () -> {
                                    for (int index = next.getAndIncrement();
                                            index < tasks;
                                            index = next.getAndIncrement()) {
                                        task.run(index);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long count(DataSource dataSource, String tenantId) {
        return Jdbi.create(dataSource)
                .withHandle(
                        h ->
                                h.createQuery("SELECT COUNT(*) FROM events WHERE tenant_id = :t")
                                        .bind("t", tenantId)
                                        .mapTo(Long.class)
                                        .one());
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    private static long peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }
}
