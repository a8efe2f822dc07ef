package io.hilal.sdk.model;

import java.util.List;

/**
 * A flat list of recommended products, strongest first: a customer's recommendations or the
 * products often bought with one product.
 *
 * @param items the products
 * @param impressionId a customer's recommendations' response id, to send back with the clicks
 *     ({@code Event.recommendationClicked}) and orders that come of it; null for similar products
 */
public record Recommendations(List<RecommendedItem> items, String impressionId) {
    /**
     * Reads absent collections as empty ones, so they are never null.
     *
     * @param items the products
     * @param impressionId the response's id, or null
     */
    public Recommendations {
        items = items == null ? List.of() : items;
    }

    /**
     * Products without an impression id.
     *
     * @param items the products
     */
    public Recommendations(List<RecommendedItem> items) {
        this(items, null);
    }
}
