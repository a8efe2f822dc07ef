package io.hilal.core.reco;

import java.util.List;

/**
 * A page of recommendation rows for one customer, strongest row first. {@code personalized} is
 * false when Hilal knows nothing of the customer and shows what is popular instead.
 */
public record Rows(String customerId, boolean personalized, List<Row> rows) {
    /** A titled list of products with the evidence behind it. */
    public record Row(String id, String title, String evidence, List<ScoredItem> items) {}
}
