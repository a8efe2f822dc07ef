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
 * you set one) makes delivery idempotent: a retried event is stored once.
 */
public final class Event {
    private final Map<String, Object> fields;

    private Event(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /** The event's message id. */
    public String messageId() {
        return (String) fields.get("messageId");
    }

    /** The event's type, e.g. {@code order_completed}. */
    public String type() {
        return (String) fields.get("type");
    }

    /** The JSON fields as sent (used by the client's serializer). */
    public Map<String, Object> fields() {
        return fields;
    }

    /** A completed order; add its lines with {@link Builder#line}. */
    public static Builder orderCompleted(String customerId, String orderId) {
        return new Builder("order_completed").customerId(customerId).set("orderId", orderId);
    }

    /** A refund of (part of) an order; lines are optional. */
    public static Builder orderRefunded(String customerId, String orderId) {
        return new Builder("order_refunded").customerId(customerId).set("orderId", orderId);
    }

    /** A product page view. */
    public static Builder productViewed(String customerId, String productId) {
        return new Builder("product_viewed").customerId(customerId).set("productId", productId);
    }

    /** A product put in the cart. */
    public static Builder productAddedToCart(String customerId, String productId) {
        return new Builder("product_added_to_cart")
                .customerId(customerId)
                .set("productId", productId);
    }

    /** A search. */
    public static Builder search(String customerId, String query) {
        return new Builder("search").customerId(customerId).set("query", query);
    }

    /** A thumbs up ({@code true}) or down on a product. */
    public static Builder rated(String customerId, String productId, boolean thumbsUp) {
        return new Builder("product_rated")
                .customerId(customerId)
                .set("productId", productId)
                .set("rating", thumbsUp ? "up" : "down");
    }

    /** Any other event, named in snake_case; put its data in {@link Builder#property}. */
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
            fields.put(name, value);
            return this;
        }

        /** The customer the event belongs to. */
        public Builder customerId(String customerId) {
            return set("customerId", customerId);
        }

        /** A visitor not known as a customer yet. */
        public Builder anonymousId(String anonymousId) {
            return set("anonymousId", anonymousId);
        }

        /** Your own id for the event; reuse it when you resend the same event. */
        public Builder messageId(String messageId) {
            return set("messageId", messageId);
        }

        /** When it happened (default: when it was built). History may be imported. */
        public Builder timestamp(Instant timestamp) {
            return set("timestamp", timestamp.toString());
        }

        /** An order line: product, quantity, unit price and ISO 4217 currency. */
        public Builder line(String productId, int quantity, BigDecimal unitPrice, String currency) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("productId", productId);
            line.put("quantity", quantity);
            line.put("unitPrice", unitPrice);
            line.put("currency", currency);
            lines.add(line);
            return this;
        }

        /** A context field: device, channel, locale, userAgent, ip, sessionId or campaignId. */
        public Builder context(String name, String value) {
            context.put(name, value);
            return this;
        }

        /** A free property (custom events). */
        public Builder property(String name, Object value) {
            properties.put(name, value);
            return this;
        }

        /** The event; a message id and timestamp are filled in when not set. */
        public Event build() {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("messageId", fields.getOrDefault("messageId", UUID.randomUUID().toString()));
            all.putAll(fields);
            all.putIfAbsent("timestamp", Instant.now().toString());
            if (!lines.isEmpty()) {
                all.put("lines", List.copyOf(lines));
            }
            if (!context.isEmpty()) {
                all.put("context", Map.copyOf(context));
            }
            if (!properties.isEmpty()) {
                all.put("properties", Map.copyOf(properties));
            }
            return new Event(all);
        }
    }
}
