package io.hilal.core.reco;

import io.hilal.core.catalog.CatalogProduct;
import io.hilal.core.catalog.CatalogSnapshot;
import java.util.Set;

/**
 * What may be shown: the request's rules (only these categories when any are given, never these
 * categories, never these products) and, when {@code catalog} is given, the catalog as it is now,
 * whatever the model learnt at training: a product not showable in it never appears.
 */
public record RowsFilter(
        Set<String> onlyCategories,
        Set<String> excludeCategories,
        Set<String> excludeProducts,
        CatalogSnapshot catalog) {

    public static final RowsFilter NONE = new RowsFilter(Set.of(), Set.of(), Set.of());

    public RowsFilter {
        onlyCategories = Set.copyOf(onlyCategories);
        excludeCategories = Set.copyOf(excludeCategories);
        excludeProducts = Set.copyOf(excludeProducts);
    }

    /** The request's rules alone, the model's view of the catalog standing. */
    public RowsFilter(
            Set<String> onlyCategories,
            Set<String> excludeCategories,
            Set<String> excludeProducts) {
        this(onlyCategories, excludeCategories, excludeProducts, null);
    }

    /** These rules over the catalog as {@code now} has it. */
    public RowsFilter withCatalog(CatalogSnapshot now) {
        return new RowsFilter(onlyCategories, excludeCategories, excludeProducts, now);
    }

    /**
     * The product as it may be shown now, or null: from the live catalog when there is one (a
     * product added after training included), else as the model knew it.
     */
    ProductInfo current(RecommendationModel model, String productId) {
        if (catalog == null) {
            ProductInfo known = model.product(productId);
            return known != null && known.recommendable() ? known : null;
        }
        CatalogProduct product = catalog.product(productId);
        return product == null
                ? null
                : new ProductInfo(product.id(), product.title(), product.category(), true);
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
