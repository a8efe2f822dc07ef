package io.hilal.core.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.events.EventType;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journey planner against a real database: what a pass costs (statements and rows read, which
 * must not grow with the entries it makes) and that reading a page's exits and products at once
 * keeps who enters and who leaves as before.
 */
class JourneyPlannerIT {
    static final Clock CLOCK = Clock.systemUTC();
    static final ObjectMapper MAPPER = HilalJson.newMapper();
    static Jdbi jdbi;
    static JourneyPlanner planner;

    @BeforeAll
    static void database() {
        jdbi = TestDatabase.newJdbi();
        planner =
                new JourneyPlanner(
                        jdbi,
                        MAPPER,
                        CLOCK,
                        new SendLedger(jdbi, CLOCK, "test.invalid"),
                        tenant -> null,
                        Duration.ofMinutes(15));
    }

    @Test
    void aPassCostsBoundedStatementsAndRowsWhateverItsEntries() {
        String tenant = tenant("Cost");
        for (int j = 0; j < 5; j++) {
            journey(tenant, j < 3 ? "abandoned_cart" : "browse_abandonment");
        }
        List<ObjectNode> events = new ArrayList<>();
        Instant at = CLOCK.instant().minus(Duration.ofMinutes(10));
        for (int n = 0; n < 600; n++) {
            events.add(
                    event(
                            n % 2 == 0 ? EventType.PRODUCT_ADDED_TO_CART : EventType.PRODUCT_VIEWED,
                            "c-" + n,
                            at));
        }
        // A sixth of them ordered after their trigger, in the same page: they enter nothing.
        for (int n = 0; n < 600; n += 6) {
            events.add(event(EventType.ORDER_COMPLETED, "c-" + n, at.plusSeconds(60)));
        }
        ingest(tenant, events);

        Cost cost = Cost.of(() -> planner.plan(tenant).entered());

        // 300 cart adds into 3 journeys, 300 views into 2, less the 100 who ordered (cart adds).
        assertThat(cost.result).isEqualTo(200 * 3 + 300 * 2);
        // Before: one exit statement per order or cart add and one exit check per entry (over
        // 2,000 statements here), and hundreds of rows read per entry.
        assertThat(cost.statements).as("statements in the pass").isLessThan(40);
        assertThat(cost.rowsRead / (double) cost.result).as("rows read per entry").isLessThan(25);
    }

    @Test
    void anOrderOrCartAddTakesCustomersOutOfWhatTheyEnteredBeforeAndOnlyInTheirTenant() {
        String tenant = tenant("Exits");
        String other = tenant("Other");
        String cart = journey(tenant, "abandoned_cart");
        String browse = journey(tenant, "browse_abandonment");
        String otherCart = journey(other, "abandoned_cart");
        Instant at = CLOCK.instant().minus(Duration.ofMinutes(10));
        ingest(
                tenant,
                List.of(
                        event(EventType.PRODUCT_ADDED_TO_CART, "buyer", at),
                        event(EventType.PRODUCT_VIEWED, "browser", at),
                        event(EventType.PRODUCT_VIEWED, "looker", at)));
        ingest(other, List.of(event(EventType.PRODUCT_ADDED_TO_CART, "buyer", at)));
        assertThat(planner.plan(tenant).entered()).isEqualTo(3);
        assertThat(planner.plan(other).entered()).isEqualTo(1);

        ingest(
                tenant,
                List.of(
                        event(EventType.ORDER_COMPLETED, "buyer", at.plusSeconds(60)),
                        event(EventType.PRODUCT_ADDED_TO_CART, "browser", at.plusSeconds(60))));
        // Two customers left a journey each: counted once each, not once for the send and again
        // for the entry.
        assertThat(planner.plan(tenant).exited()).isEqualTo(2);

        assertThat(state(tenant, cart, "buyer")).isEqualTo("EXPIRED");
        assertThat(state(tenant, browse, "browser")).isEqualTo("EXPIRED");
        assertThat(state(tenant, browse, "looker")).isIn("PLANNED", "HELD_OUT");
        // The cart add entered the browser into abandoned cart; the order's customer in the
        // other tenant is someone else.
        assertThat(state(tenant, cart, "browser")).isIn("PLANNED", "HELD_OUT");
        assertThat(state(other, otherCart, "buyer")).isIn("PLANNED", "HELD_OUT");
    }

    private static String tenant(String name) {
        return new TenantService(jdbi, CLOCK).createTenant(name, "UTC").tenant().tenantId();
    }

    private static String journey(String tenant, String kind) {
        return new JourneyService(jdbi, MAPPER, CLOCK)
                .create(
                        tenant,
                        new JourneyRequest(
                                kind,
                                kind,
                                "PT4H",
                                0.0,
                                null,
                                new CampaignRequest.Offer("Hi", "<p>Hi</p>", "Hi", null, null),
                                null))
                .id();
    }

    private static ObjectNode event(String type, String customer, Instant at) {
        ObjectNode event =
                MAPPER.createObjectNode()
                        .put("messageId", UUID.randomUUID().toString())
                        .put("type", type)
                        .put("customerId", customer)
                        .put("productId", "p1")
                        .put("timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString());
        if (EventType.ORDER_COMPLETED.equals(type)) {
            event.put("orderId", "o-" + UUID.randomUUID());
            event.putArray("lines")
                    .addObject()
                    .put("productId", "p1")
                    .put("quantity", 1)
                    .put("unitPrice", 5)
                    .put("currency", "USD");
        }
        return event;
    }

    private static void ingest(String tenant, List<ObjectNode> events) {
        new EventIngestService(jdbi, MAPPER, CLOCK).ingest(tenant, List.copyOf(events));
    }

    private static String state(String tenant, String journey, String customer) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT state FROM campaign_sends WHERE tenant_id = :t"
                                                + " AND campaign_id = :j AND customer_id = :c")
                                .bind("t", tenant)
                                .bind("j", journey)
                                .bind("c", customer)
                                .mapTo(String.class)
                                .one());
    }

    /** Statements the work ran through Jdbi and the rows the server read for them. */
    private record Cost(int result, int statements, long rowsRead) {
        static Cost of(java.util.function.IntSupplier work) {
            AtomicLong statements = new AtomicLong();
            AtomicLong rows = new AtomicLong();
            SqlStatements config = jdbi.getConfig(SqlStatements.class);
            SqlLogger before = config.getSqlLogger();
            config.setSqlLogger(
                    new SqlLogger() {
                        // The test's connections are unpooled: a statement's session is its own.
                        private final Map<Connection, Long> readBefore =
                                new java.util.concurrent.ConcurrentHashMap<>();

                        @Override
                        public void logBeforeExecution(StatementContext context) {
                            readBefore.put(context.getConnection(), reads(context));
                        }

                        @Override
                        public void logAfterExecution(StatementContext context) {
                            statements.incrementAndGet();
                            rows.addAndGet(
                                    reads(context) - readBefore.remove(context.getConnection()));
                        }
                    });
            try {
                int result = work.getAsInt();
                return new Cost(result, (int) statements.get(), rows.get());
            } finally {
                config.setSqlLogger(before);
            }
        }

        /** The rows the session read so far (the asking adds a few of its own). */
        private static long reads(StatementContext context) {
            try (Statement statement = context.getConnection().createStatement();
                    ResultSet status =
                            statement.executeQuery(
                                    "SHOW SESSION STATUS WHERE Variable_name IN"
                                            + " ('Handler_read_key', 'Handler_read_next',"
                                            + " 'Handler_read_rnd_next')")) {
                long total = 0;
                while (status.next()) {
                    total += status.getLong(2);
                }
                return total;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
