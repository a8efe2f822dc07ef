package io.hilal.sdk;

import java.util.List;

/**
 * A customer's recommendation rows, strongest first; {@code personalized} is false for customers
 * Hilal does not know.
 */
public record Rows(String customerId, boolean personalized, List<Row> rows) {
    /** A titled row of products with the evidence behind it. */
    public record Row(String id, String title, String evidence, List<Item> items) {}

    /** A recommended product, its score and a reason a customer can read. */
    public record Item(String productId, double score, String reason) {}
}
