package io.hilal.core.catalog;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A tenant's showable products as of one catalog version: a product is here exactly when it is in
 * the catalog and {@link Showable} says it may be shown. Immutable; a newer version is a new
 * snapshot.
 */
public final class CatalogSnapshot {
    /** Before anything was read: every product is changed since. */
    static final CatalogSnapshot EMPTY = new CatalogSnapshot(-1, Map.of(), 0);

    private final long version;
    private final Map<String, CatalogProduct> products;
    private final long weight;

    private CatalogSnapshot(long version, Map<String, CatalogProduct> products, long weight) {
        this.version = version;
        this.products = products;
        this.weight = weight;
    }

    /** A snapshot holding exactly {@code products}, for tests and offline evaluation. */
    public static CatalogSnapshot of(long version, Collection<CatalogProduct> products) {
        return EMPTY.with(version, products, java.util.List.of(), java.util.List.of());
    }

    public long version() {
        return version;
    }

    /** The product if it may be shown now, else null. */
    public CatalogProduct product(String productId) {
        return products.get(productId);
    }

    public boolean showable(String productId) {
        return products.containsKey(productId);
    }

    public Collection<CatalogProduct> products() {
        return products.values();
    }

    /** About how many bytes this holds. */
    long weight() {
        return weight;
    }

    /**
     * This snapshot moved to {@code newVersion}: deleted products and those no longer showable
     * leave, changed showable ones come in.
     */
    CatalogSnapshot with(
            long newVersion,
            Collection<CatalogProduct> showable,
            Collection<String> notShowable,
            Collection<String> deleted) {
        Map<String, CatalogProduct> next = new HashMap<>(products);
        // A deletion read here is older than any row of the same id read with it: a product
        // created again after its deletion has a newer version on its row.
        deleted.forEach(next::remove);
        notShowable.forEach(next::remove);
        for (CatalogProduct product : showable) {
            next.put(product.id(), product);
        }
        long nextWeight = 64;
        for (CatalogProduct product : next.values()) {
            nextWeight += product.weight();
        }
        return new CatalogSnapshot(newVersion, Map.copyOf(next), nextWeight);
    }
}
