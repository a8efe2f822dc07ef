package io.hilal.core.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A catalog item. Hidden or unavailable products are never recommended. */
public record Product(
        String id,
        String title,
        List<String> categories,
        BigDecimal price,
        String currency,
        boolean available,
        Integer stock,
        boolean hidden,
        String imageUrl,
        String url,
        Map<String, Object> attributes,
        Instant createdAt,
        Instant updatedAt) {

    /** The most specific category, or null. */
    public String category() {
        return categories == null || categories.isEmpty()
                ? null
                : categories.get(categories.size() - 1);
    }
}
