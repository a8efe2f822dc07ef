package io.hilal.core.reco;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hilal.core.catalog.CatalogProduct;
import io.hilal.core.catalog.CatalogSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The products that answer a search, by {@link SearchMatch}: over the live catalog when there is
 * one (title, category path, attribute values), else over what the model knows (title, category).
 * Each catalog version's words are read once and kept while that version serves.
 */
final class SearchCatalog {
    private final Cache<Object, Map<String, Set<String>>> words =
            Caffeine.newBuilder().weakKeys().maximumSize(1_000).build();

    private final Cache<RecommendationModel, Map<String, Integer>> popularity =
            Caffeine.newBuilder().weakKeys().maximumSize(1_000).build();

    /** The products matching {@code query}, each with the share of its words they hold. */
    Map<String, Double> matches(RecommendationModel model, CatalogSnapshot catalog, String query) {
        Set<String> asked = SearchMatch.words(query);
        Map<String, Double> found = new HashMap<>();
        if (asked.isEmpty()) {
            return found;
        }
        Map<String, Set<String>> products =
                catalog == null
                        ? words.get(model, key -> modelWords(model))
                        : words.get(catalog, key -> catalogWords(catalog));
        products.forEach(
                (productId, productWords) -> {
                    double share = SearchMatch.share(asked, productWords);
                    if (share > 0) {
                        found.put(productId, share);
                    }
                });
        return found;
    }

    /** Each product's place among the model's best sellers (0 first); absent when unranked. */
    Map<String, Integer> popularRank(RecommendationModel model) {
        return popularity.get(
                model,
                key -> {
                    Map<String, Integer> rank = new HashMap<>();
                    List<ScoredItem> popular = model.popular();
                    for (int i = 0; i < popular.size(); i++) {
                        rank.putIfAbsent(popular.get(i).productId(), i);
                    }
                    return rank;
                });
    }

    private static Map<String, Set<String>> catalogWords(CatalogSnapshot catalog) {
        Map<String, Set<String>> products = new HashMap<>();
        for (CatalogProduct product : catalog.products()) {
            products.put(
                    product.id(),
                    SearchMatch.productWords(
                            product.title(), product.categories(), product.attributes().values()));
        }
        return products;
    }

    private static Map<String, Set<String>> modelWords(RecommendationModel model) {
        Map<String, Set<String>> products = new HashMap<>();
        for (ProductInfo product : model.products()) {
            List<String> categories = new ArrayList<>();
            if (product.category() != null) {
                categories.add(product.category());
            }
            products.put(
                    product.productId(),
                    SearchMatch.productWords(product.title(), categories, List.of()));
        }
        return products;
    }
}
