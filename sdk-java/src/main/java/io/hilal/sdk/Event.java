package io.hilal.sdk;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One event for Hilal, built with the static factories ({@link #orderCompleted}, {@link
 * #productViewed}, …) and sent with {@link HilalClient#track}. A message id (a random UUID unless
 * you set one) makes delivery idempotent: a retried event is stored once. Events are immutable and
 * keep their fields in the order Hilal's API documents them.
 */
public final class Event {
    private final Map<String, Object> fields;

    private Event(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /** An event read back from the spool: the fields exactly as they were sent. */
    static Event restore(Map<String, Object> fields) {
        return new Event(new LinkedHashMap<>(fields));
    }

    /**
     * The event's message id, unique per event: Hilal stores each message id once.
     *
     * @return the message id
     */
    public String messageId() {
        return (String) fields.get("messageId");
    }

    /**
     * The event's type.
     *
     * @return e.g. {@code order_completed}
     */
    public String type() {
        return (String) fields.get("type");
    }

    /**
     * The JSON fields as sent.
     *
     * @return an unmodifiable map of the fields
     */
    public Map<String, Object> fields() {
        return fields;
    }

    /**
     * A copy of this event with one more context field (replacing one of the same name), e.g. from
     * an {@link EventInterceptor} adding your app's version to every event. The message id stays.
     *
     * @param name the context field, e.g. {@code channel}
     * @param value its value
     * @return the new event
     */
    public Event withContext(String name, String value) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        Map<String, Object> context = new LinkedHashMap<>();
        if (fields.get("context") instanceof Map<?, ?> existing) {
            existing.forEach((key, v) -> context.put(String.valueOf(key), v));
        }
        context.put(name, value);
        copy.put("context", Collections.unmodifiableMap(context));
        return new Event(copy);
    }

    @Override
    public String toString() {
        return "Event" + fields;
    }

    /**
     * A completed order; add its lines with {@link Builder#line}.
     *
     * @param customerId the customer who ordered
     * @param orderId your order id
     * @return a builder
     */
    public static Builder orderCompleted(String customerId, String orderId) {
        return new Builder("order_completed").customerId(customerId).set("orderId", orderId);
    }

    /**
     * A refund of an order, whole or (with lines) in part.
     *
     * @param customerId the customer refunded
     * @param orderId the order refunded
     * @return a builder
     */
    public static Builder orderRefunded(String customerId, String orderId) {
        return new Builder("order_refunded").customerId(customerId).set("orderId", orderId);
    }

    /**
     * A product page view. For a visitor not known yet, pass a null customer and set {@link
     * Builder#anonymousId}.
     *
     * @param customerId the customer, or null
     * @param productId the product viewed
     * @return a builder
     */
    public static Builder productViewed(String customerId, String productId) {
        return new Builder("product_viewed").customerId(customerId).set("productId", productId);
    }

    /**
     * A product put in the cart.
     *
     * @param customerId the customer, or null with {@link Builder#anonymousId}
     * @param productId the product
     * @return a builder
     */
    public static Builder productAddedToCart(String customerId, String productId) {
        return new Builder("product_added_to_cart")
                .customerId(customerId)
                .set("productId", productId);
    }

    /**
     * A search.
     *
     * @param customerId the customer, or null with {@link Builder#anonymousId}
     * @param query what they searched for
     * @return a builder
     */
    public static Builder search(String customerId, String query) {
        return new Builder("search").customerId(customerId).set("query", query);
    }

    /**
     * A thumbs up or down on a product; a thumbs down keeps it out of the customer's rows.
     *
     * @param customerId the customer
     * @param productId the product
     * @param thumbsUp true for up, false for down
     * @return a builder
     */
    public static Builder rated(String customerId, String productId, boolean thumbsUp) {
        return new Builder("product_rated")
                .customerId(customerId)
                .set("productId", productId)
                .set("rating", thumbsUp ? "up" : "down");
    }

    /**
     * A click on a recommended product: the helper for measuring recommendations. Pass the
     * impression id of the response that showed the product ({@code Rows#impressionId()} or {@code
     * Recommendations#impressionId()}); Hilal rejects the click (in the batch result, or through
     * the {@link Callback}) when the id is not one it served to your shop. For the order that
     * follows, set {@link Builder#impressionId} on {@link #orderCompleted}.
     *
     * @param customerId the customer who clicked, or null with {@link Builder#anonymousId}
     * @param impressionId the impression id of the response that showed the product
     * @param productId the product clicked
     * @return a builder
     */
    public static Builder recommendationClicked(
            String customerId, String impressionId, String productId) {
        return new Builder("recommendation_clicked")
                .customerId(customerId)
                .set("productId", productId)
                .set("impressionId", impressionId);
    }

    /**
     * Any other event; put its data in {@link Builder#property}.
     *
     * @param type a snake_case name of up to 64 characters, e.g. {@code wishlist_shared}
     * @param customerId the customer, or null with {@link Builder#anonymousId}
     * @return a builder
     */
    public static Builder custom(String type, String customerId) {
        return new Builder(type).customerId(customerId);
    }

    /** Builds an {@link Event}. */
    public static final class Builder {
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private final List<Map<String, Object>> lines = new ArrayList<>();
        private final Map<String, Object> context = new LinkedHashMap<>();
        private final Map<String, Object> properties = new LinkedHashMap<>();

        private Builder(String type) {
            fields.put("type", type);
        }

        private Builder set(String name, Object value) {
            if (value == null) {
                fields.remove(name);
            } else {
                fields.put(name, value);
            }
            return this;
        }

        /**
         * The customer the event belongs to.
         *
         * @param customerId your id for the customer
         * @return this builder
         */
        public Builder customerId(String customerId) {
            return set("customerId", customerId);
        }

        /**
         * A visitor not known as a customer yet, e.g. a cookie id.
         *
         * @param anonymousId the visitor's id
         * @return this builder
         */
        public Builder anonymousId(String anonymousId) {
            return set("anonymousId", anonymousId);
        }

        /**
         * Your own id for the event (at most 100 characters); reuse it when you send the same event
         * again, so Hilal stores it once.
         *
         * @param messageId the id
         * @return this builder
         */
        public Builder messageId(String messageId) {
            return set("messageId", messageId);
        }

        /**
         * When it happened (default: when it was built). History may be imported; Hilal refuses
         * times more than 24 hours ahead.
         *
         * @param timestamp the time
         * @return this builder
         */
        public Builder timestamp(Instant timestamp) {
            return set("timestamp", timestamp == null ? null : timestamp.toString());
        }

        /**
         * The recommendations response this order came from, so the order counts for it (for a
         * model experiment's orders per customer). An id Hilal did not serve to your shop is
         * ignored, and the order is stored all the same; the batch result says why.
         *
         * @param impressionId the impression id of a rows or recommendations response
         * @return this builder
         */
        public Builder impressionId(String impressionId) {
            return set("impressionId", impressionId);
        }

        /**
         * An order line.
         *
         * @param productId the product
         * @param quantity units, 1 to 1,000,000
         * @param unitPrice the price of one unit
         * @param currency its ISO 4217 currency, e.g. {@code USD}
         * @return this builder
         */
        public Builder line(String productId, int quantity, BigDecimal unitPrice, String currency) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("productId", productId);
            line.put("quantity", quantity);
            line.put("unitPrice", unitPrice);
            line.put("currency", currency);
            lines.add(Collections.unmodifiableMap(line));
            return this;
        }

        /**
         * A context field.
         *
         * @param name {@code device}, {@code channel}, {@code locale}, {@code userAgent}, {@code
         *     ip}, {@code sessionId} or {@code campaignId}
         * @param value its value
         * @return this builder
         */
        public Builder context(String name, String value) {
            context.put(name, value);
            return this;
        }

        /**
         * A property of a custom event.
         *
         * @param name the property's name
         * @param value a string, number, boolean, list or map
         * @return this builder
         */
        public Builder property(String name, Object value) {
            properties.put(name, value);
            return this;
        }

        /**
         * The event; a message id (a random UUID) and the timestamp (now) are filled in when not
         * set.
         *
         * @return the event
         */
        public Event build() {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("messageId", fields.getOrDefault("messageId", UUID.randomUUID().toString()));
            all.putAll(fields);
            all.putIfAbsent("timestamp", Instant.now().toString());
            if (!lines.isEmpty()) {
                all.put("lines", List.copyOf(lines));
            }
            if (!context.isEmpty()) {
                all.put("context", Collections.unmodifiableMap(new LinkedHashMap<>(context)));
            }
            if (!properties.isEmpty()) {
                all.put("properties", Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
            }
            return new Event(all);
        }
    }
}
