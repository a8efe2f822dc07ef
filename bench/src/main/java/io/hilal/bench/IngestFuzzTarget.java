package io.hilal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The fuzz target of {@link IngestFuzz}. The first byte of an input picks the endpoint ({@code
 * /v1/events}, or one of Segment's eight), the rest is the request body, posted with a valid {@code
 * ingest} key to the real service's Jersey application in memory. A finding is thrown as an {@link
 * AssertionError} and is one of:
 *
 * <ul>
 *   <li>an answer other than 200, 400, 413, 415 or 422 (a 5xx above all);
 *   <li>an error answer that is not problem+json with its status and a {@code code};
 *   <li>an error answer after which the tenant's events or customers changed (a 4xx after a write);
 *   <li>a stored event or customer outside the documented limits ({@link IngestLimits}).
 * </ul>
 */
public final class IngestFuzzTarget {
    static final String[] ROUTES = {
        "/v1/events",
        "/segment/v1/batch",
        "/segment/v1/import",
        "/segment/v1/track",
        "/segment/v1/identify",
        "/segment/v1/page",
        "/segment/v1/screen",
        "/segment/v1/group",
        "/segment/v1/alias"
    };
    private static final Set<Integer> EXPECTED = Set.of(200, 400, 413, 415, 422);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DropwizardTestSupport<HilalConfiguration> app;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String base;
    private static Connection database;
    private static String tenantId;
    private static String bearer;
    private static String basic;
    private static String lastWrite;

    private IngestFuzzTarget() {}

    public static void fuzzerInitialize() throws Exception {
        String url = TestDatabase.newSchema();
        app =
                new DropwizardTestSupport<>(
                        HilalApplication.class,
                        Path.of("config", "service.yml").toAbsolutePath().toString(),
                        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                        ConfigOverride.config("server.adminConnectors[0].port", "0"),
                        ConfigOverride.config("database.url", url),
                        ConfigOverride.config("database.user", TestDatabase.user()),
                        ConfigOverride.config("database.password", TestDatabase.password()),
                        ConfigOverride.config(
                                "mailLinks.secret", "fuzz-link-secret-0123456789abcdef0123456789"),
                        ConfigOverride.config("operatorKey", "fuzz-operator-key"),
                        ConfigOverride.config("rateLimit.enabled", "false"),
                        // A 5xx is a finding; its stack trace in the log is how it is read.
                        ConfigOverride.config("logging.level", "ERROR"));
        app.before();
        Runtime.getRuntime().addShutdownHook(new Thread(app::after));
        String[] tenant = newTenant(app.getLocalPort());
        tenantId = tenant[0];
        bearer = "Bearer " + tenant[1];
        basic =
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString((tenant[1] + ":").getBytes(StandardCharsets.UTF_8));
        base = "http://127.0.0.1:" + app.getLocalPort();
        database = TestDatabase.dataSource(url).getConnection();
        lastWrite = writes();
    }

