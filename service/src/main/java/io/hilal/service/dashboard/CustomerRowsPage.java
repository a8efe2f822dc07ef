package io.hilal.service.dashboard;

import io.hilal.core.reco.ProductInfo;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.ScoredItem;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The customer rows page: the form, and for the customer asked about either the rows of
 * recommendations their home page shows with each product's reason, or why the id cannot exist.
 */
record CustomerRowsPage(String customer, Shown rows, String error) {
    /**
     * The rows shown; {@code notPersonalized} says why they are not personalized (null when they
     * are); {@code any} is false when there are none to show.
     */
    record Shown(String notPersonalized, List<Row> list, boolean any) {}

    /**
     * What Hilal has of a customer whose rows are not personalized, and of the model serving them.
     *
     * @param known whether Hilal has the customer at all (a profile or an event)
     * @param bought whether they own anything (purchases net of refunds)
     * @param inModel whether the trained model was trained on purchases of theirs
     * @param trainedTo the newest purchase the trained model holds; null when none is trained
     * @param next what trains the model next
     */
    record Standing(
            boolean known, boolean bought, boolean inModel, Instant trainedTo, NextTraining next) {}

    /** What trains the tenant's model next. */
    enum NextTraining {
        /** A run is queued for the worker. */
        QUEUED,
        /** A run is under way. */
        RUNNING,
        /** The worker's nightly run: events arrived since the last training. */
        NIGHTLY,
        /** Nothing until new events arrive. */
        NONE
    }

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

    /** The rows; {@code standing} is read only for rows that are not personalized. */
    static CustomerRowsPage of(
            String customer, Rows rows, RecommendationModel model, Supplier<Standing> standing) {
        List<Row> shown = rows.rows().stream().map(row -> row(row, model)).toList();
        String why = rows.personalized() ? null : notPersonalized(customer, standing.get());
        return new CustomerRowsPage(customer, new Shown(why, shown, !shown.isEmpty()), null);
    }

    /** Why a customer's rows are not personalized, from what Hilal has of them. */
    static String notPersonalized(String customer, Standing standing) {
        String popular = "these rows are not personalized, they show what is popular.";
        if (!standing.known()) {
            return "Hilal knows nothing of customer " + customer + " yet: " + popular;
        }
        if (standing.trainedTo() == null) {
            String run =
                    switch (standing.next()) {
                        case QUEUED -> " (a training run is queued)";
                        case RUNNING -> " (a training run is under way)";
                        case NIGHTLY, NONE -> "";
                    };
            return "No model is trained for this shop yet"
                    + run
                    + ": for customer "
                    + customer
                    + " too, "
                    + popular;
        }
        if (!standing.bought()) {
            return "Hilal has customer " + customer + " but no purchase of theirs yet: " + popular;
        }
        if (!standing.inModel()) {
            String next =
                    switch (standing.next()) {
                        case QUEUED -> "a training run queued for the worker learns them";
                        case RUNNING ->
                                "a training run under way learns them if it started after their"
                                        + " purchases, else the next one does";
                        case NIGHTLY ->
                                "the worker's next nightly training learns them"
                                        + " (POST /v1/models/train queues one now)";
                        case NONE -> "no training is due until new events arrive";
                    };
            return "Customer "
                    + customer
                    + " is not in the trained model yet: it was trained on the purchases up to "
                    + Text.TIME.format(standing.trainedTo())
                    + ", and "
                    + next
                    + ". Until then "
                    + popular;
        }
        return "Customer "
                + customer
                + " is in the trained model, but nothing they bought or viewed makes a row of"
                + " their own now: "
                + popular;
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
