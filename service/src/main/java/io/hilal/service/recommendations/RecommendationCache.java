package io.hilal.service.recommendations;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.RowsService;
import io.hilal.core.reco.ScoredItem;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The tenants' recommendation models in memory: built on first use, bounded to 100 tenants, and
 * rebuilt after ten minutes so new purchases show up. One per service instance.
 */
public final class RecommendationCache {
    private final RecommendationTrainer trainer;
    private final RowsService rows = new RowsService();
    private final LoadingCache<String, RecommendationModel> models;

    public RecommendationCache(RecommendationTrainer trainer) {
        this.trainer = trainer;
        this.models =
                Caffeine.newBuilder()
                        .maximumSize(100)
                        .expireAfterWrite(Duration.ofMinutes(10))
                        .build(trainer::train);
    }

    public Rows rows(
            String tenantId, String customerId, String productId, int rowCount, int perRow) {
        return rows.rows(
                models.get(tenantId),
                customerId,
                productId,
                trainer.thumbsDown(tenantId, customerId),
                rowCount,
                perRow);
    }

    public List<ScoredItem> recommendations(
            String tenantId, String customerId, int limit, String category, Set<String> exclude) {
        return rows.recommendations(
                models.get(tenantId),
                customerId,
                trainer.thumbsDown(tenantId, customerId),
                limit,
                category,
                exclude);
    }

    /** Products bought with {@code productId}; 404 when the tenant has no such product. */
    public List<ScoredItem> similar(String tenantId, String productId, int limit) {
        RecommendationModel model = models.get(tenantId);
        if (model.product(productId) == null) {
            throw new NotFoundException("product", productId);
        }
        return rows.similar(model, productId, limit);
    }

    public RecommendationModel model(String tenantId) {
        return models.get(tenantId);
    }
}
