package io.hilal.core.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hilal.core.api.BatchItemResult;
import io.hilal.core.catalog.CustomerService;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.events.IngestResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Loads the UCI Online Retail CSV into a tenant through the same services the API's batch endpoints
 * use. Invoices become {@code order_completed} events, cancellations ({@code C...}) become {@code
 * order_refunded}; rows without a customer are skipped (nobody to personalize for); postage, fees
 * and similar codes become hidden products so they are never recommended.
 */
public final class OnlineRetailImporter {
    /** Stock codes that are charges or adjustments, not things a customer would want again. */
    static final Set<String> NON_PRODUCT_CODES =
            Set.of(
                    "POST",
                    "D",
                    "C2",
                    "DOT",
                    "M",
                    "m",
                    "BANK CHARGES",
                    "S",
                    "AMAZONFEE",
                    "PADS",
                    "B",
                    "CRUK");

    private static final ZoneId SHOP_ZONE = ZoneId.of("Europe/London");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int EVENTS_PER_BATCH = 500;

    /** Keeps each event well under the 32 KB event limit; bigger invoices become several events. */
    private static final int LINES_PER_EVENT = 200;

    private final ObjectMapper mapper;
    private final EventIngestService events;
    private final CustomerService customers;
    private final ProductService products;

    public OnlineRetailImporter(
            ObjectMapper mapper,
            EventIngestService events,
            CustomerService customers,
            ProductService products) {
        this.mapper = mapper;
        this.events = events;
        this.customers = customers;
        this.products = products;
    }

    public record Summary(
            long rows,
            long skippedRows,
            long products,
            long customers,
            long events,
            long accepted,
            long duplicates,
            long rejected,
            long millis) {}

