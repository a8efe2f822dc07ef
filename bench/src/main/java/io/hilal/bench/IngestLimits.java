package io.hilal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The documented limits of ingested data (README "Events", "Segment-compatible ingestion" and issue
 * 19's rules for ids), written out again here rather than taken from the validation they check: a
 * fuzz finding is a stored row that breaks one of them.
 */
final class IngestLimits {
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Set<String> CONSENT = Set.of("granted", "denied");
    private static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");
    private static final Duration SKEW = Duration.ofHours(24);

    private IngestLimits() {}

    record StoredEvent(
            String messageId,
            String type,
            String customerId,
            String anonymousId,
            String productId,
            String orderId,
            Instant occurredAt,
            Instant receivedAt,
            JsonNode payload,
            int lines,
            int badLines) {}

    record StoredCustomer(
            String customerId, String email, String timeZone, String locale, String consent) {}

    static List<String> events(List<StoredEvent> events) {
        List<String> violations = new ArrayList<>();
        for (StoredEvent event : events) {
            String at = "event " + printable(event.messageId()) + ": ";
            id(violations, at + "messageId", event.messageId(), 100, true);
            id(violations, at + "customerId", event.customerId(), 128, false);
            id(violations, at + "anonymousId", event.anonymousId(), 128, false);
            id(violations, at + "productId", event.productId(), 128, false);
            id(violations, at + "orderId", event.orderId(), 128, false);
            if (event.customerId() == null && event.anonymousId() == null) {
                violations.add(at + "neither customerId nor anonymousId");
            }
            if (event.type() == null || !TYPE.matcher(event.type()).matches()) {
                violations.add(at + "type " + printable(event.type()));
            }
            if (event.occurredAt().isAfter(event.receivedAt().plus(SKEW))
                    || event.occurredAt().isBefore(EARLIEST)) {
                violations.add(at + "timestamp " + event.occurredAt());
            }
            if (event.payload() == null || !event.payload().isObject()) {
                violations.add(at + "payload is not a JSON object");
                continue;
            }
            String type = String.valueOf(event.type());
            switch (type) {
                case "order_completed", "order_refunded" -> {
                    if (event.customerId() == null || event.orderId() == null) {
                        violations.add(at + "an order without customerId or orderId");
                    }
                    if (type.equals("order_completed") && event.lines() == 0) {
                        violations.add(at + "an order without lines");
                    }
                    if (event.lines() > 500 || event.badLines() > 0) {
                        violations.add(
                                at + event.lines() + " lines, " + event.badLines() + " invalid");
                    }
                }
                case "product_viewed", "product_added_to_cart" -> {
                    if (event.productId() == null) {
                        violations.add(at + type + " without productId");
                    }
                }
                case "product_rated" -> {
                    String rating = event.payload().path("rating").asText("");
                    if (event.productId() == null || !Set.of("up", "down").contains(rating)) {
                        violations.add(at + "rating " + printable(rating));
                    }
                }
                case "search" -> {
                    String query = event.payload().path("query").asText("");
                    if (query.isBlank() || query.length() > 500) {
                        violations.add(at + "query of " + query.length() + " characters");
                    }
                }
                default -> {}
            }
            JsonNode context = event.payload().path("context");
            for (String field : List.of("device", "channel", "ip")) {
                maxLength(violations, at + "context." + field, context.path(field), 64);
            }
            maxLength(violations, at + "context.userAgent", context.path("userAgent"), 1000);
            maxLength(violations, at + "context.sessionId", context.path("sessionId"), 128);
            maxLength(violations, at + "context.campaignId", context.path("campaignId"), 128);
        }
        return violations;
    }

    static List<String> customers(List<StoredCustomer> customers) {
        List<String> violations = new ArrayList<>();
        for (StoredCustomer customer : customers) {
            String at = "customer " + printable(customer.customerId()) + ": ";
            id(violations, at + "customerId", customer.customerId(), 128, true);
            String email = customer.email();
            if (email != null
                    && (email.length() > 320
                            || !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")
                            || !clean(email))) {
                violations.add(at + "email " + printable(email));
            }
            if (customer.consent() != null && !CONSENT.contains(customer.consent())) {
                violations.add(at + "emailConsent " + printable(customer.consent()));
            }
            if (customer.timeZone() != null) {
                try {
                    ZoneId.of(customer.timeZone());
                } catch (java.time.DateTimeException e) {
                    violations.add(at + "timeZone " + printable(customer.timeZone()));
                }
            }
            if (customer.locale() != null && !customer.locale().matches("[A-Za-z0-9-]{1,35}")) {
                violations.add(at + "locale " + printable(customer.locale()));
            }
        }
        return violations;
    }

    /**
     * An id as issue 19 and the README define it: 1 to {@code max} characters, no '/', '%', '\',
     * control, format (bidi overrides, zero-width) or line-separator characters, no lone surrogates
     * (a database cannot store them as sent), no leading or trailing white space.
     */
    private static void id(List<String> violations, String field, String id, int max, boolean req) {
        if (id == null) {
            if (req) {
                violations.add(field + " missing");
            }
            return;
        }
        if (id.isEmpty() || id.length() > max || !clean(id) || !id.equals(id.strip())) {
            violations.add(field + " " + printable(id));
            return;
        }
        for (char c : id.toCharArray()) {
            if (c == '/' || c == '%' || c == '\\') {
                violations.add(field + " " + printable(id));
                return;
            }
        }
    }

    /** No control, format, separator, unassigned or replacement characters, no lone surrogate. */
    private static boolean clean(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c)
                    || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE
                    || type == Character.UNASSIGNED
                    || c == 0xFFFD) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private static void maxLength(List<String> violations, String field, JsonNode value, int max) {
        if (value.isTextual() && value.asText().length() > max) {
            violations.add(field + " of " + value.asText().length() + " characters");
        }
    }

    /** Text with every unusual character escaped, for a finding's message. */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        text.codePoints()
                .forEach(
                        c -> {
                            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                                out.appendCodePoint(c);
                            } else {
                                out.append(String.format("\\u{%X}", c));
                            }
                        });
        return out.append('"').toString();
    }
}
