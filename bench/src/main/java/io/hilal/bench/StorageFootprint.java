package io.hilal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.core.events.EventContext;
import io.hilal.core.events.EventRequest;
import io.hilal.core.events.OrderLine;
import io.hilal.core.json.HilalJson;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What one ingested event costs the database, for SCALING.md: bytes on disk per table (data and
 * indexes, from information_schema after ANALYZE TABLE) and the server's own counters of rows and
 * statements (SHOW GLOBAL STATUS deltas) around the ingest of N orders, then N product views,
 * through the real REST path (100 events a request, one client). Not a speed benchmark and no
 * baseline: it counts, it does not time. The database server serves only this process.
 *
 * <p>Run from the repository root: {@code bench/run StorageFootprint [EVENTS [CUSTOMERS]]}.
 */
public final class StorageFootprint {
    private static final int EVENTS_PER_REQUEST = 100;
    private static final int LINES_PER_ORDER = 3;
    private static final int WARM_UP = 10_000;
    private static final String OPERATOR_KEY = "bench-operator-key";
    private static final ObjectMapper MAPPER = HilalJson.newMapper();
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    static final List<String> COUNTERS =
            List.of(
                    // Rows the storage engine wrote, changed and read (MariaDB 11 has no
                    // Innodb_rows_* in SHOW GLOBAL STATUS; the handler counters are per row).
                    "Innodb_rows_inserted",
                    "Innodb_rows_updated",
                    "Innodb_rows_read",
                    "Handler_write",
                    "Handler_update",
                    "Handler_delete",
                    "Handler_read_key",
                    "Handler_read_next",
                    "Handler_read_rnd_next",
                    "Com_insert",
                    "Com_update",
                    "Com_select",
                    "Com_commit",
                    "Questions",
                    // Redo bytes: MariaDB 10.8+ has no Innodb_os_log_written; the LSN advances by
                    // the bytes of redo written.
                    "Innodb_os_log_written",
                    "Innodb_lsn_current",
                    "Innodb_data_written");

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int customers = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String url = TestDatabase.newSchema();
        DropwizardTestSupport<HilalConfiguration> app =
                new DropwizardTestSupport<>(
                        HilalApplication.class,
                        Path.of("config", "service.yml").toAbsolutePath().toString(),
                        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                        ConfigOverride.config("server.adminConnectors[0].port", "0"),
                        ConfigOverride.config("database.url", url),
                        ConfigOverride.config("database.user", TestDatabase.user()),
                        ConfigOverride.config("database.password", TestDatabase.password()),
                        ConfigOverride.config(
                                "mailLinks.secret", "bench-link-secret-0123456789abcdef0123456789"),
                        ConfigOverride.config("operatorKey", OPERATOR_KEY),
                        ConfigOverride.config("rateLimit.enabled", "false"),
                        ConfigOverride.config("logging.level", "WARN"));
        app.before();
        try {
            Jdbi jdbi = Jdbi.create(TestDatabase.dataSource(url));
            HttpClient http = HttpClient.newHttpClient();
            String key = newTenant(http, app.getLocalPort());
            System.out.printf(
                    "Storage footprint: %,d orders of %d lines, then %,d product views, %,d customers,"
                            + " REST batches of %d%n",
                    events, LINES_PER_ORDER, events, customers, EVENTS_PER_REQUEST);
            // Warm-up on a tenant of its own (not measured): the JIT compiles the ingest path
            // first, so the CPU per event below is a running service's, not a cold one's.
            String warmKey = newTenant(http, app.getLocalPort());
            for (int from = 0; from < WARM_UP; from += EVENTS_PER_REQUEST) {
                List<EventRequest> batch = new ArrayList<>();
                for (int i = from; i < from + EVENTS_PER_REQUEST; i++) {
                    batch.add(i % 2 == 0 ? order(i, customers) : view(i, customers));
                }
                post(
                        http,
                        app.getLocalPort(),
                        warmKey,
                        MAPPER.writeValueAsString(Map.of("events", batch)));
            }
            phase("orders", jdbi, http, app.getLocalPort(), key, events, i -> order(i, customers));
            phase(
                    "product views",
                    jdbi,
                    http,
                    app.getLocalPort(),
                    key,
                    events,
                    i -> view(i, customers));
        } catch (Exception | Error e) {
            // A finally that exits would swallow the failure and end "successfully" mid-run.
            e.printStackTrace();
            app.after();
            System.exit(1);
        }
        app.after();
        System.exit(0);
    }

    private static void phase(
            String name,
            Jdbi jdbi,
            HttpClient http,
            int port,
            String key,
            int count,
            IntFunction<EventRequest> event)
            throws Exception {
        Map<String, Long> sizesBefore = jdbi.withHandle(StorageFootprint::sizes);
        Map<String, Long> countersBefore = jdbi.withHandle(StorageFootprint::counters);
        CpuTime cpuBefore = CpuTime.now();
        long started = System.nanoTime();
        for (int from = 0; from < count; from += EVENTS_PER_REQUEST) {
            List<EventRequest> batch = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + EVENTS_PER_REQUEST); i++) {
                batch.add(event.apply(i));
            }
            post(http, port, key, MAPPER.writeValueAsString(Map.of("events", batch)));
        }
        double seconds = Stats.seconds(started);
        CpuTime cpu = CpuTime.since(cpuBefore);
        Map<String, Long> countersAfter = jdbi.withHandle(StorageFootprint::counters);
        Map<String, Long> sizesAfter = jdbi.withHandle(StorageFootprint::sizes);

        System.out.printf("%n## %s: %,d events%n%n", name, count);
        System.out.println("| table | bytes added | bytes per event |");
        System.out.println("|---|---|---|");
        long total = 0;
        for (var entry : sizesAfter.entrySet()) {
            long added = entry.getValue() - sizesBefore.getOrDefault(entry.getKey(), 0L);
            if (added != 0) {
                total += added;
                System.out.printf(
                        "| %s | %,d | %,.0f |%n", entry.getKey(), added, (double) added / count);
            }
        }
        System.out.printf(
                "| **all tables** | %,d | **%,.0f** |%n%n", total, (double) total / count);
        System.out.printf(
                "%s: %.1f s, %,.0f events/s (one client); CPU per 1,000 events: this JVM (service"
                        + " and client) %.0f ms, database process %.0f ms (database share %.2f)%n%n",
                name,
                seconds,
                count / seconds,
                cpu.jvm() / 1e6 * 1000 / count,
                cpu.database() / 1e6 * 1000 / count,
                (double) cpu.database() / (cpu.jvm() + cpu.database()));
        System.out.println("| server counter (SHOW GLOBAL STATUS) | delta | per event |");
        System.out.println("|---|---|---|");
        for (String counter : countersAfter.keySet()) {
            long delta = countersAfter.get(counter) - countersBefore.get(counter);
            System.out.printf("| %s | %,d | %,.2f |%n", counter, delta, (double) delta / count);
        }
    }

    /** Data plus index bytes per table of this schema, after fresh statistics. */
    private static Map<String, Long> sizes(Handle handle) {
        List<String> tables =
                handle.createQuery(
                                "SELECT table_name FROM information_schema.tables"
                                        + " WHERE table_schema = DATABASE() AND engine = 'InnoDB'")
                        .mapTo(String.class)
                        .list();
        for (String table : tables) {
            handle.createQuery("ANALYZE TABLE `" + table + "`").mapToMap().list();
        }
        Map<String, Long> sizes = new TreeMap<>();
        handle.createQuery(
                        "SELECT table_name, data_length + index_length AS bytes"
                                + " FROM information_schema.tables WHERE table_schema = DATABASE()"
                                + " AND engine = 'InnoDB'")
                .mapToMap()
                .forEach(
                        row ->
                                sizes.put(
                                        (String) row.get("table_name"),
                                        ((Number) row.get("bytes")).longValue()));
        return sizes;
    }

    /** The server's counters named in {@link #COUNTERS} that this server has. */
    static Map<String, Long> counters(Handle handle) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String counter : COUNTERS) {
            handle.createQuery("SHOW GLOBAL STATUS LIKE '" + counter + "'")
                    .map((row, context) -> row.getLong(2))
                    .findOne()
                    .ifPresent(value -> values.put(counter, value));
        }
        return values;
    }

    private static EventRequest order(int i, int customers) {
        List<OrderLine> lines = new ArrayList<>();
        for (int line = 0; line < LINES_PER_ORDER; line++) {
            lines.add(
                    new OrderLine(
                            "p-" + ((i * 7 + line * 13) % 4000),
                            1 + line,
                            new BigDecimal("4.95"),
                            "GBP"));
        }
        return new EventRequest(
                "order-" + i,
                "order_completed",
                "c-" + (i % customers),
                null,
                BASE.plusSeconds(i * 60L),
                "o-" + i,
                lines,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** A browser's product view with a typical context (user agent, session, locale). */
    private static EventRequest view(int i, int customers) {
        return new EventRequest(
                "view-" + i,
                "product_viewed",
                "c-" + ((i * 31) % customers),
                null,
                BASE.plusSeconds(i * 20L),
                null,
                null,
                "p-" + ((i * 17) % 4000),
                null,
                null,
                new EventContext(
                        "desktop",
                        "web",
                        "en-GB",
                        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
                                + " (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
                        "203.0.113." + (i % 250),
                        "s-" + (i / 8),
                        null),
                null,
                null);
    }

    private static String newTenant(HttpClient http, int port) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/v1/operator/tenants"))
                        .header("Authorization", "Bearer " + OPERATOR_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"bench\"}"))
                        .build();
        var json = MAPPER.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        return json.get("apiKey").asText();
    }

    private static void post(HttpClient http, int port, String key, String body) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200
                || MAPPER.readTree(reply.body()).get("accepted").asInt() == 0) {
            throw new IllegalStateException(
                    "ingest failed: " + reply.statusCode() + " " + reply.body());
        }
    }
}
