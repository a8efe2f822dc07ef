package io.hilal.sdk.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A catalog product as Hilal stores it. Hidden or unavailable products are never recommended.
 *
 * @param id your id (SKU) for the product
 * @param title its name as customers see it
 * @param categories the path from the broadest category to the most specific, empty when none
 * @param price its price, or null
 * @param currency the ISO 4217 currency of the price, or null without a price
 * @param available whether it can be bought now
 * @param stock units in stock, or null when not tracked
 * @param hidden whether it is kept out of recommendations
 * @param imageUrl an http(s) URL of its picture, or null
 * @param url the http(s) URL of its page, or null
 * @param attributes your own fields, empty when none
 * @param createdAt when Hilal first heard of it
 * @param updatedAt when it last changed
 */
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
    /**
     * Reads absent collections as empty ones, so they are never null.
     *
     * @param id your id (SKU) for the product
     * @param title its name as customers see it
     * @param categories the path from the broadest category to the most specific, empty when none
     * @param price its price, or null
     * @param currency the ISO 4217 currency of the price, or null without a price
     * @param available whether it can be bought now
     * @param stock units in stock, or null when not tracked
     * @param hidden whether it is kept out of recommendations
     * @param imageUrl an http(s) URL of its picture, or null
     * @param url the http(s) URL of its page, or null
     * @param attributes your own fields, empty when none
     * @param createdAt when Hilal first heard of it
     * @param updatedAt when it last changed
     */
    public Product {
        categories = categories == null ? List.of() : categories;
        attributes = attributes == null ? Map.of() : attributes;
    }

    /**
     * The most specific category.
     *
     * @return the last category, or null when there is none
     */
    public String category() {
        return categories == null || categories.isEmpty()
                ? null
                : categories.get(categories.size() - 1);
    }
}
