package io.hilal.service.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Events as the tests post them to {@code POST /v1/events}. */
public final class Events {
    private Events() {}

    /** An {@code order_completed} of one of each product at 10 SAR, its order id the message id. */
    public static String order(String id, String customer, Instant at, String... products) {
        List<String> lines = new ArrayList<>();
        for (String product : products) {
            lines.add(
                    "{\"productId\": \""
                            + product
                            + "\", \"quantity\": 1, \"unitPrice\": 10, \"currency\": \"SAR\"}");
        }
        return "{\"messageId\": \""
                + id
                + "\", \"type\": \"order_completed\", \"customerId\": \""
                + customer
                + "\", \"orderId\": \""
                + id
                + "\", \"timestamp\": \""
                + at
                + "\", \"lines\": ["
                + String.join(",", lines)
                + "]}";
    }
}
