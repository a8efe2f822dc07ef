package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.catalog.ProductUpsert;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tenant's best sellers before its first training, read as serving reads them. */
class PopularityFallbackIT {
    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final ObjectMapper mapper = HilalJson.newMapper();
    private final ProductService products = new ProductService(jdbi, mapper, Clock.systemUTC());
    private final PopularityFallback fallback = new PopularityFallback(jdbi);
    private String tenant;
    private int messages;

    @BeforeEach
    void tenant() {
        tenant =
                new TenantService(jdbi, Clock.systemUTC())
                        .createTenant("fallback-" + System.nanoTime(), "UTC")
                        .tenant()
                        .tenantId();
    }

    @Test
    void countsTheLastThirtyDaysOrdersAndFollowsTheCatalogBetweenRebuilds() {
        for (String id : List.of("dates", "coffee", "cups", "tray")) {
            products.upsert(tenant, product(id, null));
        }
        ingest(
                order("old", "amina", "2026-01-01T00:00:00Z", "tray", 1),
                order("o1", "amina", "2026-03-01T00:00:00Z", "dates", 1),
                order("o2", "zaid", "2026-03-02T00:00:00Z", "dates", 3),
                order("o3", "omar", "2026-03-03T00:00:00Z", "coffee", 1));

        RecommendationModel first = fallback.model(tenant);

        assertThat(first.popular())
                .extracting(ScoredItem::productId)
                .containsExactly("dates", "coffee");
        assertThat(first.popular().get(0).score()).isEqualTo(2.0);
        assertThat(first.product("cups").recommendable()).isTrue();

        products.upsert(tenant, product("cups", true));
        products.upsert(tenant, product("lantern", null));
        products.delete(tenant, "tray");
        RecommendationModel second = fallback.model(tenant);

        assertThat(second.product("cups").recommendable()).isFalse();
        assertThat(second.product("lantern").recommendable()).isTrue();
        assertThat(second.product("lantern").category()).isEqualTo("Dates");
        assertThat(second.product("tray")).isNull();
        assertThat(second.product("dates").title()).isEqualTo("Title of dates");
    }

    private static ProductUpsert product(String id, Boolean hidden) {
        return new ProductUpsert(
                id,
                "Title of " + id,
                List.of("Food", "Dates"),
                new BigDecimal("12.50"),
                "SAR",
                null,
                null,
                hidden,
                "https://shop.example/" + id + ".jpg",
                "https://shop.example/p/" + id,
                Map.of());
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
