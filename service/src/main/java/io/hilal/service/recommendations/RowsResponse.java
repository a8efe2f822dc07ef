package io.hilal.service.recommendations;

import java.util.List;

/**
 * A page of recommendation rows as the API answers it: the rows' items carry what a page shows of
 * each product (see {@link ItemResponse}).
 */
public record RowsResponse(String customerId, boolean personalized, List<Row> rows) {
    /** A titled list of products with the evidence behind it. */
    public record Row(String id, String title, String evidence, List<ItemResponse> items) {}
}
