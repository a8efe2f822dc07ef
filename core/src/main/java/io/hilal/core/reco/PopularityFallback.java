package io.hilal.core.reco;

import io.hilal.core.catalog.ProductDao;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What serving shows a tenant that has no trained model yet: its best sellers of the last 30 days
 * of its own data, counted in SQL over that window's orders only (a bounded range of the events
 * index), so a request never trains. Rows built on it are popular rows, not personalized.
 */
public final class PopularityFallback {
    /** Orders this far back from the tenant's newest event count. */
    static final Duration WINDOW = Duration.ofDays(30);

    /** Products kept: more than any page shows after hidden ones leave. */
    static final int PRODUCTS = 200;

    private final Jdbi jdbi;

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
                                    "SELECT l.product_id, COUNT(DISTINCT l.message_id) AS orders"
                                            + " FROM events e JOIN order_lines l"
                                            + " ON l.tenant_id = e.tenant_id"
                                            + " AND l.message_id = e.message_id"
                                            + " WHERE e.tenant_id = :tenantId"
                                            + " AND e.occurred_at > :since AND l.quantity > 0"
                                            + " GROUP BY l.product_id"
                                            + " ORDER BY orders DESC, l.product_id LIMIT :limit")
                            .bind("tenantId", tenantId)
                            .bind("since", present.minus(WINDOW))
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
                    Map<String, ProductInfo> catalog = new HashMap<>();
                    for (ProductInfo product :
                            handle.attach(ProductDao.class).recommendable(tenantId)) {
                        catalog.put(product.productId(), product);
                    }
                    return RecommendationModel.popularOnly(present, catalog, popular);
                });
    }
}
