package io.hilal.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live catalog against the real database, its clock moved by hand. */
class LiveCatalogIT {
    private static final Duration REFRESH = Duration.ofSeconds(1);

    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final ObjectMapper mapper = HilalJson.newMapper();
    private final ProductService products = new ProductService(jdbi, mapper, Clock.systemUTC());
    private final AtomicLong nanos = new AtomicLong();
    private final LiveCatalog catalog = new LiveCatalog(jdbi, REFRESH, nanos::get);
    private String tenant;
    private String other;

    @BeforeEach
    void tenants() {
        TenantService tenants = new TenantService(jdbi, Clock.systemUTC());
        tenant = tenants.createTenant("shop", "UTC").tenant().tenantId();
        other = tenants.createTenant("other", "UTC").tenant().tenantId();
    }

    @Test
    void holdsExactlyTheShowableProductsWithWhatAPageShowsOfThem() {
        products.upsert(tenant, product("dates", null, null, null));
        products.upsert(tenant, product("hidden", true, null, null));
        products.upsert(tenant, product("gone", null, false, null));
        products.upsert(tenant, product("sold-out", null, null, 0));
        products.upsert(tenant, product("in-stock", null, null, 4));
        products.upsert(other, product("elsewhere", null, null, null));

        CatalogSnapshot snapshot = catalog.snapshot(tenant);

        assertThat(snapshot.products())
                .extracting(CatalogProduct::id)
                .containsExactlyInAnyOrder("dates", "in-stock");
        CatalogProduct dates = snapshot.product("dates");
        assertThat(dates.title()).isEqualTo("Title of dates");
        assertThat(dates.categories()).containsExactly("Food", "Dates");
        assertThat(dates.category()).isEqualTo("Dates");
        assertThat(dates.price()).isEqualByComparingTo("12.5");
        assertThat(dates.currency()).isEqualTo("SAR");
        assertThat(dates.imageUrl()).isEqualTo("https://shop.example/dates.jpg");
        assertThat(dates.url()).isEqualTo("https://shop.example/p/dates");
        assertThat(dates.attributes()).containsExactly(Map.entry("origin", "Madinah"));
        assertThat(catalog.snapshot(other).products())
                .extracting(CatalogProduct::id)
                .containsExactly("elsewhere");
    }

    @Test
    void followsUpsertsAndDeletesOnceTheRefreshIsDue() {
        products.upsert(tenant, product("dates", null, null, null));
        products.upsert(tenant, product("tea", null, null, null));
        CatalogSnapshot first = catalog.snapshot(tenant);
        assertThat(first.showable("dates")).isTrue();

        products.upsert(tenant, product("dates", true, null, null));
        products.delete(tenant, "tea");
        products.upsert(tenant, product("coffee", null, null, null));

        assertThat(catalog.snapshot(tenant)).as("not due yet").isSameAs(first);
        nanos.addAndGet(REFRESH.toNanos());
        CatalogSnapshot second = catalog.snapshot(tenant);
        assertThat(second.products()).extracting(CatalogProduct::id).containsExactly("coffee");

        nanos.addAndGet(REFRESH.toNanos());
        assertThat(catalog.snapshot(tenant)).as("nothing changed since").isSameAs(second);

        products.upsert(tenant, product("tea", null, null, null));
        products.upsert(tenant, product("dates", false, true, 9));
        nanos.addAndGet(REFRESH.toNanos());
        assertThat(catalog.snapshot(tenant).products())
                .extracting(CatalogProduct::id)
                .containsExactlyInAnyOrder("coffee", "tea", "dates");
    }

    @Test
    void aBatchUpsertTakesProductsOffAndOnToo() {
        products.upsert(tenant, product("dates", null, null, null));
        assertThat(catalog.snapshot(tenant).showable("dates")).isTrue();

        products.upsertBatch(
                tenant,
                List.of(
                        mapper.valueToTree(product("dates", null, null, 0)),
                        mapper.valueToTree(product("figs", null, null, 2))));
        nanos.addAndGet(REFRESH.toNanos());

        assertThat(catalog.snapshot(tenant).products())
                .extracting(CatalogProduct::id)
                .containsExactly("figs");
    }

    @Test
    void deletingAMissingProductIsNotFoundAndMovesNothing() {
        products.upsert(tenant, product("dates", null, null, null));
        CatalogSnapshot before = catalog.snapshot(tenant);

        assertThatThrownBy(() -> products.delete(tenant, "nothing"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> products.delete(other, "dates"))
                .isInstanceOf(NotFoundException.class);

        nanos.addAndGet(REFRESH.toNanos());
        assertThat(catalog.snapshot(tenant)).isSameAs(before);
        assertThat(products.get(tenant, "dates").id()).isEqualTo("dates");
    }

    private static ProductUpsert product(
            String id, Boolean hidden, Boolean available, Integer stock) {
        return new ProductUpsert(
                id,
                "Title of " + id,
                List.of("Food", "Dates"),
                new BigDecimal("12.50"),
                "SAR",
                available,
                stock,
                hidden,
                "https://shop.example/" + id + ".jpg",
                "https://shop.example/p/" + id,
                Map.of("origin", "Madinah", "nutrition", Map.of("kcal", 277)));
    }
}
