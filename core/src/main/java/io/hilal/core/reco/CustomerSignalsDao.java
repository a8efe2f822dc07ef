package io.hilal.core.reco;

import io.hilal.core.events.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
                handle ->
                        assemble(
                                customerId,
                                trainedAt,
                                history(handle, tenantId, customerId),
                                thumbsDown(handle, tenantId, customerId),
                                recent(handle, tenantId, customerId),
                                searches(handle, tenantId, customerId)));
    }

    /**
     * The signals of several customers at once, each exactly as {@link #signals(String, String,
     * Instant)} reads them, in one query per kind of signal (purchases, ratings, views and cart
     * adds, searches) whatever their number: what a sender reads for a claimed chunk of emails
     * instead of four queries per email. Every customer asked for has an entry (empty signals for
     * one without events). Meant for chunks of tens of customers: the per-customer bounds are kept
     * by ranking each customer's rows in SQL.
     */
    public Map<String, CustomerSignals> signals(
            String tenantId, Collection<String> customerIds, Instant trainedAt) {
        if (customerIds.isEmpty()) {
            return Map.of();
        }
        List<String> ids = List.copyOf(new LinkedHashSet<>(customerIds));
        return jdbi.withHandle(
                handle -> {
                    Map<String, Map<String, PurchaseHistory>> histories =
                            histories(handle, tenantId, ids);
                    Map<String, Set<String>> thumbsDown = thumbsDowns(handle, tenantId, ids);
                    Map<String, List<RecentEvent>> recent = recents(handle, tenantId, ids);
                    Map<String, List<Search>> searches = searches(handle, tenantId, ids);
                    Map<String, CustomerSignals> signals = new HashMap<>();
                    for (String id : ids) {
                        signals.put(
                                id,
                                assemble(
                                        id,
                                        trainedAt,
                                        histories.getOrDefault(id, new HashMap<>()),
                                        thumbsDown.getOrDefault(id, new HashSet<>()),
                                        recent.getOrDefault(id, List.of()),
                                        searches.getOrDefault(id, List.of())));
                    }
                    return signals;
                });
    }

    /** One customer's signals from their rows as read (views and cart adds newest first). */
    private static CustomerSignals assemble(
            String customerId,
            Instant trainedAt,
            Map<String, PurchaseHistory> history,
            Set<String> thumbsDown,
            List<RecentEvent> recent,
            List<Search> searches) {
        List<View> views = new ArrayList<>();
        Set<String> cart = new LinkedHashSet<>();
        for (RecentEvent event : recent) {
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
                                customerId, product.productId(), null, 1, product.lastBought()));
            }
        }
        return new CustomerSignals(
                Set.copyOf(thumbsDown),
                List.copyOf(newPurchases),
                List.copyOf(views),
                Set.copyOf(cart),
                Map.copyOf(history),
                true,
                searches);
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
                                // The message id (in the index, after the time) breaks ties, so
                                // a batch read for many customers ranks them the same.
                                + " ORDER BY occurred_at DESC, message_id DESC LIMIT :limit")
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
                                + " ORDER BY occurred_at DESC, received_at DESC, message_id DESC"
                                + " LIMIT :limit")
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

    /** {@link #history}'s rows for each of {@code customerIds}, each bounded the same way. */
    private static Map<String, Map<String, PurchaseHistory>> histories(
            Handle handle, String tenantId, List<String> customerIds) {
        Map<String, Map<String, PurchaseHistory>> histories = new HashMap<>();
        handle.createQuery(
                        "SELECT customer_id, product_id, bought, first_bought, last_bought FROM"
                                + " (SELECT owned.*, ROW_NUMBER() OVER (PARTITION BY customer_id"
                                + " ORDER BY last_bought DESC, product_id) AS latest FROM"
                                + " (SELECT customer_id, product_id,"
                                + " COUNT(DISTINCT CASE WHEN quantity > 0 THEN occurred_at END)"
                                + " AS bought,"
                                + " MIN(CASE WHEN quantity > 0 THEN occurred_at END)"
                                + " AS first_bought,"
                                + " MAX(CASE WHEN quantity > 0 THEN occurred_at END)"
                                + " AS last_bought"
                                + " FROM order_lines WHERE tenant_id = :tenantId"
                                + " AND customer_id IN (<customerIds>)"
                                + " GROUP BY customer_id, product_id HAVING SUM(quantity) > 0)"
                                + " owned) ranked WHERE latest <= :limit")
                .bind("tenantId", tenantId)
                .bindList("customerIds", customerIds)
                .bind("limit", HISTORY_PRODUCTS)
                .map(
                        (rs, ctx) -> {
                            var instants = ctx.findColumnMapperFor(Instant.class).orElseThrow();
                            return Map.entry(
                                    rs.getString(1),
                                    new PurchaseHistory(
                                            rs.getString(2),
                                            rs.getInt(3),
                                            instants.map(rs, 4, ctx),
                                            instants.map(rs, 5, ctx)));
                        })
                .forEach(
                        row ->
                                histories
                                        .computeIfAbsent(row.getKey(), id -> new HashMap<>())
                                        .put(row.getValue().productId(), row.getValue()));
        return histories;
    }

    /** {@link #thumbsDown}'s products for each of {@code customerIds}. */
    private static Map<String, Set<String>> thumbsDowns(
            Handle handle, String tenantId, List<String> customerIds) {
        Map<String, Set<String>> thumbsDown = new HashMap<>();
        handle.createQuery(
                        "SELECT customer_id, product_id FROM (SELECT customer_id, product_id,"
                                + " JSON_VALUE(payload, '$.rating') AS rating,"
                                + " ROW_NUMBER() OVER (PARTITION BY customer_id, product_id"
                                + " ORDER BY occurred_at DESC, received_at DESC,"
                                + " message_id DESC) AS newest"
                                + " FROM events WHERE tenant_id = :tenantId"
                                + " AND customer_id IN (<customerIds>)"
                                + " AND type = 'product_rated' AND product_id IS NOT NULL)"
                                + " ratings WHERE newest = 1 AND rating = 'down'")
                .bind("tenantId", tenantId)
                .bindList("customerIds", customerIds)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(
                        row ->
                                thumbsDown
                                        .computeIfAbsent(row.getKey(), id -> new HashSet<>())
                                        .add(row.getValue()));
        return thumbsDown;
    }

    /** {@link #recent}'s events for each of {@code customerIds}, newest first. */
    private static Map<String, List<RecentEvent>> recents(
            Handle handle, String tenantId, List<String> customerIds) {
        Map<String, List<RecentEvent>> recent = new HashMap<>();
        handle.createQuery(
                        "SELECT customer_id, type, product_id, occurred_at FROM"
                                + " (SELECT customer_id, type, product_id, occurred_at,"
                                + " ROW_NUMBER() OVER (PARTITION BY customer_id"
                                + " ORDER BY occurred_at DESC, message_id DESC) AS newest"
                                + " FROM events WHERE tenant_id = :tenantId"
                                + " AND customer_id IN (<customerIds>)"
                                + " AND type IN ('product_viewed', 'product_added_to_cart')"
                                + " AND product_id IS NOT NULL) ranked"
                                + " WHERE newest <= :limit ORDER BY customer_id, newest")
                .bind("tenantId", tenantId)
                .bindList("customerIds", customerIds)
                .bind("limit", RECENT_EVENTS)
                .map(
                        (rs, ctx) ->
                                Map.entry(
                                        rs.getString(1),
                                        new RecentEvent(
                                                rs.getString(2),
                                                rs.getString(3),
                                                ctx.findColumnMapperFor(Instant.class)
                                                        .orElseThrow()
                                                        .map(rs, 4, ctx))))
                .forEach(
                        row ->
                                recent.computeIfAbsent(row.getKey(), id -> new ArrayList<>())
                                        .add(row.getValue()));
        return recent;
    }

    /** {@link #searches}' searches for each of {@code customerIds}, newest first. */
    private static Map<String, List<Search>> searches(
            Handle handle, String tenantId, List<String> customerIds) {
        Map<String, List<Search>> searches = new HashMap<>();
        handle.createQuery(
                        "SELECT customer_id, query, occurred_at FROM"
                                + " (SELECT customer_id, JSON_VALUE(payload, '$.query') AS query,"
                                + " occurred_at, ROW_NUMBER() OVER (PARTITION BY customer_id"
                                + " ORDER BY occurred_at DESC, received_at DESC,"
                                + " message_id DESC) AS newest"
                                + " FROM events WHERE tenant_id = :tenantId"
                                + " AND customer_id IN (<customerIds>) AND type = 'search') ranked"
                                + " WHERE newest <= :limit ORDER BY customer_id, newest")
                .bind("tenantId", tenantId)
                .bindList("customerIds", customerIds)
                .bind("limit", RECENT_SEARCHES)
                .map(
                        (rs, ctx) ->
                                Map.entry(
                                        rs.getString(1),
                                        new Search(
                                                rs.getString(2),
                                                ctx.findColumnMapperFor(Instant.class)
                                                        .orElseThrow()
                                                        .map(rs, 3, ctx))))
                // Blank searches are dropped after the limit, as for one customer.
                .filter(row -> row.getValue().query() != null && !row.getValue().query().isBlank())
                .forEach(
                        row ->
                                searches.computeIfAbsent(row.getKey(), id -> new ArrayList<>())
                                        .add(row.getValue()));
        return searches;
    }

    private record RecentEvent(String type, String productId, Instant at) {}
}
