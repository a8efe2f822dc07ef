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
import java.util.Optional;
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

    /**
     * Trains on what happened before {@code until} only: a model as it would have been then, for
     * replaying a history (the demo's campaign runs at Eid 2011 on data that goes on to December).
     */
    public RecommendationModel train(String tenantId, Instant until) {
        return train(load(tenantId, until));
    }

    public RecommendationModel train(TrainingData data) {
        return RecommendationModel.train(
                data.purchases(), data.views(), data.catalog(), data.newest());
    }

    /** Reads a tenant's training data, streaming it out of the database. */
    public TrainingData load(String tenantId) {
        return load(tenantId, Instant.parse("9999-01-01T00:00:00Z"));
    }

    /** Reads what a tenant's models learn from that happened before {@code until}. */
    public TrainingData load(String tenantId, Instant until) {
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
                        until,
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
     * Which state of the customer's signals the database holds: their row's creation and a counter
     * that ingest moves with every new event of theirs. Signals read after seeing a version are at
     * least that new. Empty when the customer does not exist (then they have no events).
     */
    public Optional<SignalsVersion> signalsVersion(String tenantId, String customerId) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT created_at, signals_version FROM customers"
                                                + " WHERE tenant_id = :tenantId"
                                                + " AND customer_id = :customerId")
                                .bind("tenantId", tenantId)
                                .bind("customerId", customerId)
                                .map(
                                        (rs, ctx) ->
                                                new SignalsVersion(
                                                        ctx.findColumnMapperFor(Instant.class)
                                                                .orElseThrow()
                                                                .map(rs, 1, ctx),
                                                        rs.getLong(2)))
                                .findOne());
    }

    /**
     * A customer's signals version. The creation time tells a customer erased and created again
     * apart from the one before, whose counter may have reached the same number.
     */
    public record SignalsVersion(Instant customerCreatedAt, long counter) {}

    /**
     * What the customer did that a model trained at {@code trainedAt} does not know: purchases
     * since, their latest views, their cart (products added and not bought since) and their
     * thumbs-down products. One round trip over two indexed ranges of one customer's rows; it runs
     * on every rows request.
     */
    public CustomerSignals signals(String tenantId, String customerId, Instant trainedAt) {
        List<SignalRow> rows =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "(SELECT 'purchase', product_id, order_id, quantity,"
                                                        + " occurred_at, NULL FROM order_lines"
                                                        + " WHERE tenant_id = :tenantId"
                                                        + " AND customer_id = :customerId"
                                                        + " AND occurred_at > :since AND quantity > 0"
                                                        + " ORDER BY occurred_at LIMIT 500)"
                                                        + " UNION ALL"
                                                        + " (SELECT type, product_id, NULL, 1, occurred_at,"
                                                        + " CASE WHEN type = 'product_rated'"
                                                        + " THEN JSON_VALUE(payload, '$.rating') END"
                                                        + " FROM events WHERE tenant_id = :tenantId"
                                                        + " AND customer_id = :customerId"
                                                        + " AND type IN ('product_viewed',"
                                                        + " 'product_added_to_cart', 'product_rated')"
                                                        + " AND product_id IS NOT NULL"
                                                        + " ORDER BY occurred_at DESC LIMIT 200)")
                                        .bind("tenantId", tenantId)
                                        .bind("customerId", customerId)
                                        .bind("since", trainedAt)
                                        .map(
                                                (rs, ctx) ->
                                                        new SignalRow(
                                                                rs.getString(1),
                                                                rs.getString(2),
                                                                rs.getString(3),
                                                                rs.getInt(4),
                                                                ctx.findColumnMapperFor(
                                                                                Instant.class)
                                                                        .orElseThrow()
                                                                        .map(rs, 5, ctx),
                                                                rs.getString(6)))
                                        .list());
        List<Purchase> purchases = new ArrayList<>();
        Set<String> boughtAfter = new HashSet<>();
        for (SignalRow row : rows) {
            if (row.kind().equals("purchase")) {
                purchases.add(
                        new Purchase(
                                customerId,
                                row.productId(),
                                row.orderId(),
                                row.quantity(),
                                row.at()));
                boughtAfter.add(row.productId());
            }
        }
        Set<String> thumbsDown = new HashSet<>();
        Set<String> ratedUp = new HashSet<>();
        List<View> views = new ArrayList<>();
        Set<String> cart = new java.util.LinkedHashSet<>();
        for (SignalRow row : rows) { // events come newest first
            switch (row.kind()) {
                case "purchase" -> {}
                case EventType.PRODUCT_RATED -> {
                    // The latest rating of a product wins.
                    if (!ratedUp.contains(row.productId()) && "down".equals(row.rating())) {
                        thumbsDown.add(row.productId());
                    } else if (!thumbsDown.contains(row.productId())) {
                        ratedUp.add(row.productId());
                    }
                }
                default -> {
                    if (views.size() < 50) {
                        views.add(new View(customerId, row.productId(), row.at()));
                    }
                    if (EventType.PRODUCT_ADDED_TO_CART.equals(row.kind())
                            && row.at().isAfter(trainedAt.minus(CART_MEMORY))
                            && !boughtAfter.contains(row.productId())) {
                        cart.add(row.productId());
                    }
                }
            }
        }
        return new CustomerSignals(
                Set.copyOf(thumbsDown),
                List.copyOf(purchases),
                List.copyOf(views),
                Set.copyOf(cart));
    }

    private record SignalRow(
            String kind,
            String productId,
            String orderId,
            int quantity,
            Instant at,
            String rating) {}
}
