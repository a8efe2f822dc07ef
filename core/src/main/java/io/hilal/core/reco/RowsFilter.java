package io.hilal.core.reco;

import java.util.Set;

/**
 * A request's rules on what may be shown: only these categories (when any are given), never these
 * categories, never these products.
 */
public record RowsFilter(
        Set<String> onlyCategories, Set<String> excludeCategories, Set<String> excludeProducts) {

    public static final RowsFilter NONE = new RowsFilter(Set.of(), Set.of(), Set.of());

    public RowsFilter {
        onlyCategories = Set.copyOf(onlyCategories);
        excludeCategories = Set.copyOf(excludeCategories);
        excludeProducts = Set.copyOf(excludeProducts);
    }

    boolean allows(ProductInfo product) {
        if (product == null || excludeProducts.contains(product.productId())) {
            return false;
        }
        String category = product.category();
        if (!onlyCategories.isEmpty() && (category == null || !onlyCategories.contains(category))) {
            return false;
        }
        return category == null || !excludeCategories.contains(category);
    }
}
