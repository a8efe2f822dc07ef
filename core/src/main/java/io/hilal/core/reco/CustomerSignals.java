package io.hilal.core.reco;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a customer did that the trained model may not know yet, read at request time so their newest
 * events change their rows at once: their latest product views (newest first), what sits in their
 * cart, their thumbs-down products, and what they own. Ownership comes either from their whole
 * purchase history ({@code history}, when {@code historyRead}: it replaces the model's view, so
 * history imported after training and refunds count at once) or, in signals built without it, from
 * the model plus the purchases newer than it ({@code newPurchases}). Their latest searches (newest
 * first) feed the "Because you searched for" row.
 */
public record CustomerSignals(
        Set<String> thumbsDown,
        List<Purchase> newPurchases,
        List<View> recentViews,
        Set<String> cart,
        Map<String, PurchaseHistory> history,
        boolean historyRead,
        List<Search> recentSearches) {

    public static final CustomerSignals NONE =
            new CustomerSignals(Set.of(), List.of(), List.of(), Set.of());

    /** Signals without searches. */
    public CustomerSignals(
            Set<String> thumbsDown,
            List<Purchase> newPurchases,
            List<View> recentViews,
            Set<String> cart,
            Map<String, PurchaseHistory> history,
            boolean historyRead) {
        this(thumbsDown, newPurchases, recentViews, cart, history, historyRead, List.of());
    }

    /** Signals without the purchase history: what the model knows of it stands. */
    public CustomerSignals(
            Set<String> thumbsDown,
            List<Purchase> newPurchases,
            List<View> recentViews,
            Set<String> cart) {
        this(thumbsDown, newPurchases, recentViews, cart, Map.of(), false);
    }

    /** These signals with {@code searches} as the latest searches, newest first. */
    public CustomerSignals withSearches(List<Search> searches) {
        return new CustomerSignals(
                thumbsDown,
                newPurchases,
                recentViews,
                cart,
                history,
                historyRead,
                List.copyOf(searches));
    }

    public static CustomerSignals thumbsDownOnly(Set<String> thumbsDown) {
        return new CustomerSignals(Set.copyOf(thumbsDown), List.of(), List.of(), Set.of());
    }

    public boolean isEmpty() {
        return newPurchases.isEmpty()
                && recentViews.isEmpty()
                && cart.isEmpty()
                && history.isEmpty()
                && recentSearches.isEmpty();
    }

    /** The newest moment these signals know of, or {@code fallback}. */
    Instant newest(Instant fallback) {
        Instant newest = fallback;
        for (Purchase purchase : newPurchases) {
            if (purchase.at().isAfter(newest)) {
                newest = purchase.at();
            }
        }
        for (PurchaseHistory product : history.values()) {
            if (product.lastBought().isAfter(newest)) {
                newest = product.lastBought();
            }
        }
        return newest;
    }
}
