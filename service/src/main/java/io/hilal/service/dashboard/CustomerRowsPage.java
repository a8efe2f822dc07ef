package io.hilal.service.dashboard;

import io.hilal.core.reco.ProductInfo;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.ScoredItem;
import java.util.List;

/**
 * The customer rows page: the form, and for the customer asked about either the rows of
 * recommendations their home page shows with each product's reason, or why the id cannot exist.
 */
record CustomerRowsPage(String customer, Shown rows, String error) {
    /** The rows shown; {@code any} is false when there are none to show. */
    record Shown(boolean personalized, List<Row> list, boolean any) {}

    /** One row: its title, its evidence and its products. */
    record Row(String title, String evidence, List<Item> items) {}

    /** A product of a row, by title (its id when it has none) and why it is there. */
    record Item(String productId, String title, String reason) {}

    /** The empty form. */
    static CustomerRowsPage form() {
        return new CustomerRowsPage(null, null, null);
    }

    /** An id that cannot be a customer's, and why. */
    static CustomerRowsPage refused(String customer, String error) {
        return new CustomerRowsPage(customer, null, error);
    }

    static CustomerRowsPage of(String customer, Rows rows, RecommendationModel model) {
        List<Row> shown = rows.rows().stream().map(row -> row(row, model)).toList();
        return new CustomerRowsPage(
                customer, new Shown(rows.personalized(), shown, !shown.isEmpty()), null);
    }

    private static Row row(Rows.Row row, RecommendationModel model) {
        return new Row(
                row.title(),
                row.evidence(),
                row.items().stream().map(item -> item(item, model)).toList());
    }

    private static Item item(ScoredItem item, RecommendationModel model) {
        ProductInfo product = model.product(item.productId());
        String title =
                product == null || product.title() == null ? item.productId() : product.title();
        return new Item(item.productId(), title, item.reason());
    }
}
