package io.hilal.sdk;

/**
 * Options of {@link HilalClient#similarProducts}: how many products. A null option is not sent, so
 * Hilal's default applies (10 products).
 *
 * @param limit how many products, 1 to 100
 */
public record SimilarProductsParams(Integer limit) {
    /**
     * A builder with nothing set (Hilal's defaults).
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link SimilarProductsParams}. */
    public static final class Builder {
        private Integer limit;

        private Builder() {}

        /**
         * How many products, 1 to 100.
         *
         * @param limit the product count
         * @return this builder
         */
        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        /**
         * The params.
         *
         * @return the options
         */
        public SimilarProductsParams build() {
            return new SimilarProductsParams(limit);
        }
    }
}
