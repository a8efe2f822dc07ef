package io.hilal.service.recommendations;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A page of recommendation rows as the API answers it: the rows' items carry what a page shows of
 * each product (see {@link ItemResponse}) and their position in the row; {@code impressionId} names
 * this response, for the clicks and orders that come of it (absent where a page is rendered for the
 * dashboard rather than served).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RowsResponse(
        String customerId, boolean personalized, String impressionId, List<Row> rows) {
    /** A titled list of products with the evidence behind it. */
    public record Row(String id, String title, String evidence, List<ItemResponse> items) {}
}
