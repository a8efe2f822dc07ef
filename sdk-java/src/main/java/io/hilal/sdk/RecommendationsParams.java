package io.hilal.sdk;

import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@link HilalClient#recommendations}: how many products, only one category, and
 * products to leave out (say, what is already in the cart). A null option is not sent, so Hilal's
 * default applies (10 products, every category).
 *
 * @param limit how many products, 1 to 100
 * @param category only products whose most specific category is this one
 * @param exclude product ids to leave out
 */
public record RecommendationsParams(Integer limit, String category, List<String> exclude) {
    /**
     * A builder with nothing set (Hilal's defaults).
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RecommendationsParams}. */
    public static final class Builder {
        private Integer limit;
        private String category;
        private final List<String> exclude = new ArrayList<>();

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
         * Only products whose most specific category (the last of their categories) is this one.
         *
         * @param category the category
         * @return this builder
         */
        public Builder category(String category) {
            this.category = category;
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
         * The params.
         *
         * @return the options
         */
        public RecommendationsParams build() {
            return new RecommendationsParams(
                    limit, category, exclude.isEmpty() ? null : List.copyOf(exclude));
        }
    }
}
