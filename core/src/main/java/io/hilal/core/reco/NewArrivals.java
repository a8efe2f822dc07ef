package io.hilal.core.reco;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hilal.core.catalog.CatalogProduct;
import io.hilal.core.catalog.CatalogSnapshot;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Products added to the catalog since the model was trained, recommended to a customer through
 * {@link ColdStart} from what they bought: the products no model can rank yet. One content index is
 * kept per catalog snapshot, rebuilt when the snapshot or the model changes; neither is kept alive
 * by it.
 */
final class NewArrivals {
    /** A customer's newest purchases that new products are compared with. */
    static final int SOURCES = 100;

    /**
     * New products compared at most, the newest added first: a request compares each with up to
     * {@link #SOURCES} purchases, so this bounds its cost however many products a shop adds between
     * trainings.
     */
    static final int CANDIDATES = 200;

    private final Cache<CatalogSnapshot, Index> indexes =
            Caffeine.newBuilder().weakKeys().maximumSize(1_000).build();

    /**
     * The new products most like what the customer owns and that they do not own, best first, each
     * with its reason; empty when nothing is new or they own nothing.
     */
    List<ScoredItem> forCustomer(
            RecommendationModel model,
            CatalogSnapshot catalog,
            Map<String, RecommendationModel.Timing> owned,
            int limit) {
        if (owned.isEmpty()) {
            return List.of();
        }
        ColdStart index = index(model, catalog);
        if (index.isEmpty()) {
            return List.of();
        }
        List<RecommendationModel.Timing> newestFirst = new ArrayList<>(owned.values());
        newestFirst.sort(
                Comparator.comparing(RecommendationModel.Timing::lastBought)
                        .reversed()
                        .thenComparing(RecommendationModel.Timing::productId));
        List<ColdStart.Item> bought = new ArrayList<>();
        for (RecommendationModel.Timing timing : newestFirst) {
            if (bought.size() == SOURCES) {
                break;
            }
            bought.add(item(model, catalog, timing.productId()));
        }
        // Compared with their newest purchases only, but none of what they own is offered.
        return index.recommend(bought, CANDIDATES).stream()
                .filter(item -> !owned.containsKey(item.productId()))
                .limit(limit)
                .toList();
    }

    private ColdStart index(RecommendationModel model, CatalogSnapshot catalog) {
        Index index = indexes.getIfPresent(catalog);
        if (index == null || index.model().get() != model) {
            List<CatalogProduct> fresh = new ArrayList<>();
            List<ColdStart.Item> all = new ArrayList<>();
            for (CatalogProduct product : catalog.products()) {
                all.add(item(product));
                if (model.product(product.id()) == null) {
                    fresh.add(product);
                }
            }
            fresh.sort(
                    Comparator.comparing(
                                    CatalogProduct::createdAt,
                                    Comparator.nullsLast(Comparator.reverseOrder()))
                            .thenComparing(CatalogProduct::id));
            List<ColdStart.Item> candidates = new ArrayList<>();
            for (CatalogProduct product : fresh.subList(0, Math.min(CANDIDATES, fresh.size()))) {
                candidates.add(item(product));
            }
            index = new Index(new WeakReference<>(model), new ColdStart(candidates, all));
            indexes.put(catalog, index);
        }
        return index.coldStart();
    }

    /** A bought product as the catalog has it now, or as the model knew it (hidden since). */
    private static ColdStart.Item item(
            RecommendationModel model, CatalogSnapshot catalog, String productId) {
        CatalogProduct product = catalog.product(productId);
        if (product != null) {
            return item(product);
        }
        ProductInfo known = model.product(productId);
        return new ColdStart.Item(
                productId,
                known == null ? null : known.title(),
                known == null || known.category() == null ? List.of() : List.of(known.category()),
                Map.of(),
                null);
    }

    private static ColdStart.Item item(CatalogProduct product) {
        return new ColdStart.Item(
                product.id(),
                product.title(),
                product.categories(),
                product.attributes(),
                product.price());
    }

    private record Index(WeakReference<RecommendationModel> model, ColdStart coldStart) {}
}
