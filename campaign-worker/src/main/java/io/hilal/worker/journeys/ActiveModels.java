package io.hilal.worker.journeys;

import io.hilal.core.reco.ModelLoader;
import io.hilal.core.reco.RecommendationModel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Each tenant's active recommender for the journey planner, loaded again only when a newer version
 * becomes active: the planner asks every few seconds, and a load reads and decodes the artifact.
 * Never trains (a tenant without a model gets null).
 */
public final class ActiveModels implements Function<String, RecommendationModel> {
    private final ModelLoader loader;
    private final Map<String, ModelLoader.Loaded> loaded = new ConcurrentHashMap<>();

    public ActiveModels(ModelLoader loader) {
        this.loader = loader;
    }

    @Override
    public RecommendationModel apply(String tenantId) {
        int version = loader.activeVersion(tenantId);
        if (version == 0) {
            loaded.remove(tenantId);
            return null;
        }
        ModelLoader.Loaded cached = loaded.get(tenantId);
        if (cached != null && cached.version() == version) {
            return cached.model();
        }
        ModelLoader.Loaded fresh = loader.active(tenantId).orElse(null);
        if (fresh == null) {
            loaded.remove(tenantId);
            return null;
        }
        loaded.put(tenantId, fresh);
        return fresh.model();
    }
}
