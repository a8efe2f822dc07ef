package io.hilal.core.reco;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes a customer's purchase lines and refund lines in the order they happened and keeps what was
 * not given back. A refund names no original order (Online Retail's "C" invoices do not), so it
 * cancels the customer's most recent earlier units of the same product first; a line whose units
 * all went back is dropped, one partly refunded keeps the rest. A refund with nothing before it to
 * cancel (its order was never imported) changes nothing.
 */
final class RefundNetting {
    private final List<Purchase> lines = new ArrayList<>();
    private final Map<String, Deque<Integer>> open = new HashMap<>();

    /** A purchased line, no older than any line or refund given before. */
    void bought(Purchase purchase) {
        if (purchase.quantity() <= 0) {
            return;
        }
        open.computeIfAbsent(
                        key(purchase.customerId(), purchase.productId()), k -> new ArrayDeque<>())
                .push(lines.size());
        lines.add(purchase);
    }

    /** {@code quantity} units of a product given back by a customer. */
    void refunded(String customerId, String productId, int quantity) {
        Deque<Integer> latestFirst = open.get(key(customerId, productId));
        int left = quantity;
        while (left > 0 && latestFirst != null && !latestFirst.isEmpty()) {
            int index = latestFirst.peek();
            Purchase line = lines.get(index);
            int cancelled = Math.min(left, line.quantity());
            left -= cancelled;
            if (cancelled == line.quantity()) {
                lines.set(index, null);
                latestFirst.pop();
            } else {
                lines.set(
                        index,
                        new Purchase(
                                line.customerId(),
                                line.productId(),
                                line.orderId(),
                                line.quantity() - cancelled,
                                line.at()));
            }
        }
    }

    /** The lines still bought, in the order given. */
    List<Purchase> kept() {
        List<Purchase> kept = new ArrayList<>(lines.size());
        for (Purchase line : lines) {
            if (line != null) {
                kept.add(line);
            }
        }
        return kept;
    }

    private static String key(String customerId, String productId) {
        return customerId + "\n" + productId;
    }
}