    public static void fuzzerTestOneInput(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        String route = ROUTES[(input[0] & 0xff) % ROUTES.length];
        byte[] body = java.util.Arrays.copyOfRange(input, 1, input.length);
        Instant started = Instant.now();
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + route))
                                .header(
                                        "Authorization",
                                        route.startsWith("/segment/") ? basic : bearer)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        String answer = response.body();
        if (!EXPECTED.contains(status)) {
            throw new AssertionError(route + " answered " + status + ": " + answer);
        }
        String writes = writes();
        boolean wrote = !writes.equals(lastWrite);
        lastWrite = writes;
        if (status != 200) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode problem = readTree(answer);
            if (!type.startsWith("application/problem+json")
                    || problem == null
                    || problem.path("status").asInt() != status
                    || problem.path("code").asText("").isEmpty()) {
                throw new AssertionError(
                        route
                                + " answered "
                                + status
                                + " without a problem: "
                                + type
                                + " "
                                + answer);
            }
            if (wrote) {
                throw new AssertionError(
                        route + " answered " + status + " after writing: " + answer);
            }
            return;
        }
        List<String> violations = new ArrayList<>();
        if (route.equals("/v1/events")) {
            violations.addAll(acknowledgedButNotStored(readTree(answer)));
        }
        violations.addAll(IngestLimits.events(storedEvents(started)));
        violations.addAll(IngestLimits.customers(storedCustomers(started)));
        if (!violations.isEmpty()) {
            throw new AssertionError(route + " stored " + violations);
        }
    }

    /**
     * Each event the answer calls accepted or duplicate must be stored under exactly the messageId
     * sent: a 200 means committed, and a replay must find it.
     */
    private static List<String> acknowledgedButNotStored(JsonNode answer) throws SQLException {
        List<String> violations = new ArrayList<>();
        if (answer == null) {
            return List.of("an answer that is not JSON");
        }
        for (JsonNode result : answer.path("results")) {
            String status = result.path("status").asText();
            if (!status.equals("accepted") && !status.equals("duplicate")) {
                continue;
            }
            String messageId = result.path("messageId").asText(null);
            try (PreparedStatement statement =
                    database.prepareStatement(
                            "SELECT message_id FROM events WHERE tenant_id = ? AND message_id = ?")) {
                statement.setString(1, tenantId);
                statement.setString(2, messageId);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next() || !rows.getString(1).equals(messageId)) {
                        violations.add(
                                status
                                        + " event "
                                        + IngestLimits.printable(messageId)
                                        + " is not stored under that messageId");
                    }
                }
            }
        }
        return violations;
    }

    /** What the tenant holds, in brief: any write changes it. */
    private static String writes() throws SQLException {
        try (PreparedStatement statement =
                database.prepareStatement(
                        "SELECT (SELECT COUNT(*) FROM events WHERE tenant_id = ?),"
                                + " (SELECT COUNT(*) FROM customers WHERE tenant_id = ?),"
                                + " (SELECT MAX(updated_at) FROM customers WHERE tenant_id = ?)")) {
            for (int i = 1; i <= 3; i++) {
                statement.setString(i, tenantId);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) + " " + rows.getLong(2) + " " + rows.getString(3);
            }
        }
    }

    private static List<IngestLimits.StoredEvent> storedEvents(Instant since) throws SQLException {
        List<IngestLimits.StoredEvent> events = new ArrayList<>();
        try (PreparedStatement statement =
                database.prepareStatement(
                        "SELECT message_id, type, customer_id, anonymous_id, product_id, order_id,"
                                + " occurred_at, received_at, payload,"
                                + " (SELECT COUNT(*) FROM order_lines l WHERE l.tenant_id = e.tenant_id"
                                + "   AND l.message_id = e.message_id),"
                                + " (SELECT COUNT(*) FROM order_lines l WHERE l.tenant_id = e.tenant_id"
                                + "   AND l.message_id = e.message_id AND (l.currency NOT REGEXP"
                                + "   '^[A-Z]{3}$' OR l.unit_price < 0 OR ABS(l.quantity) NOT BETWEEN 1"
                                + "   AND 1000000))"
                                + " FROM events e WHERE tenant_id = ? AND received_at >= ?")) {
            statement.setString(1, tenantId);
            statement.setTimestamp(2, Timestamp.from(since.minusMillis(1)));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(
                            new IngestLimits.StoredEvent(
                                    rows.getString(1),
                                    rows.getString(2),
                                    rows.getString(3),
                                    rows.getString(4),
                                    rows.getString(5),
                                    rows.getString(6),
                                    rows.getTimestamp(7).toInstant(),
                                    rows.getTimestamp(8).toInstant(),
                                    readTree(rows.getString(9)),
                                    rows.getInt(10),
                                    rows.getInt(11)));
                }
            }
        }
        return events;
    }

    private static List<IngestLimits.StoredCustomer> storedCustomers(Instant since)
            throws SQLException {
        List<IngestLimits.StoredCustomer> customers = new ArrayList<>();
        try (PreparedStatement statement =
                database.prepareStatement(
                        "SELECT customer_id, email, time_zone, locale, email_consent"
                                + " FROM customers WHERE tenant_id = ? AND updated_at >= ?")) {
            statement.setString(1, tenantId);
            statement.setTimestamp(2, Timestamp.from(since.minusMillis(1)));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    customers.add(
                            new IngestLimits.StoredCustomer(
                                    rows.getString(1),
                                    rows.getString(2),
                                    rows.getString(3),
                                    rows.getString(4),
                                    rows.getString(5)));
                }
            }
        }
        return customers;
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** A tenant and an ingest key, made through the operator API over real HTTP. */
    private static String[] newTenant(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + port
                                                        + "/v1/operator/tenants"))
                                .header("Authorization", "Bearer fuzz-operator-key")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"fuzz\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode tenant = JSON.readTree(created.body());
        String id = tenant.path("tenantId").asText();
        HttpResponse<String> key =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + port
                                                        + "/v1/operator/tenants/"
                                                        + URLEncoder.encode(
                                                                id, StandardCharsets.UTF_8)
                                                        + "/api-keys"))
                                .header("Authorization", "Bearer fuzz-operator-key")
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"name\": \"fuzz\", \"scopes\": [\"ingest\"]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (key.statusCode() != 201) {
            throw new IllegalStateException("no ingest key: " + key.body());
        }
        return new String[] {id, JSON.readTree(key.body()).path("apiKey").asText()};
    }
}
