package io.hilal.sdk;

import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@link RecommendationService#rows}: the page the rows are for, how many rows and
 * products per row, which categories to keep or leave out, products to leave out, and which display
 * fields to return. Every component may be null, meaning "not sent", so Hilal's default applies
 * (home page, 5 rows of 10, every category).
 *
 * @param context {@code home}, {@code cart}, {@code email} or {@code product:<id>}, or null
 * @param rows how many rows, 1 to 10, or null
 * @param perRow products per row, 1 to 50, or null
 * @param category only products of these categories (comma-separated names), or null
 * @param excludeCategory leave out products of these categories (comma-separated names), or null
 * @param exclude product ids to leave out, or null
 * @param fields display fields to return with each item, or null for Hilal's default
 */
public record RowsParams(
        String context,
        Integer rows,
        Integer perRow,
        String category,
        String excludeCategory,
        List<String> exclude,
        List<String> fields) {

    /**
     * The params as they were before the filters.
     *
     * @param context the page, or null
     * @param rows how many rows, or null
     * @param perRow products per row, or null
     */
    public RowsParams(String context, Integer rows, Integer perRow) {
        this(context, rows, perRow, null, null, null, null);
    }

    /**
     * A builder with nothing set (Hilal's defaults).
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RowsParams}. */
    public static final class Builder {
        private String context;
        private Integer rows;
        private Integer perRow;
        private final List<String> categories = new ArrayList<>();
        private final List<String> excludedCategories = new ArrayList<>();
        private final List<String> exclude = new ArrayList<>();
        private final List<String> fields = new ArrayList<>();

        private Builder() {}

        /**
         * The page: {@code home}, {@code cart}, {@code email} or {@code product:<id>}.
         *
         * @param context the page
         * @return this builder
         */
        public Builder context(String context) {
            this.context = context;
            return this;
        }

        /**
         * The product page of {@code productId}, i.e. context {@code product:<productId>}. A
         * product Hilal does not know answers 404, as {@link RecommendationService#similar} does.
         *
         * @param productId the product shown on the page
         * @return this builder
         */
        public Builder productPage(String productId) {
            this.context = "product:" + productId;
            return this;
        }

        /**
         * How many rows, 1 to 10.
         *
         * @param rows the row count
         * @return this builder
         */
        public Builder rows(int rows) {
            this.rows = rows;
            return this;
        }

        /**
         * Products per row, 1 to 50.
         *
         * @param perRow the products per row
         * @return this builder
         */
        public Builder perRow(int perRow) {
            this.perRow = perRow;
            return this;
        }

        /**
         * Only products of these categories, added to those given before.
         *
         * @param categories the category names
         * @return this builder
         */
        public Builder category(String... categories) {
            this.categories.addAll(List.of(categories));
            return this;
        }

        /**
         * Leave out products of these categories, added to those given before.
         *
         * @param categories the category names
         * @return this builder
         */
        public Builder excludeCategory(String... categories) {
            excludedCategories.addAll(List.of(categories));
            return this;
        }

        /**
         * Products to leave out, added to those given before.
         *
         * @param productIds the product ids
         * @return this builder
         */
        public Builder exclude(String... productIds) {
            exclude.addAll(List.of(productIds));
            return this;
        }

        /**
         * Display fields to return with each item, e.g. {@code title}, {@code price}, {@code
         * imageUrl}, {@code url} (on a Hilal that serves them).
         *
         * @param names the field names
         * @return this builder
         */
        public Builder fields(String... names) {
            fields.addAll(List.of(names));
            return this;
        }

        /**
         * The params.
         *
         * @return the options
         */
        public RowsParams build() {
            return new RowsParams(
                    context,
                    rows,
                    perRow,
                    categories.isEmpty() ? null : String.join(",", categories),
                    excludedCategories.isEmpty() ? null : String.join(",", excludedCategories),
                    exclude.isEmpty() ? null : List.copyOf(exclude),
                    fields.isEmpty() ? null : List.copyOf(fields));
        }
    }
}
