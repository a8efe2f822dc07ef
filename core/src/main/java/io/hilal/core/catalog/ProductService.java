package io.hilal.core.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.api.BatchItemResult;
import io.hilal.core.api.Cursors;
import io.hilal.core.api.Page;
import io.hilal.core.db.Transactions;
import io.hilal.core.error.Checks;
import io.hilal.core.error.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The product catalog, its one door for writers: upserts one at a time or in batches, deletes,
 * reads and paging. Every write moves the tenant's catalog version (see {@link LiveCatalog}).
 */
public final class ProductService {
    public static final int MAX_ATTRIBUTES_BYTES = 16 * 1024;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;

    public ProductService(Jdbi jdbi, ObjectMapper mapper, Clock clock) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
    }

    public Product upsert(String tenantId, ProductUpsert product) {
        Checks checks = product.check("");
        String attributes = attributesJson(product, checks);
        checks.throwIfAny();
        Instant now = clock.instant();
        Transactions.retrying(
                jdbi,
                handle -> {
                    long version = handle.attach(CatalogDao.class).bump(tenantId);
                    handle.attach(ProductDao.class)
                            .upsert(tenantId, version, List.of(toRow(product, attributes, now)));
                    return null;
                });
        return get(tenantId, product.id());
    }

    /** Upserts every valid item; invalid ones are reported, not stored. */
    public List<BatchItemResult> upsertBatch(String tenantId, List<JsonNode> items) {
        Instant now = clock.instant();
        return BatchUpsert.run(
                mapper,
                "products",
                items,
                ProductUpsert.class,
                ProductUpsert::id,
                (product, checks) -> {
                    checks.merge(product.check(""));
                    return toRow(product, attributesJson(product, checks), now);
                },
                rows ->
                        Transactions.retrying(
                                jdbi,
                                handle -> {
                                    long version = handle.attach(CatalogDao.class).bump(tenantId);
                                    handle.attach(ProductDao.class).upsert(tenantId, version, rows);
                                    return null;
                                }));
    }

    /**
     * Deletes a product from the catalog: it leaves every row and email at once. Its orders stay,
     * as history the models learn from. 404 when the tenant has no such product.
     */
    public void delete(String tenantId, String productId) {
        Instant now = clock.instant();
        Transactions.retrying(
                jdbi,
                handle -> {
                    long version = handle.attach(CatalogDao.class).bump(tenantId);
                    if (handle.attach(ProductDao.class).delete(tenantId, productId) == 0) {
                        // Rolls the version back with it: nothing changed.
                        throw new NotFoundException("product", productId);
                    }
                    handle.attach(CatalogDao.class)
                            .recordDeletion(tenantId, productId, version, now);
                    return null;
                });
    }

    public Product get(String tenantId, String productId) {
        return jdbi.onDemand(ProductDao.class)
                .find(tenantId, productId)
                .map(this::toProduct)
                .orElseThrow(() -> new NotFoundException("product", productId));
    }

    /** Products in id order, optionally of one (most specific) category. */
    public Page<Product> page(String tenantId, String category, String cursor, int limit) {
        String afterId = cursor == null ? null : Cursors.decode(cursor, 1).get(0);
        List<ProductDao.ProductRow> rows =
                jdbi.onDemand(ProductDao.class).page(tenantId, afterId, category, limit + 1);
        List<Product> items =
                rows.subList(0, Math.min(limit, rows.size())).stream()
                        .map(this::toProduct)
                        .toList();
        String next = rows.size() > limit ? Cursors.encode(rows.get(limit - 1).productId()) : null;
        return new Page<>(items, next);
    }

    private String attributesJson(ProductUpsert product, Checks checks) {
        return JsonErrors.attributesJson(
                mapper, product.attributes(), checks, "attributes", MAX_ATTRIBUTES_BYTES);
    }

    private static ProductDao.ProductRow toRow(
            ProductUpsert product, String attributes, Instant now) {
        List<String> categories = product.categories();
        boolean hasCategories = categories != null && !categories.isEmpty();
        return new ProductDao.ProductRow(
                product.id(),
                product.title(),
                hasCategories ? String.join(ProductUpsert.CATEGORY_SEPARATOR, categories) : null,
                hasCategories ? categories.get(categories.size() - 1) : null,
                product.price(),
                product.currency(),
                product.available() == null || product.available(),
                product.stock(),
                product.hidden() != null && product.hidden(),
                product.imageUrl(),
                product.url(),
                attributes,
                now,
                now);
    }

    private Product toProduct(ProductDao.ProductRow row) {
        List<String> categories =
                row.categoryPath() == null
                        ? List.of()
                        : Arrays.asList(row.categoryPath().split(ProductUpsert.CATEGORY_SEPARATOR));
        try {
            return new Product(
                    row.productId(),
                    row.title(),
                    categories,
                    row.price() == null ? null : row.price().stripTrailingZeros(),
                    row.currency(),
                    row.available(),
                    row.stock(),
                    row.hidden(),
                    row.imageUrl(),
                    row.productUrl(),
                    row.attributes() == null ? null : mapper.readValue(row.attributes(), MAP),
                    row.createdAt(),
                    row.updatedAt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attributes are not JSON", e);
        }
    }
}
