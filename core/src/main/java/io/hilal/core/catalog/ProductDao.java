package io.hilal.core.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ProductDao.ProductRow.class)
public interface ProductDao {
    String COLUMNS =
            "product_id, title, category_path, category, price, currency, available, stock,"
                    + " hidden, image_url, product_url, attributes, created_at, updated_at";

    /** A products row as stored; the category path is joined with " > ", attributes are JSON. */
    record ProductRow(
            String productId,
            String title,
            String categoryPath,
            String category,
            BigDecimal price,
            String currency,
            boolean available,
            Integer stock,
            boolean hidden,
            String imageUrl,
            String productUrl,
            String attributes,
            Instant createdAt,
            Instant updatedAt) {}

    @SqlBatch(
            "INSERT INTO products (tenant_id, "
                    + COLUMNS
                    + ", catalog_version) VALUES (:tenantId, :p.productId, :p.title,"
                    + " :p.categoryPath, :p.category, :p.price, :p.currency, :p.available, :p.stock,"
                    + " :p.hidden, :p.imageUrl, :p.productUrl, :p.attributes, :p.createdAt,"
                    + " :p.updatedAt, :catalogVersion)"
                    + " ON DUPLICATE KEY UPDATE title = VALUES(title),"
                    + " category_path = VALUES(category_path), category = VALUES(category),"
                    + " price = VALUES(price), currency = VALUES(currency),"
                    + " available = VALUES(available), stock = VALUES(stock),"
                    + " hidden = VALUES(hidden), image_url = VALUES(image_url),"
                    + " product_url = VALUES(product_url), attributes = VALUES(attributes),"
                    + " updated_at = VALUES(updated_at),"
                    + " catalog_version = VALUES(catalog_version)")
    void upsert(
            @Bind("tenantId") String tenantId,
            @Bind("catalogVersion") long catalogVersion,
            @BindMethods("p") List<ProductRow> rows);

    @SqlUpdate("DELETE FROM products WHERE tenant_id = :tenantId AND product_id = :productId")
    int delete(@Bind("tenantId") String tenantId, @Bind("productId") String productId);

    @SqlQuery(
            "SELECT "
                    + COLUMNS
                    + " FROM products WHERE tenant_id = :tenantId AND product_id = :productId")
    Optional<ProductRow> find(
            @Bind("tenantId") String tenantId, @Bind("productId") String productId);

    /** One page in id order, after {@code afterId} (null: from the start). */
    @SqlQuery(
            "SELECT "
                    + COLUMNS
                    + " FROM products WHERE tenant_id = :tenantId"
                    + " AND (:afterId IS NULL OR product_id > :afterId)"
                    + " AND (:category IS NULL OR category = :category)"
                    + " ORDER BY product_id LIMIT :limit")
    List<ProductRow> page(
            @Bind("tenantId") String tenantId,
            @Bind("afterId") String afterId,
            @Bind("category") String category,
            @Bind("limit") int limit);

    @SqlQuery("SELECT COUNT(*) FROM products WHERE tenant_id = :tenantId")
    long count(@Bind("tenantId") String tenantId);

    /** What the recommender needs of every product of a tenant. */
    @SqlQuery(
            "SELECT product_id, title, category, (NOT hidden AND available) AS recommendable"
                    + " FROM products WHERE tenant_id = :tenantId")
    @RegisterConstructorMapper(io.hilal.core.reco.ProductInfo.class)
    List<io.hilal.core.reco.ProductInfo> recommendable(@Bind("tenantId") String tenantId);
}
