package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CustomerSignalsDaoIT {
    private static final Instant TRAINED_AT = Instant.parse("2026-03-01T00:00:00Z");

    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final ObjectMapper mapper = HilalJson.newMapper();
    private final CustomerSignalsDao dao = new CustomerSignalsDao(jdbi);
    private String tenant;
    private int messages;

    @BeforeEach
    void tenant() {
        tenant =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("signals-" + System.nanoTime(), "UTC")
                        .tenant()
                        .tenantId();
    }

    @Test
    void aThumbsDownStandsThroughAThousandLaterEventsUntilTheCustomerRatesItUp() {
        ingest(rating("amina", "cups", "down", "2026-01-01T00:00:00Z"));
        List<String> later = new ArrayList<>();
        Instant at = Instant.parse("2026-01-02T00:00:00Z");
        for (int i = 0; i < 1_000; i++) {
            at = at.plusSeconds(60);
            String product = "p-" + (i % 40);
            later.add(
                    switch (i % 4) {
                        case 0 -> event("product_viewed", "amina", product, at);
                        case 1 -> event("product_added_to_cart", "amina", product, at);
                        case 2 -> rating("amina", product, "up", at.toString());
                        default -> event("product_viewed", "amina", "cups", at);
                    });
        }
        ingest(later.toArray(String[]::new));

        assertThat(dao.signals(tenant, "amina", TRAINED_AT).thumbsDown()).containsExactly("cups");

        ingest(rating("amina", "cups", "up", at.plusSeconds(60).toString()));

        assertThat(dao.signals(tenant, "amina", TRAINED_AT).thumbsDown()).isEmpty();
    }

    @Test
    void aThumbsDownOfOneCustomerIsNotAnothers() {
        ingest(rating("amina", "cups", "down", "2026-01-01T00:00:00Z"));

        assertThat(dao.signals(tenant, "zaid", TRAINED_AT).thumbsDown()).isEmpty();
    }

    @Test
    void aProductWhoseUnitsWereAllRefundedIsNotOwnedAndAPartialRefundKeepsIt() {
        ingest(
                order("o1", "amina", "2026-01-01T00:00:00Z", "dates", 2),
                order("o1b", "amina", "2026-01-01T00:00:00Z", "coffee", 2),
                refund("C1", "amina", "2026-01-05T00:00:00Z", "dates", 2),
                refund("C2", "amina", "2026-01-05T00:00:00Z", "coffee", 1));

        CustomerSignals signals = dao.signals(tenant, "amina", TRAINED_AT);

        assertThat(signals.historyRead()).isTrue();
        assertThat(signals.history()).containsOnlyKeys("coffee");
    }

    @Test
    void trainingLeavesRefundedUnitsOut() {
        ingest(
                order("o1", "amina", "2026-01-01T00:00:00Z", "dates", 2),
                order("o2", "amina", "2026-01-01T00:00:00Z", "coffee", 2),
                refund("C1", "amina", "2026-01-05T00:00:00Z", "dates", 2),
                refund("C2", "amina", "2026-01-05T00:00:00Z", "coffee", 1));

        List<Purchase> trainedOn = new RecommendationTrainer(jdbi).load(tenant).purchases();

        assertThat(trainedOn)
                .extracting(Purchase::productId, Purchase::quantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("coffee", 1));
    }

    @Test
    void readsTheWholeHistoryWhateverOrderItWasImportedIn() {
        // The newest order first; older history arrives afterwards, as from a late import.
        ingest(order("o3", "amina", "2026-04-01T00:00:00Z", "dates", 1));
        List<String> older = new ArrayList<>();
        for (int month = 1; month <= 12; month++) {
            older.add(
                    order(
                            "old-" + month,
                            "amina",
                            String.format("2025-%02d-01T00:00:00Z", month),
                            "dates",
                            1));
            older.add(
                    order(
                            "old-tea-" + month,
                            "amina",
                            String.format("2025-%02d-02T00:00:00Z", month),
                            "tea",
                            1));
        }
        ingest(older.toArray(String[]::new));

        CustomerSignals signals = dao.signals(tenant, "amina", TRAINED_AT);

        assertThat(signals.history()).containsOnlyKeys("dates", "tea");
        PurchaseHistory dates = signals.history().get("dates");
        assertThat(dates.purchaseDays()).isEqualTo(13);
        assertThat(dates.firstBought()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(dates.lastBought()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(signals.newPurchases())
                .as("only what is newer than the model")
                .extracting(Purchase::productId)
                .containsExactly("dates");
    }

    @Test
    void aCartAddFollowedByBuyingTheProductIsNoLongerInTheCart() {
        ingest(
                event(
                        "product_added_to_cart",
                        "amina",
                        "dates",
                        Instant.parse("2026-03-01T10:00:00Z")),
                event(
                        "product_added_to_cart",
                        "amina",
                        "tea",
                        Instant.parse("2026-03-01T10:00:00Z")),
                order("o1", "amina", "2026-03-01T11:00:00Z", "dates", 1));

        CustomerSignals signals = dao.signals(tenant, "amina", TRAINED_AT);

        assertThat(signals.cart()).containsExactly("tea");
        assertThat(signals.recentViews()).extracting(View::productId).contains("dates", "tea");
    }

    /**
     * A sender reads a claimed chunk's signals at once: each customer's must be exactly what they
     * read alone (bounds per customer, ties, refunds, new purchases, blank searches), and the read
     * must take one query per kind of signal whatever the chunk's size.
     */
    @Test
    void readsAChunkOfCustomersInFourQueriesAsEachReadAlone() {
        List<String> events = new ArrayList<>();
        Instant at = Instant.parse("2026-02-20T00:00:00Z");
        // More views and cart adds than are read per customer, two of them at the same moment.
        for (int i = 0; i < 230; i++) {
            at = at.plusSeconds(i % 7 == 0 ? 0 : 60);
            events.add(
                    event(
                            i % 3 == 0 ? "product_added_to_cart" : "product_viewed",
                            "amina",
                            "p-" + (i % 45),
                            at));
        }
        for (int i = 0; i < 8; i++) {
            // More searches than are read, some at the same moment.
            events.add(search("amina", "dates " + i, at.plusSeconds(i)));
            events.add(search("zaid", "tea " + i, at.plusSeconds(i % 2)));
        }
        events.add(order("o1", "amina", "2026-01-01T00:00:00Z", "dates", 2));
        events.add(order("o2", "amina", "2026-03-02T00:00:00Z", "coffee", 2));
        events.add(refund("C1", "amina", "2026-03-03T00:00:00Z", "coffee", 2));
        events.add(order("o3", "zaid", "2026-03-02T00:00:00Z", "p-1", 1));
        events.add(order("o4", "zaid", "2026-02-01T00:00:00Z", "p-2", 3));
        Instant cartAt = Instant.parse("2026-03-01T12:00:00Z");
        events.add(event("product_added_to_cart", "zaid", "p-1", cartAt));
        events.add(event("product_added_to_cart", "zaid", "p-3", cartAt));
        events.add(rating("amina", "cups", "down", "2026-01-01T00:00:00Z"));
        events.add(rating("amina", "p-4", "down", "2026-01-01T00:00:00Z"));
        events.add(rating("amina", "p-4", "up", "2026-01-02T00:00:00Z"));
        events.add(rating("zaid", "cups", "down", "2026-01-03T00:00:00Z"));
        ingest(events.toArray(String[]::new));
        List<String> chunk = new ArrayList<>(List.of("amina", "zaid", "nobody"));
        for (int i = 0; i < 29; i++) {
            chunk.add("quiet-" + i);
        }
        List<String> statements = new ArrayList<>();
        jdbi.setSqlLogger(
                new org.jdbi.v3.core.statement.SqlLogger() {
                    @Override
                    public void logBeforeExecution(
                            org.jdbi.v3.core.statement.StatementContext context) {
                        statements.add(context.getRenderedSql());
                    }
                });

        Map<String, CustomerSignals> read = dao.signals(tenant, chunk, TRAINED_AT);
        jdbi.setSqlLogger(org.jdbi.v3.core.statement.SqlLogger.NOP_SQL_LOGGER);

        assertThat(statements).hasSize(4);
        assertThat(read).containsOnlyKeys(chunk);
        for (String customer : chunk) {
            assertThat(read.get(customer))
                    .as(customer)
                    .isEqualTo(dao.signals(tenant, customer, TRAINED_AT));
        }
        CustomerSignals amina = read.get("amina");
        assertThat(amina.recentViews()).hasSize(CustomerSignalsDao.RECENT_VIEWS);
        assertThat(amina.recentSearches())
                .extracting(Search::query)
                .containsExactly("dates 7", "dates 6", "dates 5", "dates 4", "dates 3");
        assertThat(amina.history()).containsOnlyKeys("dates");
        assertThat(amina.thumbsDown()).containsExactly("cups");
        assertThat(read.get("zaid").cart()).containsExactly("p-3");
        assertThat(read.get("zaid").newPurchases()).extracting(Purchase::productId).contains("p-1");
        assertThat(read.get("nobody").history()).isEmpty();
    }

    private String search(String customer, String query, Instant at) {
        return "{\"messageId\": \"m"
                + messages++
                + "\", \"type\": \"search\", \"customerId\": \""
                + customer
                + "\", \"query\": \""
                + query
                + "\", \"timestamp\": \""
                + at
                + "\"}";
    }

    private void ingest(String... events) {
        List<JsonNode> nodes = new ArrayList<>();
        try {
            for (String event : events) {
                nodes.add(mapper.readTree(event));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        new EventIngestService(jdbi, mapper, Clock.systemUTC()).ingest(tenant, nodes);
    }

    private String rating(String customer, String product, String rating, String at) {
        return "{\"messageId\": \"m"
                + messages++
                + "\", \"type\": \"product_rated\", \"customerId\": \""
                + customer
                + "\", \"productId\": \""
                + product
                + "\", \"rating\": \""
                + rating
                + "\", \"timestamp\": \""
                + at
                + "\"}";
    }

    private String event(String type, String customer, String product, Instant at) {
        return "{\"messageId\": \"m"
                + messages++
                + "\", \"type\": \""
                + type
                + "\", \"customerId\": \""
                + customer
                + "\", \"productId\": \""
                + product
                + "\", \"timestamp\": \""
                + at
                + "\"}";
    }

    private String order(String id, String customer, String at, String product, int quantity) {
        return line("order_completed", id, customer, at, product, quantity);
    }

    private String refund(String id, String customer, String at, String product, int quantity) {
        return line("order_refunded", id, customer, at, product, quantity);
    }

    private String line(
            String type, String id, String customer, String at, String product, int quantity) {
        return "{\"messageId\": \"m"
                + messages++
                + "\", \"type\": \""
                + type
                + "\", \"customerId\": \""
                + customer
                + "\", \"orderId\": \""
                + id
                + "\", \"timestamp\": \""
                + at
                + "\", \"lines\": [{\"productId\": \""
                + product
                + "\", \"quantity\": "
                + quantity
                + ", \"unitPrice\": 5, \"currency\": \"SAR\"}]}";
    }
}
