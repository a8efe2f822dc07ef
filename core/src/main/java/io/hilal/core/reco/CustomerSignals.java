package io.hilal.core.reco;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a customer did that the trained model may not know yet, read at request time so their newest
 * events change their rows at once: purchases since the model was trained, their latest product
 * views (newest first), what sits in their cart, and their thumbs-down products.
 */
public record CustomerSignals(
        Set<String> thumbsDown,
        List<Purchase> newPurchases,
        List<View> recentViews,
        Set<String> cart) {

    public static final CustomerSignals NONE =
            new CustomerSignals(Set.of(), List.of(), List.of(), Set.of());

    public static CustomerSignals thumbsDownOnly(Set<String> thumbsDown) {
        return new CustomerSignals(Set.copyOf(thumbsDown), List.of(), List.of(), Set.of());
    }

    public boolean isEmpty() {
        return newPurchases.isEmpty() && recentViews.isEmpty() && cart.isEmpty();
    }

    /** The newest moment these signals know of, or {@code fallback}. */
    Instant newest(Instant fallback) {
        Instant newest = fallback;
        for (Purchase purchase : newPurchases) {
            if (purchase.at().isAfter(newest)) {
                newest = purchase.at();
            }
        }
        return newest;
    }
}
