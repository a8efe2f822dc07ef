package io.hilal.core.reco;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hilal.core.catalog.CatalogDao;
import io.hilal.core.catalog.ProductDao;
import io.hilal.core.catalog.ProductUpsert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What serving shows a tenant that has no trained model yet: its best sellers of the last 30 days
 * of its own data, counted in SQL over the newest {@link #MAX_LINES} order lines of that window (a
 * bounded range of the order lines' time index), so a request never trains. Rows built on it are
 * popular rows, not personalized. The catalog the model carries is read in full once per tenant,
 * then only the products changed since the version read (as {@code LiveCatalog} does), however
 * often the fallback is rebuilt.
 */
public final class PopularityFallback {
    /** Orders this far back from the tenant's newest event count. */
    static final Duration WINDOW = Duration.ofDays(30);

    /** Products kept: more than any page shows after hidden ones leave. */
    static final int PRODUCTS = 200;

    /** Order lines counted at most, the newest first. */
    static final int MAX_LINES = 50_000;

    /** Catalogs kept between rebuilds, weighed in products: untrained tenants are small shops. */
    static final long MAXIMUM_PRODUCTS = 1_000_000;

    private final Jdbi jdbi;
    private final Cache<String, Catalog> catalogs =
            Caffeine.newBuilder()
                    .maximumWeight(MAXIMUM_PRODUCTS)
                    .<String, Catalog>weigher((tenantId, catalog) -> 1 + catalog.products().size())
                    .build();

    public PopularityFallback(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public RecommendationModel model(String tenantId) {
        return jdbi.withHandle(
                handle -> {
                    Instant present =
                            handle.createQuery(
                                            "SELECT MAX(occurred_at) FROM events"
                                                    + " WHERE tenant_id = :tenantId")
                                    .bind("tenantId", tenantId)
                                    .mapTo(Instant.class)
                                    .findOne()
                                    .orElse(null);
                    if (present == null) {
                        present = Instant.EPOCH;
                    }
                    List<ScoredItem> popular = new ArrayList<>();
                    handle.createQuery(
                                    "SELECT product_id, COUNT(DISTINCT message_id) AS orders"
                                            + " FROM (SELECT product_id, message_id"
                                            + " FROM order_lines WHERE tenant_id = :tenantId"
                                            + " AND occurred_at > :since AND quantity > 0"
                                            + " ORDER BY occurred_at DESC LIMIT :lines) recent"
                                            + " GROUP BY product_id"
                                            + " ORDER BY orders DESC, product_id LIMIT :limit")
                            .bind("tenantId", tenantId)
                            .bind("since", present.minus(WINDOW))
                            .bind("lines", MAX_LINES)
                            .bind("limit", PRODUCTS)
                            .map(
                                    (rs, ctx) ->
                                            new ScoredItem(
                                                    rs.getString(1),
                                                    rs.getInt(2),
                                                    "Popular with shoppers right now"))
                            .forEach(popular::add);
                    // The whole catalog, as a trained model has it: similar products of any
                    // product are then empty rather than 404.
                    return RecommendationModel.popularOnly(
                            present, catalog(handle, tenantId), popular);
                });
    }

    /** The tenant's catalog as the model knows products, brought up to the current version. */
    private Map<String, ProductInfo> catalog(Handle handle, String tenantId) {
        CatalogDao versions = handle.attach(CatalogDao.class);
        // Read before the products: a change after it is read again next time, which does no harm.
        long version = versions.version(tenantId).orElse(0L);
        Catalog held = catalogs.getIfPresent(tenantId);
        if (held != null && held.version() == version) {
            return held.products();
        }
        Map<String, ProductInfo> products = new HashMap<>();
        if (held == null) {
            for (ProductInfo product : handle.attach(ProductDao.class).recommendable(tenantId)) {
                products.put(product.productId(), product);
            }
        } else {
            products.putAll(held.products());
            versions.deletedSince(tenantId, held.version()).forEach(products::remove);
            for (CatalogDao.ChangedProduct row : versions.changedSince(tenantId, held.version())) {
                String[] path =
                        row.categoryPath() == null
                                ? new String[0]
                                : row.categoryPath().split(ProductUpsert.CATEGORY_SEPARATOR);
                String category = path.length == 0 ? null : path[path.length - 1];
                products.put(
                        row.productId(),
                        new ProductInfo(
                                row.productId(),
                                row.title(),
                                category,
                                !row.hidden() && row.available()));
            }
        }
        Catalog fresh = new Catalog(version, Map.copyOf(products));
        catalogs.put(tenantId, fresh);
        return fresh.products();
    }

    private record Catalog(long version, Map<String, ProductInfo> products) {}
}
