package io.hilal.core.reco;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * Streams a tenant's training data out of the events it ingested: order and refund lines, and
 * product views, cart adds and ratings. Rows are streamed, not collected, so training a large
 * tenant does not first copy its history into a list.
 */
public final class InteractionDao {
    /** One customer-product interaction; refunds have negative quantities. */
    public record Interaction(
            String customerId,
            String productId,
            String orderId,
            String type,
            int quantity,
            BigDecimal unitPrice,
            String rating,
            Instant occurredAt) {}

    private final Jdbi jdbi;

    public InteractionDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Every interaction in [from, to), oldest first. */
    public void stream(String tenantId, Instant from, Instant to, Consumer<Interaction> sink) {
        jdbi.useHandle(
                handle -> {
                    handle.createQuery(
                                    "SELECT customer_id, product_id, order_id,"
                                            + " CASE WHEN quantity < 0 THEN 'order_refunded'"
                                            + " ELSE 'order_completed' END AS type,"
                                            + " quantity, unit_price, NULL AS rating, occurred_at"
                                            + " FROM order_lines WHERE tenant_id = :tenantId"
                                            + " AND occurred_at >= :from AND occurred_at < :to"
                                            + " UNION ALL"
                                            + " SELECT customer_id, product_id, NULL, type, 1, NULL,"
                                            + " CASE WHEN type = 'product_rated'"
                                            + " THEN JSON_VALUE(payload, '$.rating') END, occurred_at"
                                            + " FROM events WHERE tenant_id = :tenantId"
                                            + " AND occurred_at >= :from AND occurred_at < :to"
                                            + " AND customer_id IS NOT NULL AND product_id IS NOT NULL"
                                            + " AND type IN ('product_viewed', 'product_added_to_cart',"
                                            + " 'product_rated')"
                                            + " ORDER BY occurred_at")
                            .bind("tenantId", tenantId)
                            .bind("from", from)
                            .bind("to", to)
                            .setFetchSize(Integer.MIN_VALUE)
                            .map(
                                    (rs, ctx) ->
                                            new Interaction(
                                                    rs.getString(1),
                                                    rs.getString(2),
                                                    rs.getString(3),
                                                    rs.getString(4),
                                                    rs.getInt(5),
                                                    rs.getBigDecimal(6),
                                                    rs.getString(7),
                                                    ctx.findColumnMapperFor(Instant.class)
                                                            .orElseThrow()
                                                            .map(rs, 8, ctx)))
                            .forEach(sink);
                });
    }

    /**
     * What a tenant's purchase lines (refunds left out) come to, counted by the database: distinct
     * (customer, product) pairs and customers, whether they all carry one time, and the lines.
     */
    public record PurchaseCounts(long pairs, long customers, boolean oneTime, long lines) {}

    public PurchaseCounts countPurchases(String tenantId) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT COUNT(DISTINCT customer_id, product_id),"
                                                + " COUNT(DISTINCT customer_id),"
                                                + " COALESCE(MIN(occurred_at) = MAX(occurred_at),"
                                                + " FALSE), COUNT(*)"
                                                + " FROM order_lines WHERE tenant_id = :tenantId"
                                                + " AND quantity > 0")
                                .bind("tenantId", tenantId)
                                .map(
                                        (rs, ctx) ->
                                                new PurchaseCounts(
                                                        rs.getLong(1),
                                                        rs.getLong(2),
                                                        rs.getBoolean(3),
                                                        rs.getLong(4)))
                                .one());
    }

    /**
     * Every order and refund line of a tenant, customer by customer and each customer's oldest
     * first (the {@code (tenant_id, customer_id, occurred_at)} index's order), read with a
     * streaming result set: a caller that needs one customer's lines at a time holds no more.
     */
    public void streamPurchasesByCustomer(String tenantId, Consumer<Interaction> sink) {
        jdbi.useHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT customer_id, product_id, order_id, quantity,"
                                                + " occurred_at FROM order_lines"
                                                + " WHERE tenant_id = :tenantId"
                                                + " ORDER BY customer_id, occurred_at")
                                .bind("tenantId", tenantId)
                                .setFetchSize(Integer.MIN_VALUE)
                                .map(
                                        (rs, ctx) ->
                                                new Interaction(
                                                        rs.getString(1),
                                                        rs.getString(2),
                                                        rs.getString(3),
                                                        rs.getInt(4) < 0
                                                                ? "order_refunded"
                                                                : "order_completed",
                                                        rs.getInt(4),
                                                        null,
                                                        null,
                                                        ctx.findColumnMapperFor(Instant.class)
                                                                .orElseThrow()
                                                                .map(rs, 5, ctx)))
                                .forEach(sink));
    }
}
