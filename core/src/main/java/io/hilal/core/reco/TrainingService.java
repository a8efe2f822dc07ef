package io.hilal.core.reco;

import io.hilal.core.models.ModelDao;
import io.hilal.core.models.ModelStore;
import io.hilal.core.models.ModelVersion;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
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
        RecommendationTrainer.TrainingData data = trainer.load(tenantId);
        RecommendationModel model = trainer.train(data);
        byte[] artifact = model.toBytes();
        long millis = (System.nanoTime() - started) / 1_000_000;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("customers", model.customerCount());
        metrics.put("products", model.productCount());
        metrics.put("purchases", data.purchases().size());
        metrics.put("views", data.views().size());
        metrics.put("trainingMillis", millis);
        metrics.put("artifactBytes", artifact.length);
        metrics.put("holdout", HoldoutMetrics.evaluate(data.purchases(), data.newest()));
        int version =
                store.saveAndActivate(
                        tenantId,
                        new ModelStore.Trained(
                                RecommendationModel.KIND,
                                data.purchases().stream()
                                        .map(Purchase::at)
                                        .min(java.util.Comparator.naturalOrder())
                                        .orElse(null),
                                model.trainedAt(),
                                "{\"halfLifeDays\":30,\"categoryHalfLifeDays\":7,"
                                        + "\"neighbours\":20,\"shrinkage\":2.0}",
                                HoldoutMetrics.json(metrics),
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

    /** Works through queued training requests in the calling thread; returns how many it ran. */
    public int processPending() {
        int processed = 0;
        for (Optional<ModelDao.TrainingRequest> next = store.claimNextTraining();
                next.isPresent();
                next = store.claimNextTraining()) {
            run(next.get());
            processed++;
        }
        return processed;
    }

    /**
     * Claims up to {@code slots} queued requests, each of a different tenant, and runs them on
     * {@code pool}; returns how many it handed over. The pool's size bounds the threads training
     * takes, and one tenant never holds more than one of them, so a big tenant cannot starve the
     * rest.
     */
    public int dispatch(Executor pool, int slots) {
        int dispatched = 0;
        while (dispatched < slots) {
            Optional<ModelDao.TrainingRequest> next = store.claimNextTraining();
            if (next.isEmpty()) {
                break;
            }
            ModelDao.TrainingRequest request = next.get();
            pool.execute(() -> run(request));
            dispatched++;
        }
        return dispatched;
    }

    /** Queues again runs whose worker died mid-run. */
    public int requeueStale(Duration maxRuntime) {
        int requeued = store.requeueStale(maxRuntime);
        if (requeued > 0) {
            LOG.warn("Queued {} training runs again: still running after {}", requeued, maxRuntime);
        }
        return requeued;
    }

    private void run(ModelDao.TrainingRequest request) {
        try {
            train(request.tenantId());
            store.finishTraining(request, null);
        } catch (RuntimeException e) {
            LOG.error("Training {} for {} failed", request.requestId(), request.tenantId(), e);
            store.finishTraining(request, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Queues a training run for every tenant without one waiting (the nightly job). */
    public int requestForAllTenants() {
        int queued = 0;
        for (Tenant tenant : tenants.listTenants()) {
            if (store.requestTrainingOnce(tenant.tenantId())) {
                queued++;
            }
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
