package io.hilal.core.reco;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Recommends products no model has seen yet (added to the catalog after training) from what they
 * are, not from who bought them: each new product is compared with each product the customer
 * bought, by title words (TF-IDF cosine), category path (shared levels, broadest first), scalar
 * attributes and price band, and scored by its closest match, which also names the reason ("New in
 * Dates, like the Ajwa dates you bought"). Pure: no I/O, built once per set of new products.
 */
public final class ColdStart {
    /** Weights of the four likenesses; title words carry most, as they do in every shop's data. */
    static final double TITLE_WEIGHT = 1.0;

    static final double CATEGORY_WEIGHT = 0.6;
    static final double ATTRIBUTE_WEIGHT = 0.3;
    static final double PRICE_WEIGHT = 0.15;

    /** Prices within a factor of about 1.6 of each other share a band. */
    private static final double PRICE_BAND = Math.log(1.6);

    /** Title words shorter than this (sizes, "of", "set") say little. */
    private static final int MIN_WORD = 3;

    /** What the recommender knows of a product: all from the catalog, nothing from events. */
    public record Item(
            String productId,
            String title,
            List<String> categories,
            Map<String, String> attributes,
            BigDecimal price) {
        public Item {
            categories = categories == null ? List.of() : List.copyOf(categories);
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        String category() {
            return categories.isEmpty() ? null : categories.get(categories.size() - 1);
        }
    }

    private final List<Vector> candidates = new ArrayList<>();
    private final Map<String, Double> idf = new HashMap<>();

    /**
     * @param newItems the products to recommend
     * @param known every product whose titles count for word rarity (the catalog), new ones too
     */
    public ColdStart(Collection<Item> newItems, Collection<Item> known) {
        Map<String, Integer> documents = new HashMap<>();
        int count = 0;
        for (Item item : known) {
            count++;
            for (String word : words(item.title())) {
                documents.merge(word, 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> entry : documents.entrySet()) {
            idf.put(entry.getKey(), Math.log((1.0 + count) / (1.0 + entry.getValue())) + 1);
        }
        for (Item item : newItems) {
            candidates.add(vector(item));
        }
    }

    public boolean isEmpty() {
        return candidates.isEmpty();
    }

    /**
     * The new products most like what the customer bought, best first, at most {@code limit}, each
     * with the bought product it is most like as its reason; products in {@code owned} and those
     * like nothing they bought are left out.
     */
    public List<ScoredItem> recommend(List<Item> owned, int limit) {
        if (owned.isEmpty() || candidates.isEmpty()) {
            return List.of();
        }
        List<Vector> bought = owned.stream().map(this::vector).toList();
        Set<String> ownedIds = new HashSet<>();
        owned.forEach(item -> ownedIds.add(item.productId()));
        List<ScoredItem> items = new ArrayList<>();
        for (Vector candidate : candidates) {
            if (ownedIds.contains(candidate.item().productId())) {
                continue;
            }
            double best = 0;
            double sum = 0;
            Vector closest = null;
            for (Vector source : bought) {
                double likeness = likeness(candidate, source);
                sum += likeness;
                if (likeness > best) {
                    best = likeness;
                    closest = source;
                }
            }
            if (closest != null) {
                // The closest match decides; how many bought products it is like breaks ties.
                double score = best + 0.01 * sum / bought.size();
                items.add(
                        new ScoredItem(
                                candidate.item().productId(), score, reason(candidate, closest)));
            }
        }
        items.sort(
                Comparator.comparingDouble(ScoredItem::score)
                        .reversed()
                        .thenComparing(ScoredItem::productId));
        return items.size() > limit ? List.copyOf(items.subList(0, limit)) : items;
    }

    static double likeness(Vector a, Vector b) {
        double title = 0;
        for (Map.Entry<String, Double> entry : a.words().entrySet()) {
            Double other = b.words().get(entry.getKey());
            if (other != null) {
                title += entry.getValue() * other;
            }
        }
        double category = 0;
        List<String> pathA = a.item().categories();
        List<String> pathB = b.item().categories();
        int depth = Math.max(pathA.size(), pathB.size());
        if (depth > 0) {
            int shared = 0;
            while (shared < Math.min(pathA.size(), pathB.size())
                    && pathA.get(shared).equals(pathB.get(shared))) {
                shared++;
            }
            category = (double) shared / depth;
        }
        double attributes = 0;
        Map<String, String> attributesA = a.item().attributes();
        Map<String, String> attributesB = b.item().attributes();
        if (!attributesA.isEmpty() && !attributesB.isEmpty()) {
            int same = 0;
            for (Map.Entry<String, String> entry : attributesA.entrySet()) {
                if (entry.getValue()
                        .equalsIgnoreCase(attributesB.getOrDefault(entry.getKey(), ""))) {
                    same++;
                }
            }
            attributes = (double) same / Math.max(attributesA.size(), attributesB.size());
        }
        double price = 0;
        if (a.logPrice() != null && b.logPrice() != null) {
            price = Math.abs(a.logPrice() - b.logPrice()) <= PRICE_BAND ? 1 : 0;
        }
        return TITLE_WEIGHT * title
                + CATEGORY_WEIGHT * category
                + ATTRIBUTE_WEIGHT * attributes
                + (title + category + attributes > 0 ? PRICE_WEIGHT * price : 0);
    }

    private static String reason(Vector candidate, Vector source) {
        String like =
                source.item().title() == null ? source.item().productId() : source.item().title();
        String category = candidate.item().category();
        return category == null
                ? "New, like the " + like + " you bought"
                : "New in " + category + ", like the " + like + " you bought";
    }

    /** An item with its title as a unit-length TF-IDF vector and its log price. */
    record Vector(Item item, Map<String, Double> words, Double logPrice) {}

    private Vector vector(Item item) {
        Map<String, Double> weights = new HashMap<>();
        for (String word : words(item.title())) {
            // A word no catalog title has is as rare as can be.
            weights.merge(
                    word, idf.getOrDefault(word, Math.log(1.0 + idf.size()) + 1), Double::sum);
        }
        double norm = Math.sqrt(weights.values().stream().mapToDouble(w -> w * w).sum());
        if (norm > 0) {
            weights.replaceAll((word, weight) -> weight / norm);
        }
        Double logPrice =
                item.price() == null || item.price().signum() <= 0
                        ? null
                        : Math.log(item.price().doubleValue());
        return new Vector(item, weights, logPrice);
    }

    static List<String> words(String title) {
        if (title == null) {
            return List.of();
        }
        List<String> words = new ArrayList<>();
        for (String word : title.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= MIN_WORD) {
                words.add(word);
            }
        }
        return words;
    }
}
