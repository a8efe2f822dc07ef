package io.hilal.core.reco;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What sold after a model's training: per product, the moment of each order that bought it, net of
 * refunds (a customer who sent back every unit of a product they bought since does not count for
 * it). Popularity, trending and category rows merge these with the model's own counts, so a product
 * that sells well right after it was added joins them at once. Immutable; at most {@link
 * #MAX_PRODUCTS} products, the most ordered first.
 */
public final class RecentSales {
    /** Products kept: far more than any row shows, and a bound on the work of merging them. */
    static final int MAX_PRODUCTS = 500;

    public static final RecentSales NONE = new RecentSales(Map.of(), null);

    /** One order or refund line: {@code quantity} is negative for a refund. */
    public record Line(
            String productId, String customerId, String orderKey, int quantity, Instant at) {}

    private final Map<String, List<Instant>> orders;
    private final Instant newest;

    private RecentSales(Map<String, List<Instant>> orders, Instant newest) {
        this.orders = orders;
        this.newest = newest;
    }

    /** The sales in {@code lines}, refunds netted per customer and product. */
    public static RecentSales of(Collection<Line> lines) {
        Map<String, Integer> units = new HashMap<>();
        for (Line line : lines) {
            units.merge(line.customerId() + "\n" + line.productId(), line.quantity(), Integer::sum);
        }
        Map<String, Map<String, Instant>> byProduct = new HashMap<>();
        Instant newest = null;
        for (Line line : lines) {
            if (line.quantity() > 0 && units.get(line.customerId() + "\n" + line.productId()) > 0) {
                // One moment per order: an order with two lines of a product is one order.
                byProduct
                        .computeIfAbsent(line.productId(), id -> new HashMap<>())
                        .merge(line.orderKey(), line.at(), (a, b) -> a.isAfter(b) ? a : b);
                if (newest == null || line.at().isAfter(newest)) {
                    newest = line.at();
                }
            }
        }
        List<Map.Entry<String, Map<String, Instant>>> ranked =
                new ArrayList<>(byProduct.entrySet());
        ranked.sort(
                Comparator.<Map.Entry<String, Map<String, Instant>>>comparingInt(
                                entry -> -entry.getValue().size())
                        .thenComparing(Map.Entry::getKey));
        Map<String, List<Instant>> orders = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Instant>> entry :
                ranked.subList(0, Math.min(MAX_PRODUCTS, ranked.size()))) {
            orders.put(entry.getKey(), List.copyOf(entry.getValue().values()));
        }
        return new RecentSales(java.util.Collections.unmodifiableMap(orders), newest);
    }

    public boolean isEmpty() {
        return orders.isEmpty();
    }

    /** The products sold, the most ordered first. */
    public Set<String> products() {
        return orders.keySet();
    }

    /** When each order of {@code productId} was placed; empty when it did not sell. */
    public List<Instant> orders(String productId) {
        return orders.getOrDefault(productId, List.of());
    }

    /** The newest sale, or {@code fallback} when none is newer. */
    public Instant newest(Instant fallback) {
        return newest == null || !newest.isAfter(fallback) ? fallback : newest;
    }
}
