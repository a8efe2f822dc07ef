package io.hilal.core.reco;

import io.hilal.core.models.ModelDao;
import io.hilal.core.models.ModelStore;
import io.hilal.core.models.ModelVersion;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantService;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains tenants' recommenders and stores them as versioned artifacts, which the service then
 * loads. Runs in the campaign worker: on demand (queued by {@code POST /v1/models/train}) and
 * nightly for every tenant.
 */
public final class TrainingService {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);

    private final RecommendationTrainer trainer;
    private final ModelStore store;
    private final TenantService tenants;

    public TrainingService(RecommendationTrainer trainer, ModelStore store, TenantService tenants) {
        this.trainer = trainer;
        this.store = store;
        this.tenants = tenants;
    }

    /** Trains one tenant's model, stores it and makes it active; returns the new version. */
    public int train(String tenantId) {
        long started = System.nanoTime();
        RecommendationModel model = trainer.train(tenantId);
        byte[] artifact = model.toBytes();
        long millis = (System.nanoTime() - started) / 1_000_000;
        String metrics =
                "{\"customers\":"
                        + model.customerCount()
                        + ",\"products\":"
                        + model.productCount()
                        + ",\"trainingMillis\":"
                        + millis
                        + ",\"artifactBytes\":"
                        + artifact.length
                        + "}";
        int version =
                store.saveAndActivate(
                        tenantId,
                        new ModelStore.Trained(
                                RecommendationModel.KIND,
                                null,
                                model.trainedAt(),
                                "{\"halfLifeDays\":30,\"neighbours\":20,\"shrinkage\":2.0}",
                                metrics,
                                artifact));
        LOG.info(
                "Trained {} v{} for {} in {} ms ({} bytes)",
                RecommendationModel.KIND,
                version,
                tenantId,
                millis,
                artifact.length);
        return version;
    }

    /** Works through queued training requests; returns how many it ran. */
    public int processPending() {
        int processed = 0;
        for (Optional<ModelDao.TrainingRequest> next = store.claimNextTraining();
                next.isPresent();
                next = store.claimNextTraining()) {
            ModelDao.TrainingRequest request = next.get();
            try {
                train(request.tenantId());
                store.finishTraining(request, null);
            } catch (RuntimeException e) {
                LOG.error("Training {} for {} failed", request.requestId(), request.tenantId(), e);
                store.finishTraining(request, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            processed++;
        }
        return processed;
    }

    /** Queues a training run for every tenant (the nightly job). */
    public int requestForAllTenants() {
        int queued = 0;
        for (Tenant tenant : tenants.listTenants()) {
            store.requestTraining(tenant.tenantId());
            queued++;
        }
        return queued;
    }

    /** The active stored model of a tenant, if one was trained. */
    public Optional<Loaded> active(String tenantId) {
        for (ModelVersion version : store.active(tenantId)) {
            if (RecommendationModel.KIND.equals(version.kind())) {
                Optional<byte[]> bytes =
                        store.artifact(tenantId, version.kind(), version.version());
                if (bytes.isEmpty()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(
                            new Loaded(
                                    version.version(), RecommendationModel.fromBytes(bytes.get())));
                } catch (IllegalArgumentException e) {
                    // Stored by an older release in an older format: train afresh instead.
                    LOG.warn(
                            "Active model v{} of {} is unreadable ({}); it will be retrained",
                            version.version(),
                            tenantId,
                            e.getMessage());
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The active version number without loading the artifact, or 0. */
    public int activeVersion(String tenantId) {
        return store.active(tenantId).stream()
                .filter(version -> RecommendationModel.KIND.equals(version.kind()))
                .mapToInt(ModelVersion::version)
                .findFirst()
                .orElse(0);
    }

    /** A stored model and its version. */
    public record Loaded(int version, RecommendationModel model) {}
}
