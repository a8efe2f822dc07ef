package io.hilal.sdk;

import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@link RecommendationService#forCustomer}: how many products, which categories to keep
 * or leave out, products to leave out (say, what is already in the cart), and which display fields
 * to return. Every component may be null, meaning "not sent", so Hilal's default applies (10
 * products, every category).
 *
 * @param limit how many products, 1 to 100, or null
 * @param category only products of these categories (comma-separated names), or null
 * @param exclude product ids to leave out, or null
 * @param excludeCategory leave out products of these categories (comma-separated names), or null
 * @param fields display fields to return with each item (e.g. {@code title}, {@code price}), or
 *     null for Hilal's default
 */
public record RecommendationsParams(
        Integer limit,
        String category,
        List<String> exclude,
        String excludeCategory,
        List<String> fields) {

    /**
     * The params as they were before category exclusion and display fields.
     *
     * @param limit how many products, or null
     * @param category only products of this category, or null
     * @param exclude product ids to leave out, or null
     */
    public RecommendationsParams(Integer limit, String category, List<String> exclude) {
        this(limit, category, exclude, null, null);
    }

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
        private final List<String> categories = new ArrayList<>();
        private final List<String> excludedCategories = new ArrayList<>();
        private final List<String> exclude = new ArrayList<>();
        private final List<String> fields = new ArrayList<>();

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
         * Only products of these categories (at any level of their category path), added to those
         * given before.
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
        public RecommendationsParams build() {
            return new RecommendationsParams(
                    limit,
                    categories.isEmpty() ? null : String.join(",", categories),
                    exclude.isEmpty() ? null : List.copyOf(exclude),
                    excludedCategories.isEmpty() ? null : String.join(",", excludedCategories),
                    fields.isEmpty() ? null : List.copyOf(fields));
        }
    }
}
