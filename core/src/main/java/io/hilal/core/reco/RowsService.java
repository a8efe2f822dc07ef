package io.hilal.core.reco;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a trained model into Netflix-style rows: "Time to restock", "Because you bought X",
 * "Popular in &lt;category&gt;" and "Popular right now". No product appears twice on a page, hidden
 * or unavailable products never appear, discovery rows skip what the customer already bought, and
 * products the customer gave a thumbs-down are left out everywhere.
 */
public final class RowsService {
    /** How far either side of the due date a restock suggestion is worth showing. */
    static final Duration RESTOCK_WINDOW = Duration.ofDays(21);

    public Rows rows(
            RecommendationModel model,
            String customerId,
            String contextProductId,
            Set<String> thumbsDown,
            int maxRows,
            int perRow) {
        Set<String> shown = new HashSet<>(thumbsDown);
        Map<String, RecommendationModel.Timing> owned = model.timings(customerId);
        boolean known = model.knows(customerId);
        Instant asOf = model.trainedAt();
        List<Rows.Row> rows = new ArrayList<>();

        if (contextProductId != null && model.product(contextProductId) != null) {
            shown.add(contextProductId);
            String title = title(model, contextProductId);
            add(
                    rows,
                    shown,
                    perRow,
                    "often-bought-together",
                    "Often bought together with " + title,
                    "Customers who bought " + title + " also bought these",
                    discovery(
                            model.boughtTogether(contextProductId),
                            owned,
                            "Often bought with " + title));
        }
        if (known) {
            add(
                    rows,
                    shown,
                    perRow,
                    "time-to-restock",
                    "Time to restock",
                    "From how often you buy these and when you last did",
                    restock(model, owned, asOf));
            String anchor = latestWithNeighbours(model, owned);
            if (anchor != null) {
                String title = title(model, anchor);
                add(
                        rows,
                        shown,
                        perRow,
                        "because-you-bought",
                        "Because you bought " + title,
                        "Often bought together with " + title,
                        discovery(
                                model.boughtTogether(anchor), owned, "Often bought with " + title));
            }
            String category = favouriteCategory(model, owned);
            if (category != null) {
                add(
                        rows,
                        shown,
                        perRow,
                        "popular-in-category",
                        "Popular in " + category,
                        "You shop " + category + " most",
                        discovery(model.popularIn(category), owned, "Popular in " + category));
            }
        }
        add(
                rows,
                shown,
                perRow,
                "popular",
                "Popular right now",
                "What shoppers buy most, recent purchases counting more",
                discovery(
                        model.popular(),
                        known ? owned : Map.of(),
                        "Popular with shoppers right now"));
        return new Rows(
                customerId, known, List.copyOf(rows.subList(0, Math.min(maxRows, rows.size()))));
    }

    /**
     * One list instead of rows: the rows' items in page order, optionally only of one category and
     * without the given products.
     */
    public List<ScoredItem> recommendations(
            RecommendationModel model,
            String customerId,
            Set<String> thumbsDown,
            int limit,
            String category,
            Set<String> exclude) {
        Set<String> hidden = new HashSet<>(thumbsDown);
        hidden.addAll(exclude);
        List<ScoredItem> items = new ArrayList<>();
        for (Rows.Row row : rows(model, customerId, null, hidden, 10, 200).rows()) {
            for (ScoredItem item : row.items()) {
                ProductInfo product = model.product(item.productId());
                if (items.size() < limit
                        && (category == null || category.equals(product.category()))) {
                    items.add(item);
                }
            }
        }
        return items;
    }

    /** Products often bought with {@code productId}, without hidden or unavailable ones. */
    public List<ScoredItem> similar(RecommendationModel model, String productId, int limit) {
        String title = title(model, productId);
        return discovery(model.boughtTogether(productId), Map.of(), "Often bought with " + title)
                .stream()
                .limit(limit)
                .toList();
    }

    private static List<ScoredItem> restock(
            RecommendationModel model,
            Map<String, RecommendationModel.Timing> owned,
            Instant asOf) {
        List<ScoredItem> items = new ArrayList<>();
        for (RecommendationModel.Timing timing : owned.values()) {
            ProductInfo product = model.product(timing.productId());
            long offDays = Math.abs(Duration.between(timing.due(), asOf).toDays());
            if (product == null
                    || !product.recommendable()
                    || timing.confidence() < 0.15
                    || offDays > RESTOCK_WINDOW.toDays()) {
                continue;
            }
            double closeness = 1 - (double) offDays / RESTOCK_WINDOW.toDays();
            long every = Math.round(timing.gapDays());
            long since = Duration.between(timing.lastBought(), asOf).toDays();
            items.add(
                    new ScoredItem(
                            timing.productId(),
                            timing.confidence() * (0.5 + 0.5 * closeness),
                            "You buy this about every "
                                    + every
                                    + " days; last bought "
                                    + since
                                    + " days ago"));
        }
        items.sort(
                Comparator.comparingDouble(ScoredItem::score)
                        .reversed()
                        .thenComparing(ScoredItem::productId));
        return items;
    }

    private static List<ScoredItem> discovery(
            List<ScoredItem> candidates,
            Map<String, RecommendationModel.Timing> owned,
            String reason) {
        List<ScoredItem> items = new ArrayList<>();
        for (ScoredItem candidate : candidates) {
            if (!owned.containsKey(candidate.productId())) {
                items.add(new ScoredItem(candidate.productId(), candidate.score(), reason));
            }
        }
        return items;
    }

    private static void add(
            List<Rows.Row> rows,
            Set<String> shown,
            int perRow,
            String id,
            String title,
            String evidence,
            List<ScoredItem> candidates) {
        List<ScoredItem> items = new ArrayList<>();
        for (ScoredItem item : candidates) {
            if (items.size() == perRow) {
                break;
            }
            if (shown.add(item.productId())) {
                items.add(item);
            }
        }
        if (!items.isEmpty()) {
            rows.add(new Rows.Row(id, title, evidence, List.copyOf(items)));
        }
    }

    /** The most recent purchase that is itself showable and has neighbours not yet owned. */
    private static String latestWithNeighbours(
            RecommendationModel model, Map<String, RecommendationModel.Timing> owned) {
        return owned.values().stream()
                .filter(timing -> model.product(timing.productId()).recommendable())
                .filter(
                        timing ->
                                !discovery(model.boughtTogether(timing.productId()), owned, "")
                                        .isEmpty())
                .max(
                        Comparator.comparing(RecommendationModel.Timing::lastBought)
                                .thenComparing(RecommendationModel.Timing::productId))
                .map(RecommendationModel.Timing::productId)
                .orElse(null);
    }

    private static String favouriteCategory(
            RecommendationModel model, Map<String, RecommendationModel.Timing> owned) {
        Map<String, Integer> counts = new HashMap<>();
        for (RecommendationModel.Timing timing : owned.values()) {
            ProductInfo product = model.product(timing.productId());
            if (product != null && product.category() != null) {
                counts.merge(product.category(), timing.purchases(), Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(
                        Map.Entry.<String, Integer>comparingByValue()
                                .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    private static String title(RecommendationModel model, String productId) {
        ProductInfo product = model.product(productId);
        return product == null || product.title() == null ? productId : product.title();
    }
}
