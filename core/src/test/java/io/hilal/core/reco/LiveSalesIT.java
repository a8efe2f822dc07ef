package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sales since training read from the real database, as serving reads them. */
class LiveSalesIT {
    private static final Instant TRAINED_AT = Instant.parse("2026-03-01T00:00:00Z");

    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final ObjectMapper mapper = HilalJson.newMapper();
    private String tenant;
    private String other;
    private int messages;

    @BeforeEach
    void tenants() {
        TenantService tenants = new TenantService(jdbi, Clock.systemUTC());
        tenant = tenants.createTenant("sales-" + System.nanoTime(), "UTC").tenant().tenantId();
        other = tenants.createTenant("other-" + System.nanoTime(), "UTC").tenant().tenantId();
    }

    @Test
    void readsTheOrdersAfterTheCutOffNetOfRefundsAndOfThisTenantOnly() {
        ingest(
                tenant,
                order("before", "amina", "2026-02-28T00:00:00Z", "lantern", 1),
                order("o1", "amina", "2026-03-02T00:00:00Z", "lantern", 1),
                order("o2", "zaid", "2026-03-03T00:00:00Z", "lantern", 2),
                order("o3", "omar", "2026-03-03T00:00:00Z", "candle", 1),
                refund("r3", "omar", "2026-03-04T00:00:00Z", "candle", 1));
        ingest(other, order("x1", "amina", "2026-03-05T00:00:00Z", "elsewhere", 1));

        RecentSales sales = new LiveSales(jdbi).since(tenant, TRAINED_AT);

        assertThat(sales.products()).containsExactly("lantern");
        assertThat(sales.orders("lantern"))
                .containsExactlyInAnyOrder(
                        Instant.parse("2026-03-02T00:00:00Z"),
                        Instant.parse("2026-03-03T00:00:00Z"));
        assertThat(sales.newest(TRAINED_AT)).isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
    }

    @Test
    void aSaleIsSeenOnceTheRefreshHasPassed() {
        LiveSales live = new LiveSales(jdbi, Duration.ZERO);
        assertThat(live.since(tenant, TRAINED_AT).isEmpty()).isTrue();

        ingest(tenant, order("o1", "amina", "2026-03-02T00:00:00Z", "lantern", 1));

        assertThat(live.since(tenant, TRAINED_AT).products()).containsExactly("lantern");
    }

    private void ingest(String tenantId, String... events) {
        List<JsonNode> nodes = new ArrayList<>();
        try {
            for (String event : events) {
                nodes.add(mapper.readTree(event));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        new EventIngestService(jdbi, mapper, Clock.systemUTC()).ingest(tenantId, nodes);
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
