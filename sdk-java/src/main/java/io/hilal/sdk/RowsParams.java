package io.hilal.sdk;

/**
 * Options of {@link HilalClient#rows}: the page the rows are for, how many rows and how many
 * products per row. A null option is not sent, so Hilal's default applies (home page, 5 rows of
 * 10).
 *
 * @param context {@code home}, {@code cart}, {@code email} or {@code product:<id>}
 * @param rows how many rows, 1 to 10
 * @param perRow products per row, 1 to 50
 */
public record RowsParams(String context, Integer rows, Integer perRow) {
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
         * The product page of {@code productId}, i.e. context {@code product:<productId>}.
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
         * The params.
         *
         * @return the options
         */
        public RowsParams build() {
            return new RowsParams(context, rows, perRow);
        }
    }
}
