package io.hilal.sdk.model;

import java.util.List;

/**
 * A customer's recommendation rows, strongest first, each a titled list with the evidence behind it
 * ("Time to restock", "Because you bought X"). {@code personalized} is false for customers Hilal
 * does not know yet, who get popular products instead.
 *
 * @param customerId the customer asked about
 * @param personalized whether the rows come from the customer's own history
 * @param rows the rows
 * @param impressionId this response's id: send it back with the clicks ({@code
 *     Event.recommendationClicked}) and orders that come of it
 */
public record Rows(String customerId, boolean personalized, List<Row> rows, String impressionId) {
    /**
     * Reads absent collections as empty ones, so they are never null.
     *
     * @param customerId the customer asked about
     * @param personalized whether the rows come from the customer's own history
     * @param rows the rows
     * @param impressionId this response's id, or null from a Hilal that does not issue them
     */
    public Rows {
        rows = rows == null ? List.of() : rows;
    }

    /**
     * Rows without an impression id.
     *
     * @param customerId the customer asked about
     * @param personalized whether the rows come from the customer's own history
     * @param rows the rows
     */
    public Rows(String customerId, boolean personalized, List<Row> rows) {
        this(customerId, personalized, rows, null);
    }

    /**
     * A titled row of products with the evidence behind it.
     *
     * @param id a stable id of the row's kind, e.g. {@code time-to-restock}
     * @param title the row's title for the customer
     * @param evidence what the row is based on, or null
     * @param items the row's products, strongest first
     */
    public record Row(String id, String title, String evidence, List<RecommendedItem> items) {
        /**
         * Reads absent collections as empty ones, so they are never null.
         *
         * @param id a stable id of the row's kind, e.g. {@code time-to-restock}
         * @param title the row's title for the customer
         * @param evidence what the row is based on, or null
         * @param items the row's products, strongest first
         */
        public Row {
            items = items == null ? List.of() : items;
        }
    }
}
