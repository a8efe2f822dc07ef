package io.hilal.core.events;

import io.hilal.core.error.Checks;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One event as a client sends it. Which fields are required depends on the type: orders need an
 * order id and lines, product events a product id, searches a query, ratings a product and "up" or
 * "down", recommendation clicks a product and the {@code impressionId} of the response that showed
 * it (an order may carry one too). {@code messageId} makes ingest idempotent: a replay is stored
 * once.
 */
public record EventRequest(
        String messageId,
        String type,
        String customerId,
        String anonymousId,
        Instant timestamp,
        String orderId,
        List<OrderLine> lines,
        String productId,
        String rating,
        String query,
        EventContext context,
        Map<String, Object> properties,
        String impressionId) {

    public static final int MAX_LINES = 500;

    /** Clocks drift; an event stamped more than this far ahead of us is a client bug. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofHours(24);

    static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");

    public EventRequest withTimestamp(Instant newTimestamp) {
        return new EventRequest(
                messageId,
                type,
                customerId,
                anonymousId,
                newTimestamp,
                orderId,
                lines,
                productId,
                rating,
                query,
                context,
                properties,
                impressionId);
    }

    /** Checks the event against its type's rules; {@code now} bounds the timestamp. */
    public Checks check(Instant now) {
        Checks checks = new Checks();
        checks.id("messageId", messageId, true);
        if (messageId != null && messageId.length() > 100) {
            checks.fail("messageId", "must be at most 100 characters");
        }
        checks.id("customerId", customerId, false).id("anonymousId", anonymousId, false);
        if (customerId == null && anonymousId == null) {
            checks.fail("customerId", "customerId or anonymousId is required");
        }
        if (timestamp != null) {
            if (timestamp.isAfter(now.plus(MAX_CLOCK_SKEW))) {
                checks.fail("timestamp", "is more than 24 hours in the future");
            } else if (timestamp.isBefore(EARLIEST)) {
                checks.fail("timestamp", "is before 1990");
            }
        }
        if (type == null) {
            return checks.fail("type", "is required");
        }
        if (!EventType.NAME.matcher(type).matches()) {
            return checks.fail("type", "must be snake_case, up to 64 characters");
        }
        switch (type) {
            case EventType.ORDER_COMPLETED -> {
                checks.id("orderId", orderId, true);
                checkLines(checks, true);
                requireCustomer(checks);
            }
            case EventType.ORDER_REFUNDED -> {
                checks.id("orderId", orderId, true);
                checkLines(checks, false);
                requireCustomer(checks);
            }
            case EventType.PRODUCT_VIEWED, EventType.PRODUCT_ADDED_TO_CART ->
                    checks.id("productId", productId, true);
            case EventType.PRODUCT_RATED -> {
                checks.id("productId", productId, true);
                if (!"up".equals(rating) && !"down".equals(rating)) {
                    checks.fail("rating", "must be 'up' or 'down'");
                }
            }
            case EventType.RECOMMENDATION_CLICKED -> {
                checks.id("productId", productId, true);
                checks.required("impressionId", impressionId);
            }
            case EventType.SEARCH -> {
                checks.required("query", query);
                checks.maxLength("query", query, 500);
            }
            default -> checks.id("productId", productId, false).id("orderId", orderId, false);
        }
        if (impressionId != null
                && !EventType.RECOMMENDATION_CLICKED.equals(type)
                && !EventType.ORDER_COMPLETED.equals(type)) {
            checks.fail(
                    "impressionId", "only recommendation_clicked and order_completed carry one");
        }
        checks.maxLength("impressionId", impressionId, 64);
        if (context != null) {
            checks.maxLength("context.device", context.device(), 64)
                    .maxLength("context.channel", context.channel(), 64)
                    .locale("context.locale", context.locale())
                    .maxLength("context.userAgent", context.userAgent(), 1000)
                    .maxLength("context.ip", context.ip(), 64)
                    .maxLength("context.sessionId", context.sessionId(), 128)
                    .maxLength("context.campaignId", context.campaignId(), 128);
        }
        return checks;
    }

    private void requireCustomer(Checks checks) {
        if (customerId == null && anonymousId != null) {
            checks.fail("customerId", "is required for orders and refunds");
        }
    }

    private void checkLines(Checks checks, boolean required) {
        if (lines == null || lines.isEmpty()) {
            if (required) {
                checks.fail("lines", "must have at least one line");
            }
            return;
        }
        if (lines.size() > MAX_LINES) {
            checks.fail("lines", "must have at most " + MAX_LINES + " lines");
            return;
        }
        for (int i = 0; i < lines.size(); i++) {
            OrderLine line = lines.get(i);
            String at = "lines[" + i + "].";
            if (line == null) {
                checks.fail("lines[" + i + "]", "must not be null");
                continue;
            }
            checks.id(at + "productId", line.productId(), true)
                    .required(at + "unitPrice", line.unitPrice())
                    .nonNegative(at + "unitPrice", line.unitPrice())
                    .required(at + "currency", line.currency())
                    .currency(at + "currency", line.currency());
            if (line.quantity() == null || line.quantity() < 1 || line.quantity() > 1_000_000) {
                checks.fail(at + "quantity", "must be 1 to 1000000");
            }
            BigDecimal price = line.unitPrice();
            if (price != null && (price.scale() > 4 || price.precision() - price.scale() > 15)) {
                checks.fail(at + "unitPrice", "has too many digits");
            }
        }
    }
}
