package io.hilal.service.recommendations;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.hilal.core.error.NotFoundException;
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
 * worker), checked every 30 seconds and swapped when a newer one is activated. One per service
 * instance.
 */
public final class RecommendationCache {
    private final RecommendationTrainer trainer;
    private final TrainingService training;
    private final RowsService rows = new RowsService();
    private final CustomerSignalsCache signals;
    private final LoadingCache<String, TrainingService.Loaded> cache;

    public RecommendationCache(RecommendationTrainer trainer, TrainingService training) {
        this.trainer = trainer;
        this.training = training;
        this.signals = new CustomerSignalsCache(trainer);
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
                filter,
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
                filter,
                limit);
    }

    /** Products bought with {@code productId}; 404 when the tenant has no such product. */
    public List<ScoredItem> similar(String tenantId, String productId, int limit) {
        RecommendationModel model = models(tenantId);
        if (model.product(productId) == null) {
            throw new NotFoundException("product", productId);
        }
        return rows.similar(model, productId, limit);
    }

    public RecommendationModel model(String tenantId) {
        return models(tenantId);
    }
}
