package io.hilal.core.reco;

import io.hilal.core.catalog.ProductDao;
import io.hilal.core.events.EventType;
import io.hilal.core.models.InteractionDao;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Builds a tenant's {@link RecommendationModel} from what it ingested. The model's present is the
 * newest purchase, so a shop whose history stops (like the Online Retail demo, which ends in
 * December 2011) still gets sensible restock timing.
 */
public final class RecommendationTrainer {
    /** Cart adds this long before the model's present still count as in the cart. */
    static final java.time.Duration CART_MEMORY = java.time.Duration.ofDays(3);

    private final Jdbi jdbi;

    public RecommendationTrainer(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What a tenant's models are trained on: its purchases, views and catalog. */
    public record TrainingData(
            List<Purchase> purchases,
            List<View> views,
            Map<String, ProductInfo> catalog,
            Instant newest) {}

    public RecommendationModel train(String tenantId) {
        return train(load(tenantId));
    }

    public RecommendationModel train(TrainingData data) {
        return RecommendationModel.train(
                data.purchases(), data.views(), data.catalog(), data.newest());
    }

    /** Reads a tenant's training data, streaming it out of the database. */
    public TrainingData load(String tenantId) {
        Map<String, ProductInfo> catalog = new HashMap<>();
        for (ProductInfo product : jdbi.onDemand(ProductDao.class).recommendable(tenantId)) {
            catalog.put(product.productId(), product);
        }
        List<Purchase> purchases = new ArrayList<>();
        List<View> views = new ArrayList<>();
        Instant[] newest = {Instant.EPOCH};
        new InteractionDao(jdbi)
                .stream(
                        tenantId,
                        Instant.EPOCH,
                        Instant.parse("9999-01-01T00:00:00Z"),
                        interaction -> {
                            if (EventType.ORDER_COMPLETED.equals(interaction.type())) {
                                // Bought before the catalog knew it: history, never shown.
                                catalog.computeIfAbsent(
                                        interaction.productId(),
                                        id -> new ProductInfo(id, null, null, false));
                                purchases.add(
                                        new Purchase(
                                                interaction.customerId(),
                                                interaction.productId(),
                                                interaction.orderId(),
                                                interaction.quantity(),
                                                interaction.occurredAt()));
                                if (interaction.occurredAt().isAfter(newest[0])) {
                                    newest[0] = interaction.occurredAt();
                                }
                            } else if (EventType.PRODUCT_VIEWED.equals(interaction.type())
                                    || EventType.PRODUCT_ADDED_TO_CART.equals(interaction.type())) {
                                views.add(
                                        new View(
                                                interaction.customerId(),
                                                interaction.productId(),
                                                interaction.occurredAt()));
                            }
                        });
        return new TrainingData(purchases, views, catalog, newest[0]);
    }

    /**
     * What the customer did that a model trained at {@code trainedAt} does not know: purchases
     * since, their latest views, their cart (products added and not bought since) and their
     * thumbs-down products. Two indexed reads of one customer's rows.
     */
    public CustomerSignals signals(String tenantId, String customerId, Instant trainedAt) {
        return jdbi.withHandle(
                handle -> {
                    List<Purchase> purchases =
                            handle.createQuery(
                                            "SELECT product_id, order_id, quantity, occurred_at"
                                                    + " FROM order_lines WHERE tenant_id = :tenantId"
                                                    + " AND customer_id = :customerId"
                                                    + " AND occurred_at > :since AND quantity > 0"
                                                    + " ORDER BY occurred_at LIMIT 500")
                                    .bind("tenantId", tenantId)
                                    .bind("customerId", customerId)
                                    .bind("since", trainedAt)
                                    .map(
                                            (rs, ctx) ->
                                                    new Purchase(
                                                            customerId,
                                                            rs.getString(1),
                                                            rs.getString(2),
                                                            rs.getInt(3),
                                                            ctx.findColumnMapperFor(Instant.class)
                                                                    .orElseThrow()
                                                                    .map(rs, 4, ctx)))
                                    .list();
                    Set<String> thumbsDown = new HashSet<>();
                    Set<String> ratedUp = new HashSet<>();
                    List<View> views = new ArrayList<>();
                    Set<String> cart = new java.util.LinkedHashSet<>();
                    Set<String> boughtAfter = new HashSet<>();
                    purchases.forEach(purchase -> boughtAfter.add(purchase.productId()));
                    handle.createQuery(
                                    "SELECT type, product_id, occurred_at,"
                                            + " CASE WHEN type = 'product_rated'"
                                            + " THEN JSON_VALUE(payload, '$.rating') END"
                                            + " FROM events WHERE tenant_id = :tenantId"
                                            + " AND customer_id = :customerId"
                                            + " AND product_id IS NOT NULL"
                                            + " AND type IN ('product_viewed',"
                                            + " 'product_added_to_cart', 'product_rated')"
                                            + " ORDER BY occurred_at DESC LIMIT 200")
                            .bind("tenantId", tenantId)
                            .bind("customerId", customerId)
                            .map(
                                    (rs, ctx) ->
                                            new Object[] {
                                                rs.getString(1),
                                                rs.getString(2),
                                                ctx.findColumnMapperFor(Instant.class)
                                                        .orElseThrow()
                                                        .map(rs, 3, ctx),
                                                rs.getString(4)
                                            })
                            .forEach(
                                    row -> {
                                        String type = (String) row[0];
                                        String productId = (String) row[1];
                                        Instant at = (Instant) row[2];
                                        if ("product_rated".equals(type)) {
                                            // Newest first: the latest rating of a product wins.
                                            if (!ratedUp.contains(productId)
                                                    && "down".equals(row[3])) {
                                                thumbsDown.add(productId);
                                            } else if (!thumbsDown.contains(productId)) {
                                                ratedUp.add(productId);
                                            }
                                            return;
                                        }
                                        if (views.size() < 50) {
                                            views.add(new View(customerId, productId, at));
                                        }
                                        if ("product_added_to_cart".equals(type)
                                                && at.isAfter(trainedAt.minus(CART_MEMORY))
                                                && !boughtAfter.contains(productId)) {
                                            cart.add(productId);
                                        }
                                    });
                    return new CustomerSignals(
                            Set.copyOf(thumbsDown),
                            List.copyOf(purchases),
                            List.copyOf(views),
                            Set.copyOf(cart));
                });
    }
}
