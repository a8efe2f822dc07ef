package io.hilal.service.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hilal.core.catalog.CustomerUpsert;
import io.hilal.core.catalog.EmailConsent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Translates Segment messages (track, page, screen, group, alias) into Hilal events, and identify
 * traits into a customer merge. Segment's e-commerce spec v2 events map to Hilal's own types; any
 * other event name becomes a custom event in snake_case. Segment payloads carry many fields Hilal
 * does not use: they are ignored, not errors.
 */
final class SegmentMapper {
    private static final Set<String> TRAITS_USED =
            Set.of(
                    "email",
                    "timezone",
                    "timeZone",
                    "locale",
                    "emailConsent",
                    "email_opt_in",
                    "emailOptIn");

    private final ObjectMapper mapper;

    SegmentMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The message types Segment's libraries send: identify and those {@link #event} maps. */
    static final java.util.Set<String> TYPES =
            java.util.Set.of("identify", "track", "page", "screen", "group", "alias");

    /**
     * Why Hilal cannot take the message as sent, or null: a type Segment does not send, a track
     * without an event name or with one of no letter or digit (it would be stored under a type that
     * names nothing), an identify without a userId (Hilal keeps no anonymous profiles).
     */
    static String refusal(String messageType, JsonNode message) {
        if (!TYPES.contains(messageType)) {
            return "type: must be one of identify, track, page, screen, group or alias, not '"
                    + messageType
                    + "'";
        }
        if ("identify".equals(messageType) && !message.hasNonNull("userId")) {
            return "userId: an identify needs one (Hilal keeps no anonymous profiles); nothing"
                    + " was stored";
        }
        if ("track".equals(messageType)) {
            JsonNode name = message.get("event");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                return "event: a track message needs the event's name";
            }
            if (name.asText().codePoints().noneMatch(Character::isLetterOrDigit)) {
                return "event: '" + name.asText() + "' holds no letter or digit";
            }
        }
        return null;
    }

    /** A Hilal event for a track, page, screen, group or alias message. */
    ObjectNode event(String messageType, JsonNode message) {
        ObjectNode event = mapper.createObjectNode();
        event.put("messageId", messageId(message));
        putText(event, "customerId", message.get("userId"));
        putText(event, "anonymousId", message.get("anonymousId"));
        JsonNode timestamp = first(message, "timestamp", "originalTimestamp");
        if (timestamp != null) {
            event.put("timestamp", timestamp.asText());
        }
        JsonNode properties = message.path("properties");
        String name = message.path("event").asText("");
        switch (messageType) {
            case "page" -> custom(event, "page_viewed", withName(properties, message));
            case "screen" -> custom(event, "screen_viewed", withName(properties, message));
            case "group" -> custom(event, "group", message.path("traits"));
            case "alias" ->
                    custom(
                            event,
                            "alias",
                            mapper.createObjectNode()
                                    .put("previousId", message.path("previousId").asText()));
            default -> track(event, name, properties);
        }
        ObjectNode context = context(message.path("context"));
        if (!context.isEmpty()) {
            event.set("context", context);
        }
        return event;
    }

    private void track(ObjectNode event, String name, JsonNode properties) {
        switch (name) {
            case "Order Completed" -> order(event, "order_completed", properties);
            case "Order Refunded" -> order(event, "order_refunded", properties);
            case "Product Viewed" -> product(event, "product_viewed", properties);
            case "Product Added" -> product(event, "product_added_to_cart", properties);
            case "Products Searched" -> {
                event.put("type", "search");
                event.put("query", properties.path("query").asText(""));
            }
            default -> custom(event, customType(name), properties);
        }
    }

    private void order(ObjectNode event, String type, JsonNode properties) {
        event.put("type", type);
        JsonNode orderId = first(properties, "order_id", "orderId", "checkout_id");
        if (orderId != null) {
            event.put("orderId", orderId.asText());
        }
        String currency = properties.path("currency").asText("USD").toUpperCase(Locale.ROOT);
        ArrayNode lines = mapper.createArrayNode();
        for (JsonNode product : properties.path("products")) {
            ObjectNode line = lines.addObject();
            JsonNode id = first(product, "product_id", "productId", "sku", "id");
            if (id != null) {
                line.put("productId", id.asText());
            }
            // Passed on as sent, so "abc" or 2.9 is rejected by the event's own checks instead of
            // becoming 1 or 2.
            line.set(
                    "quantity",
                    product.hasNonNull("quantity")
                            ? product.get("quantity")
                            : mapper.getNodeFactory().numberNode(1));
            line.set(
                    "unitPrice",
                    product.has("price")
                            ? product.get("price")
                            : mapper.getNodeFactory().numberNode(0));
            line.put("currency", currency);
        }
        if (!lines.isEmpty()) {
            event.set("lines", lines);
        }
    }

    private void product(ObjectNode event, String type, JsonNode properties) {
        event.put("type", type);
        JsonNode id = first(properties, "product_id", "productId", "sku", "id");
        if (id != null) {
            event.put("productId", id.asText());
        }
    }

    private void custom(ObjectNode event, String type, JsonNode properties) {
        event.put("type", type.isEmpty() ? "custom_event" : type);
        if (properties != null && properties.isObject() && !properties.isEmpty()) {
            event.set("properties", properties);
        }
    }

    private JsonNode withName(JsonNode properties, JsonNode message) {
        ObjectNode copy =
                properties.isObject()
                        ? ((ObjectNode) properties).deepCopy()
                        : mapper.createObjectNode();
        if (message.hasNonNull("name")) {
            copy.put("name", message.get("name").asText());
        }
        return copy;
    }

    private ObjectNode context(JsonNode context) {
        ObjectNode result = mapper.createObjectNode();
        putText(result, "device", context.path("device").get("type"));
        putText(result, "userAgent", context.get("userAgent"));
        putText(result, "ip", context.get("ip"));
        putText(result, "locale", context.get("locale"));
        putText(result, "campaignId", context.path("campaign").get("name"));
        return result;
    }

    /** The customer fields an identify call sets; null fields leave stored values alone. */
    CustomerUpsert identify(JsonNode message) {
        JsonNode traits = message.path("traits");
        EmailConsent consent = null;
        JsonNode explicit = traits.get("emailConsent");
        JsonNode optIn = first(traits, "email_opt_in", "emailOptIn");
        if (explicit != null && explicit.isTextual()) {
            consent = new EmailConsent(explicit.asText(), "segment identify", null);
        } else if (optIn != null && optIn.isBoolean()) {
            consent =
                    new EmailConsent(
                            optIn.asBoolean() ? EmailConsent.GRANTED : EmailConsent.DENIED,
                            "segment identify",
                            null);
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        traits.properties()
                .forEach(
                        field -> {
                            if (!TRAITS_USED.contains(field.getKey())) {
                                attributes.put(
                                        field.getKey(),
                                        mapper.convertValue(field.getValue(), Object.class));
                            }
                        });
        JsonNode zone = first(traits, "timeZone", "timezone");
        JsonNode locale =
                traits.has("locale") ? traits.get("locale") : message.path("context").get("locale");
        return new CustomerUpsert(
                message.path("userId").asText(null),
                traits.hasNonNull("email") ? traits.get("email").asText() : null,
                zone == null ? null : zone.asText(),
                locale == null || locale.isNull() ? null : locale.asText(),
                consent,
                attributes.isEmpty() ? null : attributes);
    }

    /** Segment's messageId; a hash of the message when absent, so a replay still dedupes. */
    static String messageId(JsonNode message) {
        JsonNode id = message.get("messageId");
        if (id != null && id.isTextual() && !id.asText().isBlank()) {
            return id.asText();
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(message.toString().getBytes(StandardCharsets.UTF_8));
            return "seg-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The custom event type for a Segment event name: its snake_case form, or the name as sent when
     * it holds letters or digits outside ASCII, which snake_case would drop ("شراء" would become
     * "event_"): the event is then rejected, naming the field, rather than stored under a type that
     * means nothing.
     */
    static String customType(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7F && Character.isLetterOrDigit(c)) {
                return name;
            }
        }
        return snakeCase(name);
    }

    static String snakeCase(String name) {
        String snake =
                name.strip()
                        .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "_")
                        .replaceAll("^_+|_+$", "");
        if (snake.isEmpty() || !Character.isLetter(snake.charAt(0))) {
            snake = "event_" + snake;
        }
        return snake.length() > 64 ? snake.substring(0, 64) : snake;
    }

    private static JsonNode first(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull()) {
                return value;
            }
        }
        return null;
    }

    private static void putText(ObjectNode target, String name, JsonNode value) {
        if (value != null && !value.isNull() && value.isValueNode()) {
            target.put(name, value.asText());
        }
    }
}
