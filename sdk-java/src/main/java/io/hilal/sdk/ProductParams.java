package io.hilal.sdk;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A product for {@link HilalClient#upsertProduct}. An upsert replaces every field, so send the
 * whole product each time; {@code available} defaults to true and {@code hidden} to false.
 *
 * @param id your id (SKU) for the product (1 to 128 characters)
 * @param title its name as customers see it (at most 500 characters)
 * @param categories the path from the broadest category to the most specific (at most 10)
 * @param price its price (needs a currency)
 * @param currency the ISO 4217 currency of the price
 * @param available whether it can be bought now
 * @param stock units in stock
 * @param hidden whether to keep it out of recommendations
 * @param imageUrl an http(s) URL of its picture
 * @param url the http(s) URL of its page
 * @param attributes your own fields
 */
public record ProductParams(
        String id,
        String title,
        List<String> categories,
        BigDecimal price,
        String currency,
        Boolean available,
        Integer stock,
        Boolean hidden,
        String imageUrl,
        String url,
        Map<String, Object> attributes) {

    /**
     * A builder for the product {@code id}.
     *
     * @param id your id (SKU) for the product
     * @return the builder
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Builds {@link ProductParams}. */
    public static final class Builder {
        private final String id;
        private String title;
        private final List<String> categories = new ArrayList<>();
        private BigDecimal price;
        private String currency;
        private Boolean available;
        private Integer stock;
        private Boolean hidden;
        private String imageUrl;
        private String url;
        private final Map<String, Object> attributes = new LinkedHashMap<>();

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        /**
         * Its name as customers see it.
         *
         * @param title the name
         * @return this builder
         */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /**
         * Its categories, from the broadest to the most specific, e.g. {@code "Food", "Dates"}.
         *
         * @param path the categories
         * @return this builder
         */
        public Builder categories(String... path) {
            categories.clear();
            categories.addAll(List.of(path));
            return this;
        }

        /**
         * Its price and the price's ISO 4217 currency.
         *
         * @param amount the price
         * @param currencyCode e.g. {@code USD}
         * @return this builder
         */
        public Builder price(BigDecimal amount, String currencyCode) {
            this.price = amount;
            this.currency = currencyCode;
            return this;
        }

        /**
         * Whether it can be bought now (default true).
         *
         * @param value false when it cannot
         * @return this builder
         */
        public Builder available(boolean value) {
            this.available = value;
            return this;
        }

        /**
         * Units in stock.
         *
         * @param units zero or more
         * @return this builder
         */
        public Builder stock(int units) {
            this.stock = units;
            return this;
        }

        /**
         * Whether to keep it out of recommendations (default false).
         *
         * @param value true to hide it
         * @return this builder
         */
        public Builder hidden(boolean value) {
            this.hidden = value;
            return this;
        }

        /**
         * An http(s) URL of its picture.
         *
         * @param imageUrl the URL
         * @return this builder
         */
        public Builder imageUrl(String imageUrl) {
            this.imageUrl = imageUrl;
            return this;
        }

        /**
         * The http(s) URL of its page in your shop.
         *
         * @param url the URL
         * @return this builder
         */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /**
         * One of your own fields.
         *
         * @param name the field's name
         * @param value a string, number, boolean, list or map
         * @return this builder
         */
        public Builder attribute(String name, Object value) {
            attributes.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        /**
         * The params.
         *
         * @return the product
         */
        public ProductParams build() {
            return new ProductParams(
                    id,
                    title,
                    categories.isEmpty() ? null : List.copyOf(categories),
                    price,
                    currency,
                    available,
                    stock,
                    hidden,
                    imageUrl,
                    url,
                    attributes.isEmpty()
                            ? null
                            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes)));
        }
    }
}
