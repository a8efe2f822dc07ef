package io.hilal.sdk;

/** Options of {@link HilalClient#rows}: the page context, how many rows and items per row. */
public record RowsParams(String context, int rows, int perRow) {
    /** A builder with Hilal's defaults (home page, 5 rows of 10). */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RowsParams}. */
    public static final class Builder {
        private String context = "home";
        private int rows = 5;
        private int perRow = 10;

        /** {@code home}, {@code cart}, {@code email} or {@code product:<id>}. */
        public Builder context(String context) {
            this.context = context;
            return this;
        }

        /** The product page of {@code productId}. */
        public Builder productPage(String productId) {
            this.context = "product:" + productId;
            return this;
        }

        /** Rows, 1 to 10. */
        public Builder rows(int rows) {
            this.rows = rows;
            return this;
        }

        /** Items per row, 1 to 50. */
        public Builder perRow(int perRow) {
            this.perRow = perRow;
            return this;
        }

        /** The params. */
        public RowsParams build() {
            return new RowsParams(context, rows, perRow);
        }
    }
}
