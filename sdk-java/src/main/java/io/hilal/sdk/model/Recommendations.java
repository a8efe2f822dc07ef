package io.hilal.sdk.model;

import java.util.List;

/**
 * A flat list of recommended products, strongest first: a customer's recommendations or the
 * products often bought with one product.
 *
 * @param items the products
 */
public record Recommendations(List<RecommendedItem> items) {
    /**
     * Reads absent collections as empty ones, so they are never null.
     *
     * @param items the products
     */
    public Recommendations {
        items = items == null ? List.of() : items;
    }
}