    public Summary importFile(String tenantId, Path file, Consumer<String> progress)
            throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in =
                    file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            return importStream(tenantId, in, progress);
        }
    }

    public Summary importStream(String tenantId, InputStream in, Consumer<String> progress)
            throws IOException {
        long started = System.nanoTime();
        Map<String, ObjectNode> productNodes = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> titles = new HashMap<>();
        Map<String, String> countries = new LinkedHashMap<>();
        // Keyed by invoice: a few invoices' lines are not contiguous in the file.
        Map<String, Invoice> invoices = new LinkedHashMap<>();
        long rows = 0;
        long skipped = 0;
        CSVFormat format =
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (CSVRecord record : format.parse(reader)) {
                rows++;
                String invoiceNo = record.get("InvoiceNo");
                String code = record.get("StockCode").strip();
                String customer = customerId(record.get("CustomerID"));
                BigDecimal price = new BigDecimal(record.get("UnitPrice"));
                int quantity = Integer.parseInt(record.get("Quantity"));
                product(productNodes, titles, code, record.get("Description"), price);
                boolean refund = invoiceNo.startsWith("C");
                if (customer == null
                        || invoiceNo.startsWith("A")
                        || price.signum() < 0
                        || quantity == 0
                        || (!refund && quantity < 0)) {
                    skipped++;
                    continue;
                }
                countries.put(customer, record.get("Country"));
                String date = record.get("InvoiceDate");
                invoices.computeIfAbsent(invoiceNo, no -> new Invoice(no, customer, date, refund))
                        .lines
                        .add(line(code, Math.abs(quantity), price));
            }
        }
        progress.accept(
                "Read "
                        + rows
                        + " rows: "
                        + invoices.size()
                        + " invoices, "
                        + countries.size()
                        + " customers, "
                        + productNodes.size()
                        + " products");

        long productCount =
                upsertAll(
                        new ArrayList<>(productNodes.values()),
                        batch -> products.upsertBatch(tenantId, batch));
        long customerCount =
                upsertAll(
                        customerNodes(countries), batch -> customers.upsertBatch(tenantId, batch));
        progress.accept(
                "Upserted " + productCount + " products and " + customerCount + " customers");

        long accepted = 0;
        long duplicates = 0;
        long rejected = 0;
        long eventCount = 0;
        List<JsonNode> batch = new ArrayList<>(EVENTS_PER_BATCH);
        for (Invoice invoice : invoices.values()) {
            for (JsonNode event : invoice.events(mapper)) {
                batch.add(event);
                eventCount++;
                if (batch.size() == EVENTS_PER_BATCH) {
                    IngestResult result = events.ingest(tenantId, batch);
                    accepted += result.accepted();
                    duplicates += result.duplicates();
                    rejected += result.rejected();
                    batch.clear();
                    if (eventCount % 5000 == 0) {
                        progress.accept("Ingested " + eventCount + " events");
                    }
                }
            }
        }
        if (!batch.isEmpty()) {
            IngestResult result = events.ingest(tenantId, batch);
            accepted += result.accepted();
            duplicates += result.duplicates();
            rejected += result.rejected();
        }
        return new Summary(
                rows,
                skipped,
                productCount,
                customerCount,
                eventCount,
                accepted,
                duplicates,
                rejected,
                (System.nanoTime() - started) / 1_000_000);
    }

    private interface BatchUpsert {
        List<BatchItemResult> upsert(List<JsonNode> batch);
    }

    private static long upsertAll(List<JsonNode> nodes, BatchUpsert upsert) {
        long upserted = 0;
        for (int from = 0; from < nodes.size(); from += 1000) {
            List<BatchItemResult> results =
                    upsert.upsert(nodes.subList(from, Math.min(nodes.size(), from + 1000)));
            upserted +=
                    results.stream()
                            .filter(r -> BatchItemResult.UPSERTED.equals(r.status()))
                            .count();
        }
        return upserted;
    }

    private List<JsonNode> customerNodes(Map<String, String> countries) {
        List<JsonNode> nodes = new ArrayList<>();
        countries.forEach(
                (customer, country) -> {
                    ObjectNode node = mapper.createObjectNode();
                    node.put("id", customer);
                    // The data set has no emails; the demo needs somewhere to send offers. The
                    // .invalid top-level domain (RFC 2606) can never be a real mailbox.
                    node.put("email", "customer-" + customer + "@example.invalid");
                    node.put("timeZone", Countries.timeZone(country));
                    ObjectNode consent = node.putObject("emailConsent");
                    consent.put("status", "granted");
                    consent.put("source", "online-retail demo import");
                    node.putObject("attributes").put("country", country);
                    nodes.add(node);
                });
        return nodes;
    }

    private void product(
            Map<String, ObjectNode> nodes,
            Map<String, Map<String, Integer>> titles,
            String code,
            String description,
            BigDecimal price) {
        ObjectNode node =
                nodes.computeIfAbsent(
                        code,
                        id -> {
                            ObjectNode created = mapper.createObjectNode();
                            created.put("id", id);
                            created.put("currency", "GBP");
                            created.put(
                                    "hidden",
                                    NON_PRODUCT_CODES.contains(id) || id.startsWith("gift_"));
                            return created;
                        });
        String title = description == null ? "" : description.strip();
        if (!title.isEmpty() && !title.startsWith("?") && title.length() <= 500) {
            // Stock-keepers' notes ("damaged", "Amazon") replace a product's name on a few
            // lines; the name used most often is the product's name.
            Map<String, Integer> counts = titles.computeIfAbsent(code, c -> new HashMap<>());
            int seen = counts.merge(title, 1, Integer::sum);
            String current = node.path("title").asText("");
            if (current.isEmpty() || seen > counts.getOrDefault(current, 0)) {
                node.put("title", title);
            }
        }
        if (price.signum() > 0) {
            node.put("price", price);
        }
    }

    private ObjectNode line(String code, int quantity, BigDecimal price) {
        ObjectNode line = mapper.createObjectNode();
        line.put("productId", code);
        line.put("quantity", quantity);
        line.put("unitPrice", price);
        line.put("currency", "GBP");
        return line;
    }

    /** "17850.0" in this copy of the data; "17850" is the customer's id. */
    static String customerId(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String id = raw.strip();
        return id.endsWith(".0") ? id.substring(0, id.length() - 2) : id;
    }

    private static final class Invoice {
        final String invoiceNo;
        final String customerId;
        final String date;
        final boolean refund;
        final List<ObjectNode> lines = new ArrayList<>();

        Invoice(String invoiceNo, String customerId, String date, boolean refund) {
            this.invoiceNo = invoiceNo;
            this.customerId = customerId;
            this.date = date;
            this.refund = refund;
        }

        List<JsonNode> events(ObjectMapper mapper) {
            String timestamp =
                    LocalDateTime.parse(date, TIMESTAMP).atZone(SHOP_ZONE).toInstant().toString();
            List<JsonNode> events = new ArrayList<>();
            int parts = (lines.size() + LINES_PER_EVENT - 1) / LINES_PER_EVENT;
            for (int part = 0; part < parts; part++) {
                ObjectNode event = mapper.createObjectNode();
                event.put(
                        "messageId",
                        "online-retail-" + invoiceNo + (parts > 1 ? "-" + (part + 1) : ""));
                event.put("type", refund ? "order_refunded" : "order_completed");
                event.put("customerId", customerId);
                event.put("timestamp", timestamp);
                event.put("orderId", invoiceNo);
                ArrayNode eventLines = event.putArray("lines");
                lines.subList(
                                part * LINES_PER_EVENT,
                                Math.min(lines.size(), (part + 1) * LINES_PER_EVENT))
                        .forEach(eventLines::add);
                event.putObject("context").put("channel", "web");
                events.add(event);
            }
            return events;
        }
    }
}
