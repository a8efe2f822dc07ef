package io.hilal.worker.campaigns;

import io.hilal.core.reco.PopularityFallback;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.worker.journeys.ActiveModels;
import java.util.function.Function;

/**
 * The recommender a tenant's emails are composed with: its active trained model (loaded again only
 * when a newer version becomes active), or, until the training job has trained one, its best
 * sellers, as the service's rows and the studio's preview show them. Sending never trains: a send
 * pass asks every few seconds, and training a tenant is the training job's work, so what a merchant
 * previews is what goes out.
 */
public final class SendingModels implements Function<String, RecommendationModel> {
    private final ActiveModels active;
    private final PopularityFallback fallback;

    public SendingModels(ActiveModels active, PopularityFallback fallback) {
        this.active = active;
        this.fallback = fallback;
    }

    @Override
    public RecommendationModel apply(String tenantId) {
        RecommendationModel model = active.apply(tenantId);
        return model != null ? model : fallback.model(tenantId);
    }
}
