package io.hilal.core.reco;

import io.hilal.core.events.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads what serving needs of one customer at request time: their whole purchase history (net of
 * refunds, aggregated per product in SQL, so its cost is bounded by the products they bought, not
 * their lines), their newest views and cart adds, and their standing thumbs-down products (each
 * product's latest rating, however many events came after it). Serving reads customers through this
 * class, never through the trainer.
 */
public final class CustomerSignalsDao {
    /** Cart adds this long before the model's present still count as in the cart. */
    static final Duration CART_MEMORY = Duration.ofDays(3);

    /** Views and cart adds read per customer: their current taste. */
    static final int RECENT_EVENTS = 200;

    /** Searches read per customer, newest first: the "Because you searched for" row's. */
    static final int RECENT_SEARCHES = 5;

    /** Views kept for the "Because you viewed" row and the fold-in. */
    static final int RECENT_VIEWS = 50;

    /**
     * Products read from a customer's purchase history at most, the latest bought first: far more
     * than any page shows, and a bound for wholesale buyers with tens of thousands of products.
     */
    static final int HISTORY_PRODUCTS = 2_000;

    private final Jdbi jdbi;

    public CustomerSignalsDao(Jdbi jdbi) {
        this.jdbi = jdbi;
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
     * The customer's signals as of now, for a model trained at {@code trainedAt} (which only
     * decides how old a cart add may be and still count as in the cart).
     */
    public CustomerSignals signals(String tenantId, String customerId, Instant trainedAt) {
        return jdbi.withHandle(
                handle -> {
                    Map<String, PurchaseHistory> history = history(handle, tenantId, customerId);
                    Set<String> thumbsDown = thumbsDown(handle, tenantId, customerId);
                    List<View> views = new ArrayList<>();
                    Set<String> cart = new LinkedHashSet<>();
                    for (RecentEvent event : recent(handle, tenantId, customerId)) {
                        if (views.size() < RECENT_VIEWS) {
                            views.add(new View(customerId, event.productId(), event.at()));
                        }
                        PurchaseHistory bought = history.get(event.productId());
                        if (EventType.PRODUCT_ADDED_TO_CART.equals(event.type())
                                && event.at().isAfter(trainedAt.minus(CART_MEMORY))
                                && (bought == null || bought.lastBought().isBefore(event.at()))) {
                            cart.add(event.productId());
                        }
                    }
                    List<Purchase> newPurchases = new ArrayList<>();
                    for (PurchaseHistory product : history.values()) {
                        if (product.lastBought().isAfter(trainedAt)) {
                            newPurchases.add(
                                    new Purchase(
                                            customerId,
                                            product.productId(),
                                            null,
                                            1,
                                            product.lastBought()));
                        }
                    }
                    return new CustomerSignals(
                            Set.copyOf(thumbsDown),
                            List.copyOf(newPurchases),
                            List.copyOf(views),
                            Set.copyOf(cart),
                            Map.copyOf(history),
                            true,
                            searches(handle, tenantId, customerId));
                });
    }

    /**
     * The products the customer owns: bought, net of refunds (their units refunded are subtracted
     * from the units bought; a product whose units all went back is not owned), on how many
     * distinct moments, first and last. One row per product, through the (tenant, customer) index.
     */
    private static Map<String, PurchaseHistory> history(
            Handle handle, String tenantId, String customerId) {
        Map<String, PurchaseHistory> history = new HashMap<>();
        handle.createQuery(
                        "SELECT product_id,"
                                + " COUNT(DISTINCT CASE WHEN quantity > 0 THEN occurred_at END),"
                                + " MIN(CASE WHEN quantity > 0 THEN occurred_at END),"
                                + " MAX(CASE WHEN quantity > 0 THEN occurred_at END)"
                                + " FROM order_lines WHERE tenant_id = :tenantId"
                                + " AND customer_id = :customerId GROUP BY product_id"
                                + " HAVING SUM(quantity) > 0"
                                + " ORDER BY MAX(CASE WHEN quantity > 0 THEN occurred_at END) DESC,"
                                + " product_id LIMIT :limit")
                .bind("tenantId", tenantId)
                .bind("customerId", customerId)
                .bind("limit", HISTORY_PRODUCTS)
                .map(
                        (rs, ctx) -> {
                            var instants = ctx.findColumnMapperFor(Instant.class).orElseThrow();
                            return new PurchaseHistory(
                                    rs.getString(1),
                                    rs.getInt(2),
                                    instants.map(rs, 3, ctx),
                                    instants.map(rs, 4, ctx));
                        })
                .forEach(product -> history.put(product.productId(), product));
        return history;
    }

    /**
     * Products whose latest rating by the customer is a thumbs-down: it stands until they rate the
     * product up, however many other events follow. One row per rated product.
     */
    private static Set<String> thumbsDown(Handle handle, String tenantId, String customerId) {
        return new HashSet<>(
                handle.createQuery(
                                "SELECT product_id FROM (SELECT product_id,"
                                        + " JSON_VALUE(payload, '$.rating') AS rating,"
                                        + " ROW_NUMBER() OVER (PARTITION BY product_id"
                                        + " ORDER BY occurred_at DESC, received_at DESC,"
                                        + " message_id DESC) AS newest"
                                        + " FROM events WHERE tenant_id = :tenantId"
                                        + " AND customer_id = :customerId"
                                        + " AND type = 'product_rated' AND product_id IS NOT NULL)"
                                        + " ratings WHERE newest = 1 AND rating = 'down'")
                        .bind("tenantId", tenantId)
                        .bind("customerId", customerId)
                        .mapTo(String.class)
                        .list());
    }

    /** The customer's newest views and cart adds, newest first. */
    private static List<RecentEvent> recent(Handle handle, String tenantId, String customerId) {
        return handle.createQuery(
                        "SELECT type, product_id, occurred_at FROM events"
                                + " WHERE tenant_id = :tenantId AND customer_id = :customerId"
                                + " AND type IN ('product_viewed', 'product_added_to_cart')"
                                + " AND product_id IS NOT NULL"
                                + " ORDER BY occurred_at DESC LIMIT :limit")
                .bind("tenantId", tenantId)
                .bind("customerId", customerId)
                .bind("limit", RECENT_EVENTS)
                .map(
                        (rs, ctx) ->
                                new RecentEvent(
                                        rs.getString(1),
                                        rs.getString(2),
                                        ctx.findColumnMapperFor(Instant.class)
                                                .orElseThrow()
                                                .map(rs, 3, ctx)))
                .list();
    }

    /** The customer's newest searches, newest first, through the (customer, type) index. */
    private static List<Search> searches(Handle handle, String tenantId, String customerId) {
        return handle.createQuery(
                        "SELECT JSON_VALUE(payload, '$.query'), occurred_at FROM events"
                                + " WHERE tenant_id = :tenantId AND customer_id = :customerId"
                                + " AND type = 'search'"
                                + " ORDER BY occurred_at DESC, received_at DESC LIMIT :limit")
                .bind("tenantId", tenantId)
                .bind("customerId", customerId)
                .bind("limit", RECENT_SEARCHES)
                .map(
                        (rs, ctx) ->
                                new Search(
                                        rs.getString(1),
                                        ctx.findColumnMapperFor(Instant.class)
                                                .orElseThrow()
                                                .map(rs, 2, ctx)))
                .filter(search -> search.query() != null && !search.query().isBlank())
                .list();
    }

    private record RecentEvent(String type, String productId, Instant at) {}
}
