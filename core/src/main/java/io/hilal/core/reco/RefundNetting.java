package io.hilal.core.reco;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes a customer's purchase lines and refund lines in the order they happened and keeps what was
 * not given back. A refund names no original order (Online Retail's "C" invoices do not), so it
 * cancels the customer's most recent earlier units of the same product first; a line whose units
 * all went back is dropped, one partly refunded keeps the rest. A refund with nothing before it to
 * cancel (its order was never imported) changes nothing.
 *
 * <p>Holds the lines in columns ({@link PurchaseLines}); each (customer, product) pair's lines not
 * yet given back are a stack linked through the lines, newest on top: an index a pair and one a
 * line, not a collection per pair.
 */
final class RefundNetting {
    private final PurchaseLines.Builder lines = new PurchaseLines.Builder();

    /** Each pair's newest line not all given back, by {@link #pair}. */
    private final Map<Long, Integer> newest = new HashMap<>();

    /** Each line's next older line of its pair not all given back, -1 for none. */
    private int[] older = new int[16];

    /** A purchased line, no older than any line or refund given before. */
    void bought(Purchase purchase) {
        if (purchase.quantity() <= 0) {
            return;
        }
        int index = lines.add(purchase);
        if (index == older.length) {
            older = Arrays.copyOf(older, index + (index >> 1));
        }
        Integer previous = newest.put(pair(lines.customer(index), lines.product(index)), index);
        older[index] = previous == null ? -1 : previous;
    }

    /** {@code quantity} units of a product given back by a customer. */
    void refunded(String customerId, String productId, int quantity) {
        int customer = lines.customerIndex(customerId);
        int product = lines.productIndex(productId);
        if (customer < 0 || product < 0) {
            return; // nothing of it bought before
        }
        long pair = pair(customer, product);
        Integer top = newest.get(pair);
        int index = top == null ? -1 : top;
        int left = quantity;
        while (left > 0 && index >= 0) {
            int cancelled = Math.min(left, lines.quantity(index));
            left -= cancelled;
            lines.setQuantity(index, lines.quantity(index) - cancelled);
            if (lines.quantity(index) == 0) {
                index = older[index];
            }
        }
        if (index >= 0) {
            newest.put(pair, index);
        } else {
            newest.remove(pair);
        }
    }

    /** The lines still bought, in the order given. */
    List<Purchase> kept() {
        return lines.build();
    }

    private static long pair(int customer, int product) {
        return ((long) customer << 32) | product;
    }
}
