package io.hilal.core.reco;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.ease.EaseModel;
import io.hilal.core.reco.graph.Rp3betaModel;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a tenant's active stored models for serving (the service's rows and the worker's emails):
 * the recommender, and the personal model (ALS, EASE or RP3beta) only when it beat popularity on
 * the tenant's own validation data at its training (the verdict stored with its version), so
 * "Picked for you" never shows a model that ranks worse than "Popular right now". It never trains:
 * a tenant without a stored model has none until the worker trains one.
 */
public final class ModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);
    private static final ObjectMapper JSON = HilalJson.newMapper();

    private final ModelStore store;

    public ModelLoader(ModelStore store) {
        this.store = store;
    }

    /**
     * A tenant's served models: the recommender with its version, and the personal model trained
     * with it when it earned its row: the factor model ({@code als}) or an item-to-item one ({@code
     * itemToItem}: EASE or RP3beta, served alike), whichever training chose (the other null; both
     * null until a tenant has enough customers).
     */
    public record Loaded(
            int version, RecommendationModel model, AlsModel als, ItemWeights itemToItem) {
        public Loaded(int version, RecommendationModel model, AlsModel als) {
            this(version, model, als, null);
        }
    }

    /** The active stored models of a tenant, if one was trained and is readable. */
    public Optional<Loaded> active(String tenantId) {
        List<ModelVersion> active = store.active(tenantId);
        AlsModel als = null;
        ItemWeights itemToItem = null;
        for (ModelVersion version : active) {
            if (TrainingService.ALS_KIND.equals(version.kind()) && beatsPopularity(version)) {
                als =
                        store.readArtifact(
                                        tenantId,
                                        version.kind(),
                                        version.version(),
                                        AlsModel::fromStream)
                                .orElse(null);
            } else if (ITEM_TO_ITEM_KINDS.contains(version.kind()) && beatsPopularity(version)) {
                itemToItem =
                        store.artifact(tenantId, version.kind(), version.version())
                                .map(bytes -> itemToItem(version.kind(), bytes))
                                .orElse(null);
            }
        }
        for (ModelVersion version : active) {
            if (RecommendationModel.KIND.equals(version.kind())) {
                try {
                    AlsModel personal = als;
                    ItemWeights weights = itemToItem;
                    return store.readArtifact(
                                    tenantId,
                                    version.kind(),
                                    version.version(),
                                    RecommendationModel::fromStream)
                            .map(model -> new Loaded(version.version(), model, personal, weights));
                } catch (IllegalArgumentException e) {
                    // Stored by an older release in an older format: the next training replaces it.
                    LOG.warn(
                            "Active model v{} of {} is unreadable ({}); it needs retraining",
                            version.version(),
                            tenantId,
                            e.getMessage());
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A personal model for an experiment's arm: one of {@code als} or {@code itemToItem}, or
     * neither.
     */
    public record Personal(AlsModel als, ItemWeights itemToItem) {
        public static final Personal NONE = new Personal(null, null);
    }

    /**
     * A stored personal model version, active or not (an experiment may serve either), or {@link
     * Personal#NONE} when it is gone or of another kind.
     */
    public Personal personal(String tenantId, String kind, int version) {
        if (TrainingService.ALS_KIND.equals(kind)) {
            return store.readArtifact(tenantId, kind, version, AlsModel::fromStream)
                    .map(als -> new Personal(als, null))
                    .orElse(Personal.NONE);
        }
        if (ITEM_TO_ITEM_KINDS.contains(kind)) {
            // Item-to-item weights are read from a buffer of the whole artifact.
            return store.artifact(tenantId, kind, version)
                    .map(bytes -> new Personal(null, itemToItem(kind, bytes)))
                    .orElse(Personal.NONE);
        }
        return Personal.NONE;
    }

    /** The personal kinds served as item-to-item weights. */
    private static final java.util.Set<String> ITEM_TO_ITEM_KINDS =
            java.util.Set.of(TrainingService.EASE_KIND, TrainingService.RP3BETA_KIND);

    /** An EASE or RP3beta artifact's weights, as both are served. */
    private static ItemWeights itemToItem(String kind, byte[] bytes) {
        return TrainingService.RP3BETA_KIND.equals(kind)
                ? Rp3betaModel.fromBytes(bytes).weights()
                : EaseModel.fromBytes(bytes).weights();
    }

    /** The active recommender's version number without loading the artifact, or 0. */
    public int activeVersion(String tenantId) {
        return store.active(tenantId).stream()
                .filter(version -> RecommendationModel.KIND.equals(version.kind()))
                .mapToInt(ModelVersion::version)
                .findFirst()
                .orElse(0);
    }

    /**
     * The verdict stored with a factor model version; a version stored before verdicts were kept
     * has not shown that it beats popularity.
     */
    static boolean beatsPopularity(ModelVersion version) {
        if (version.metrics() == null) {
            return false;
        }
        try {
            JsonNode verdict =
                    JSON.readTree(version.metrics()).get(TrainingService.BEATS_POPULARITY);
            return verdict != null && verdict.asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }
}
