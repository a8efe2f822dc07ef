package io.hilal.core.reco;

import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.eval.AlsTuning;
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
    /** The factor model's artifact kind. */
    public static final String ALS_KIND = "als";

    /**
     * The metric, stored with each factor model version, saying whether it beat popularity on the
     * tenant's own validation data when it was trained.
     */
    public static final String BEATS_POPULARITY = "beatsPopularity";

    /**
     * The settings tried per tenant at each training, around what the offline evaluation chose for
     * Online Retail (EVALUATION.md), each lambda flat and count-scaled as in {@link
     * AlsTuning.Grid#DEFAULT}; sweep counts are checkpoints of one run.
     */
    static final AlsTuning.Grid ALS_GRID =
            new AlsTuning.Grid(
                    new int[] {64},
                    new double[] {10, 30, 100},
                    new double[] {1, 3},
                    new int[] {10, 15},
                    new boolean[] {false, true});

    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);

    /** Told how each queued training run went (the worker's metrics). */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = (tenantId, took, succeeded) -> {};

        void trained(String tenantId, java.time.Duration took, boolean succeeded);
    }

    private final RecommendationTrainer trainer;
    private final ModelStore store;
    private final TenantService tenants;
    private final Observer observer;

    public TrainingService(RecommendationTrainer trainer, ModelStore store, TenantService tenants) {
        this(trainer, store, tenants, Observer.NONE);
    }

    public TrainingService(
            RecommendationTrainer trainer,
            ModelStore store,
            TenantService tenants,
            Observer observer) {
        this.trainer = trainer;
        this.store = store;
        this.tenants = tenants;
        this.observer = observer;
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
                                        + "\"neighbours\":20,\"shrinkage\":2.0,"
                                        + "\"categoryShrinkage\":5.0}",
                                HoldoutMetrics.json(metrics),
                                artifact));
        LOG.info(
                "Trained {} v{} for {} in {} ms ({} bytes)",
                RecommendationModel.KIND,
                version,
                tenantId,
                millis,
                artifact.length);
        trainAls(tenantId, data);
        return version;
    }

    /**
     * Trains the factor model on every purchase, its settings chosen per tenant on a validation
     * split of the same data (each customer's newest fifth), and stores it as kind {@code als}.
     */
    private void trainAls(String tenantId, RecommendationTrainer.TrainingData data) {
        long customers = data.purchases().stream().map(Purchase::customerId).distinct().count();
        if (customers < HoldoutMetrics.MIN_CUSTOMERS) {
            return; // too few to learn tastes from; popularity and neighbours do better
        }
        long started = System.nanoTime();
        AlsParams base =
                AlsParams.defaults()
                        .withThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        AlsTuning.Choice choice = AlsTuning.choose(data.purchases(), 20, base, ALS_GRID);
        AlsModel als = ImplicitAls.train(AlsTuning.interactions(data.purchases()), choice.params());
        byte[] artifact = als.toBytes();
        long millis = (System.nanoTime() - started) / 1_000_000;
        AlsParams chosen = choice.params();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("factors", chosen.factors());
        params.put("iterations", chosen.iterations());
        params.put("regularization", chosen.regularization());
        params.put("scaledRegularization", chosen.scaledRegularization());
        params.put("alpha", chosen.alpha());
        params.put("cgSteps", chosen.cgSteps());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("customers", als.userIds().size());
        metrics.put("products", als.itemIds().size());
        metrics.put("validationCustomers", choice.validationCustomers());
        metrics.put("validationRecall@20", choice.bestRecall());
        metrics.put("popularityValidationRecall@20", choice.popularityRecall());
        // The verdict serving goes by: "Picked for you" only from a model that beat popularity.
        metrics.put(BEATS_POPULARITY, choice.beatsPopularity());
        metrics.put("gridRuns", choice.trials().size());
        metrics.put("trainingMillis", millis);
        metrics.put("memoryBytes", als.memoryBytes());
        int version =
                store.saveAndActivate(
                        tenantId,
                        new ModelStore.Trained(
                                ALS_KIND,
                                null,
                                data.newest(),
                                HoldoutMetrics.json(params),
                                HoldoutMetrics.json(metrics),
                                artifact));
        LOG.info(
                "Trained {} v{} for {} in {} ms ({})", ALS_KIND, version, tenantId, millis, chosen);
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
        long started = System.nanoTime();
        org.slf4j.MDC.put("tenantId", request.tenantId());
        org.slf4j.MDC.put("jobId", "training-" + request.requestId());
        try {
            train(request.tenantId());
            observer.trained(
                    request.tenantId(),
                    java.time.Duration.ofNanos(System.nanoTime() - started),
                    true);
            store.finishTraining(request, null);
        } catch (RuntimeException e) {
            LOG.error("Training {} for {} failed", request.requestId(), request.tenantId(), e);
            observer.trained(
                    request.tenantId(),
                    java.time.Duration.ofNanos(System.nanoTime() - started),
                    false);
            store.finishTraining(request, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            org.slf4j.MDC.remove("tenantId");
            org.slf4j.MDC.remove("jobId");
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
}
