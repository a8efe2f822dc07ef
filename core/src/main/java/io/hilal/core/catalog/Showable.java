package io.hilal.core.catalog;

/**
 * Whether a product in the catalog may be shown to a customer now: not hidden, available, and in
 * stock when the shop tracks its stock (no stock figure means it does not). A product that is not
 * in the catalog at all (deleted, or never sent) is never shown.
 */
public final class Showable {
    private Showable() {}

    public static boolean test(boolean hidden, boolean available, Integer stock) {
        return !hidden && available && (stock == null || stock > 0);
    }
}
