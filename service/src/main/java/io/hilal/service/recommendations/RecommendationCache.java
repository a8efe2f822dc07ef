package io.hilal.service.recommendations;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.hilal.core.catalog.CatalogSnapshot;
import io.hilal.core.catalog.LiveCatalog;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.reco.CustomerSignalsDao;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.RowsFilter;
import io.hilal.core.reco.RowsService;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.TrainingService;
import java.time.Duration;
import java.util.List;

/**
 * The tenants' recommendation models in memory, bounded to 100 tenants (about 15 MiB each for a
 * shop of Online Retail's size: see BENCHMARKS.md): the active stored versions (trained by the
 * worker), checked every 30 seconds and swapped when a newer one is activated. What they propose
 * passes through the live catalog last, so a product hidden, sold out or deleted since training is
 * never served. One per service instance.
 */
public final class RecommendationCache {
    private final RecommendationTrainer trainer;
    private final TrainingService training;
    private final RowsService rows = new RowsService();
    private final CustomerSignalsCache signals;
    private final LiveCatalog catalog;
    private final LoadingCache<String, TrainingService.Loaded> cache;

    public RecommendationCache(
            RecommendationTrainer trainer,
            TrainingService training,
            CustomerSignalsDao customers,
            LiveCatalog catalog) {
        this.trainer = trainer;
        this.training = training;
        this.catalog = catalog;
        this.signals = new CustomerSignalsCache(customers);
        this.cache =
                Caffeine.newBuilder()
                        .maximumSize(100)
                        .refreshAfterWrite(Duration.ofSeconds(30))
                        .build(
                                new CacheLoader<>() {
                                    @Override
                                    public TrainingService.Loaded load(String tenantId) {
                                        return loadModel(tenantId);
                                    }

                                    @Override
                                    public TrainingService.Loaded reload(
                                            String tenantId, TrainingService.Loaded old) {
                                        // Only a new active version is worth loading again.
                                        int active = training.activeVersion(tenantId);
                                        return active == old.version() && active != 0
                                                ? old
                                                : loadModel(tenantId);
                                    }
                                });
    }

    /**
     * The tenant's active stored model; until the worker has trained one, a model trained here
     * (version 0), so a new tenant gets rows at once.
     */
    private TrainingService.Loaded loadModel(String tenantId) {
        return training.active(tenantId)
                .orElseGet(() -> new TrainingService.Loaded(0, trainer.train(tenantId), null));
    }

    private RecommendationModel models(String tenantId) {
        return cache.get(tenantId).model();
    }

    public Rows rows(
            String tenantId,
            String customerId,
            RowsService.Context context,
            RowsFilter filter,
            int rowCount,
            int perRow) {
        TrainingService.Loaded loaded = cache.get(tenantId);
        RecommendationModel model = loaded.model();
        return rows.rows(
                model,
                loaded.als(),
                customerId,
                context,
                signals.signals(tenantId, customerId, model.trainedAt()),
                filter.withCatalog(catalog.snapshot(tenantId)),
                rowCount,
                perRow);
    }

    public List<ScoredItem> recommendations(
            String tenantId, String customerId, RowsFilter filter, int limit) {
        TrainingService.Loaded loaded = cache.get(tenantId);
        RecommendationModel model = loaded.model();
        return rows.recommendations(
                model,
                loaded.als(),
                customerId,
                signals.signals(tenantId, customerId, model.trainedAt()),
                filter.withCatalog(catalog.snapshot(tenantId)),
                limit);
    }

    /**
     * 404 unless the tenant's model or its live catalog knows {@code productId}: the one rule for
     * similar products and for the rows of that product's page.
     */
    public void requireProduct(String tenantId, String productId) {
        if (models(tenantId).product(productId) == null
                && !catalog.snapshot(tenantId).showable(productId)) {
            throw new NotFoundException("product", productId);
        }
    }

    /** Products bought with {@code productId}; 404 when the tenant has no such product. */
    public List<ScoredItem> similar(String tenantId, String productId, int limit) {
        requireProduct(tenantId, productId);
        RecommendationModel model = models(tenantId);
        CatalogSnapshot now = catalog.snapshot(tenantId);
        // The model's neighbour lists are short (tens): filtered whole, then cut to the limit.
        return rows.similar(model, productId, Integer.MAX_VALUE).stream()
                .filter(item -> now.showable(item.productId()))
                .limit(limit)
                .toList();
    }

    public RecommendationModel model(String tenantId) {
        return models(tenantId);
    }
}
