package io.hilal.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where {@link IngestFuzz} starts: one valid request per endpoint and event type (the first byte of
 * a seed names the endpoint, as in {@link IngestFuzzTarget#ROUTES}), and a libFuzzer dictionary of
 * the JSON tokens and field names the parsers look for, so mutations reach past the first check.
 */
final class IngestFuzzSeeds {
    private IngestFuzzSeeds() {}

    private static final String ORDER =
            "{\"messageId\": \"m-1\", \"type\": \"order_completed\", \"customerId\": \"c-1\","
                    + " \"orderId\": \"o-1\", \"timestamp\": \"2026-01-02T10:00:00Z\", \"lines\":"
                    + " [{\"productId\": \"p-1\", \"quantity\": 2, \"unitPrice\": 9.5,"
                    + " \"currency\": \"SAR\"}], \"context\": {\"device\": \"mobile\","
                    + " \"locale\": \"ar-SA\", \"ip\": \"10.0.0.1\"}}";

    private static final List<String> EVENTS =
            List.of(
                    ORDER,
                    "{\"messageId\": \"m-2\", \"type\": \"order_refunded\", \"customerId\": \"c-1\","
                            + " \"orderId\": \"o-1\"}",
                    "{\"messageId\": \"m-3\", \"type\": \"product_viewed\", \"anonymousId\":"
                            + " \"a-1\", \"productId\": \"p-1\"}",
                    "{\"messageId\": \"m-4\", \"type\": \"product_added_to_cart\","
                            + " \"customerId\": \"c-1\", \"productId\": \"p-1\"}",
                    "{\"messageId\": \"m-5\", \"type\": \"search\", \"customerId\": \"c-1\","
                            + " \"query\": \"dates\"}",
                    "{\"messageId\": \"m-6\", \"type\": \"product_rated\", \"customerId\": \"c-1\","
                            + " \"productId\": \"p-1\", \"rating\": \"down\"}",
                    "{\"messageId\": \"m-7\", \"type\": \"wishlist_shared\", \"customerId\":"
                            + " \"c-1\", \"properties\": {\"count\": 3, \"note\": \"x\"}}");

    private static final String SEGMENT_ORDER =
            "{\"type\": \"track\", \"messageId\": \"s-1\", \"userId\": \"c-1\", \"event\":"
                    + " \"Order Completed\", \"timestamp\": \"2026-01-02T10:00:00Z\","
                    + " \"properties\": {\"order_id\": \"o-1\", \"currency\": \"SAR\","
                    + " \"products\": [{\"product_id\": \"p-1\", \"quantity\": 2, \"price\": 9.5},"
                    + " {\"sku\": \"p-2\", \"price\": 1}]}, \"context\": {\"device\": {\"type\":"
                    + " \"ios\"}, \"userAgent\": \"x\", \"ip\": \"10.0.0.1\", \"locale\": \"en-US\","
                    + " \"campaign\": {\"name\": \"eid\"}}}";

    private static final String IDENTIFY =
            "{\"type\": \"identify\", \"messageId\": \"s-2\", \"userId\": \"c-1\", \"traits\":"
                    + " {\"email\": \"c1@example.com\", \"timezone\": \"Asia/Riyadh\", \"locale\":"
                    + " \"ar-SA\", \"emailConsent\": \"granted\", \"plan\": \"gold\"}}";

    private static final List<String> SEGMENT_MESSAGES =
            List.of(
                    SEGMENT_ORDER,
                    IDENTIFY,
                    "{\"type\": \"track\", \"messageId\": \"s-3\", \"anonymousId\": \"a-1\","
                            + " \"event\": \"Product Viewed\", \"properties\": {\"product_id\":"
                            + " \"p-1\"}}",
                    "{\"type\": \"track\", \"messageId\": \"s-4\", \"userId\": \"c-1\", \"event\":"
                            + " \"Products Searched\", \"properties\": {\"query\": \"dates\"}}",
                    "{\"type\": \"track\", \"messageId\": \"s-5\", \"userId\": \"c-1\", \"event\":"
                            + " \"Wishlist Shared\", \"properties\": {\"quantity\": 1}}",
                    "{\"type\": \"page\", \"messageId\": \"s-6\", \"userId\": \"c-1\", \"name\":"
                            + " \"Home\"}",
                    "{\"type\": \"identify\", \"messageId\": \"s-7\", \"userId\": \"c-2\","
                            + " \"traits\": {\"email_opt_in\": false}}");

    static void write(Path folder) throws IOException {
        int n = 0;
        for (String event : EVENTS) {
            IngestFuzz.writeSeed(folder, "seed-" + n++, 0, "{\"events\": [" + event + "]}");
        }
        IngestFuzz.writeSeed(
                folder, "seed-" + n++, 0, "{\"events\": [" + String.join(", ", EVENTS) + "]}");
        IngestFuzz.writeSeed(
                folder,
                "seed-" + n++,
                1,
                "{\"batch\": [" + String.join(", ", SEGMENT_MESSAGES) + "]}");
        IngestFuzz.writeSeed(
                folder, "seed-" + n++, 2, "{\"batch\": [" + SEGMENT_MESSAGES.get(2) + "]}");
        IngestFuzz.writeSeed(folder, "seed-" + n++, 3, SEGMENT_ORDER);
        IngestFuzz.writeSeed(folder, "seed-" + n++, 4, IDENTIFY);
        for (int route = 5; route <= 8; route++) {
            IngestFuzz.writeSeed(
                    folder,
                    "seed-" + n++,
                    route,
                    "{\"messageId\": \"s-r"
                            + route
                            + "\", \"userId\": \"c-1\", \"name\": \"Home\", \"traits\": {\"a\": 1},"
                            + " \"previousId\": \"a-1\"}");
        }
    }

    /** libFuzzer's dictionary format: one quoted token a line. */
    static String dictionary() {
        List<String> tokens =
                List.of(
                        "{",
                        "}",
                        "[",
                        "]",
                        ":",
                        ",",
                        "null",
                        "true",
                        "false",
                        "-0",
                        "1e400",
                        "1e-400",
                        "0.0001",
                        "9999999999999999999",
                        "\\u0000",
                        "\\ud800",
                        "\\u202e",
                        "\\\"",
                        "%2F",
                        "messageId",
                        "type",
                        "customerId",
                        "anonymousId",
                        "timestamp",
                        "orderId",
                        "lines",
                        "productId",
                        "quantity",
                        "unitPrice",
                        "currency",
                        "rating",
                        "query",
                        "context",
                        "properties",
                        "device",
                        "channel",
                        "locale",
                        "userAgent",
                        "ip",
                        "sessionId",
                        "campaignId",
                        "events",
                        "batch",
                        "userId",
                        "event",
                        "traits",
                        "email",
                        "timezone",
                        "timeZone",
                        "emailConsent",
                        "email_opt_in",
                        "products",
                        "product_id",
                        "sku",
                        "price",
                        "order_id",
                        "writeKey",
                        "originalTimestamp",
                        "previousId",
                        "name",
                        "order_completed",
                        "order_refunded",
                        "product_viewed",
                        "product_added_to_cart",
                        "search",
                        "product_rated",
                        "Order Completed",
                        "Order Refunded",
                        "Product Viewed",
                        "Product Added",
                        "Products Searched",
                        "track",
                        "identify",
                        "page",
                        "screen",
                        "group",
                        "alias",
                        "granted",
                        "denied",
                        "up",
                        "down",
                        "SAR",
                        "2026-01-02T10:00:00Z",
                        "Asia/Riyadh");
        StringBuilder out = new StringBuilder();
        for (String token : tokens) {
            out.append('"');
            for (char c : token.toCharArray()) {
                out.append(c == '"' || c == '\\' ? "\\" + c : String.valueOf(c));
            }
            out.append("\"\n");
        }
        return out.toString();
    }
}
