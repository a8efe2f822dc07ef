package io.hilal.core.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A showable product as serving needs it: what a page or an email shows of it, and what a
 * content-based recommender compares (the category path, scalar attributes, the price).
 */
public record CatalogProduct(
        String id,
        String title,
        List<String> categories,
        BigDecimal price,
        String currency,
        String imageUrl,
        String url,
        Map<String, String> attributes,
        Instant createdAt) {

    public CatalogProduct {
        categories = List.copyOf(categories);
        attributes = Map.copyOf(attributes);
    }

    /** The most specific category, or null. */
    public String category() {
        return categories.isEmpty() ? null : categories.get(categories.size() - 1);
    }

    /** About how many bytes this holds, for bounding a cache of catalogs. */
    int weight() {
        int weight = 160 + 2 * (id.length() + length(title) + length(imageUrl) + length(url));
        for (String category : categories) {
            weight += 40 + 2 * category.length();
        }
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            weight += 80 + 2 * (attribute.getKey().length() + attribute.getValue().length());
        }
        return weight;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
