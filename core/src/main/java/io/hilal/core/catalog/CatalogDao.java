package io.hilal.core.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * A tenant's catalog version and what changed since a version: how serving keeps its view of the
 * catalog current without reading all of it again. Writers move the version through {@link #bump}
 * first in the transaction that changes products.
 */
@RegisterConstructorMapper(CatalogDao.ChangedProduct.class)
public interface CatalogDao {
    /** A product row written after some version, showable or not. */
    record ChangedProduct(
            String productId,
            String title,
            String categoryPath,
            BigDecimal price,
            String currency,
            boolean available,
            Integer stock,
            boolean hidden,
            String imageUrl,
            String productUrl,
            String attributes,
            Instant createdAt) {}

    @SqlUpdate(
            "INSERT INTO catalog_versions (tenant_id, version) VALUES (:tenantId, 1)"
                    + " ON DUPLICATE KEY UPDATE version = version + 1")
    void increment(@Bind("tenantId") String tenantId);

    /** The tenant's catalog version, 0 before its first change. */
    @SqlQuery("SELECT version FROM catalog_versions WHERE tenant_id = :tenantId")
    Optional<Long> version(@Bind("tenantId") String tenantId);

    /**
     * Moves the tenant's version on and returns the new one, holding the tenant's version row
     * locked until the transaction ends: call it first, inside the transaction that changes
     * products.
     */
    default long bump(String tenantId) {
        increment(tenantId);
        return version(tenantId).orElseThrow();
    }

    @SqlQuery(
            "SELECT product_id, title, category_path, price, currency, available, stock, hidden,"
                    + " image_url, product_url, attributes, created_at FROM products"
                    + " WHERE tenant_id = :tenantId AND catalog_version > :after")
    List<ChangedProduct> changedSince(@Bind("tenantId") String tenantId, @Bind("after") long after);

    @SqlQuery(
            "SELECT product_id FROM product_deletions"
                    + " WHERE tenant_id = :tenantId AND catalog_version > :after")
    List<String> deletedSince(@Bind("tenantId") String tenantId, @Bind("after") long after);

    @SqlUpdate(
            "INSERT INTO product_deletions (tenant_id, product_id, catalog_version, deleted_at)"
                    + " VALUES (:tenantId, :productId, :version, :at)"
                    + " ON DUPLICATE KEY UPDATE catalog_version = VALUES(catalog_version),"
                    + " deleted_at = VALUES(deleted_at)")
    void recordDeletion(
            @Bind("tenantId") String tenantId,
            @Bind("productId") String productId,
            @Bind("version") long version,
            @Bind("at") Instant at);
}
