package io.hilal.core.reco;

import io.hilal.core.pods.PodScopes;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.ease.EaseModel;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.EaseTuning;
import io.hilal.core.reco.eval.GridSample;
import io.hilal.core.reco.eval.Rp3betaTuning;
import io.hilal.core.reco.eval.ValidationSplit;
import io.hilal.core.reco.graph.Rp3betaModel;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
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

    /** The closed-form item-to-item model's artifact kind (EASE). */
    public static final String EASE_KIND = "ease";

    /** The item-graph model's artifact kind (RP3beta). */
    public static final String RP3BETA_KIND = "rp3beta";

    /** The kinds that can serve "Picked for you"; one of them is active at a time. */
    public static final Set<String> PERSONAL_KINDS = Set.of(ALS_KIND, EASE_KIND, RP3BETA_KIND);

    /** Metrics stored with the personal model version: which kind was chosen, and why. */
    public static final String CHOSEN_MODEL = "chosenModel";

    public static final String CHOICE_REASON = "choiceReason";

    /**
     * The largest catalog EASE is trained for per tenant: each of its five trainings (four λ on the
     * validation split, one on all the data) inverts a dense products × products matrix, about n³
     * operations and 8·n² bytes (5,000 products: 200 MB and some tens of seconds per inversion on
     * two cores). Larger catalogs get ALS.
     */
    static final int EASE_MAX_PRODUCTS = 5_000;

    /**
     * Outgoing weights a served EASE model keeps per product: a dense model is n² floats (100 MB at
     * 5,000 products), too large for an artifact row and for a service holding many tenants.
     * Validation scores the model pruned so, as it is served.
     */
    public static final int EASE_KEEP_PER_PRODUCT = 200;

    /**
     * The largest catalog RP3beta is tried for per tenant. Its fit needs no inversion (about Σ over
     * customers of their products² steps: 0.7 s at MovieLens 100K's 1,650 products, 1.6 s at Online
     * Retail's 3,388 on two busy cores), but its validation grid ({@link
     * io.hilal.core.reco.eval.Rp3betaTuning#DEFAULT}, 36 settings) scores every validation customer
     * over the whole catalog at each setting, so it grows with products × customers: 85 s at Online
     * Retail's size, some minutes at 10,000 products; a served model keeps at most 200 weights per
     * product (16 MB at 10,000). Larger catalogs are left to ALS (bench/results/
     * rp3beta-2026-12-07).
     */
    public static final int RP3BETA_MAX_PRODUCTS = 10_000;

    /**
     * The metric, stored with each factor model version, saying whether it beat popularity on the
     * tenant's own validation data when it was trained.
     */
    public static final String BEATS_POPULARITY = "beatsPopularity";

    /** The metric holding the ALS grid's choice: setting, objective, validation split. */
    public static final String ALS_CHOICE = "alsChoice";

    /**
     * The settings tried per tenant at each training, around what the offline evaluation chose for
     * Online Retail (EVALUATION.md), each lambda flat and count-scaled as in {@link
     * AlsTuning.Grid#DEFAULT}; sweep counts are checkpoints of one run.
     */
    public static final AlsTuning.Grid ALS_GRID =
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

        /** Old versions a run deleted after storing its models (only when it deleted some). */
        default void pruned(String tenantId, ModelRetention.Freed freed) {}

        /**
         * A run of the tenant's starts its next step: "load", "personal", "holdout", "priors",
         * "recommender", "encode", "store" (what each step costs: bench/RecommenderHeap).
         */
        default void step(String tenantId, String step) {}
    }

    private final RecommendationTrainer trainer;
    private final ModelStore store;
    private final TenantService tenants;
    private final Observer observer;
    private final int easeMaxProducts;
    private final AlsTuning.Grid alsGrid;
    private final Optional<LargeTenantTraining> large;

    /** Deletes a tenant's old versions after its run stored new ones; empty: all are kept. */
    private final Optional<ModelRetention> retention;

    /** Every pod's queued runs, each run in its tenant's scope. */
    private final PodScopes pods;

    /**
     * Runs of this process that failed when their failure could not be recorded (the database was
     * unreachable, most often the reason they failed): {@link #recordFailures} records them once it
     * is back, where they would otherwise stay RUNNING under a live heartbeat until the max-runtime
     * backstop.
     */
    private final Queue<Failure> unrecorded = new ConcurrentLinkedQueue<>();

    private record Failure(ModelDao.TrainingRequest request, String worker, String error) {}

    public TrainingService(RecommendationTrainer trainer, ModelStore store, TenantService tenants) {
        this(trainer, store, tenants, Observer.NONE);
    }

    public TrainingService(
            RecommendationTrainer trainer,
            ModelStore store,
            TenantService tenants,
            Observer observer) {
        this(trainer, store, tenants, observer, Optional.empty());
    }

    /**
     * With the largest tenants' factor models trained outside this JVM ({@code large}, e.g. on
     * Spark), the rest as usual.
     */
    public TrainingService(
            RecommendationTrainer trainer,
            ModelStore store,
            TenantService tenants,
            Observer observer,
            Optional<LargeTenantTraining> large) {
        this(trainer, store, tenants, observer, large, PodScopes.single());
    }

    /**
     * Over several pods: {@code trainer} and {@code store} on the database routed by tenant, {@code
     * tenants} on the home database's.
     */
    public TrainingService(
            RecommendationTrainer trainer,
            ModelStore store,
            TenantService tenants,
            Observer observer,
            Optional<LargeTenantTraining> large,
            PodScopes pods) {
        this(trainer, store, tenants, observer, large, pods, Optional.empty());
    }

    /** Each run followed by {@code retention} of the tenant's old versions, when given. */
    public TrainingService(
            RecommendationTrainer trainer,
            ModelStore store,
            TenantService tenants,
            Observer observer,
            Optional<LargeTenantTraining> large,
            PodScopes pods,
            Optional<ModelRetention> retention) {
        this(
                trainer,
                store,
                tenants,
                observer,
                EASE_MAX_PRODUCTS,
                ALS_GRID,
                large,
                pods,
                retention);
    }

    /** With another catalog size limit for EASE and another ALS grid (tests). */
    TrainingService(
            RecommendationTrainer trainer,
            ModelStore store,
            TenantService tenants,
            int easeMaxProducts,
            AlsTuning.Grid alsGrid) {
        this(
                trainer,
                store,
                tenants,
                Observer.NONE,
                easeMaxProducts,
                alsGrid,
                Optional.empty(),
                PodScopes.single(),
                Optional.empty());
    }

    private TrainingService(
            RecommendationTrainer trainer,
            ModelStore store,
            TenantService tenants,
            Observer observer,
            int easeMaxProducts,
            AlsTuning.Grid alsGrid,
            Optional<LargeTenantTraining> large,
            PodScopes pods,
            Optional<ModelRetention> retention) {
        this.pods = pods;
        this.retention = retention;
        this.trainer = trainer;
        this.store = store;
        this.tenants = tenants;
        this.observer = observer;
        this.easeMaxProducts = easeMaxProducts;
        this.alsGrid = alsGrid;
        this.large = large;
    }

    /** Trains one tenant's model, stores it and makes it active; returns the new version. */
    public int train(String tenantId) {
        Trained trained = trainModels(tenantId);
        observer.step(tenantId, "store");
        List<Integer> versions = store.saveAndActivate(tenantId, trained.activations());
        trained.log(tenantId, versions);
        prune(tenantId);
        return versions.get(versions.size() - 1);
    }

    /**
     * Deletes the tenant's old versions now that its run stored new ones. A tenant a move has
     * (copying or frozen) keeps them until its next run: the move copies and counts its rows. A
     * failure here fails nothing: the run's models are stored and active, and the next run deletes
     * what this one left.
     */
    private void prune(String tenantId) {
        if (retention.isEmpty()) {
            return;
        }
        try {
            if (pods.moving(tenantId)) {
                return;
            }
            ModelRetention.Freed freed = retention.get().prune(tenantId);
            if (freed.versions() > 0) {
                observer.pruned(tenantId, freed);
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not delete the old model versions of {} ({}); its next training run"
                            + " will",
                    tenantId,
                    e.toString());
        }
    }

    /**
     * What one training run made, not stored yet: the personal model (when the tenant has enough
     * customers) and then the recommender, each with a line for the log.
     */
    private record Trained(List<ModelStore.Activation> activations, List<String> notes) {
        void log(String tenantId, List<Integer> versions) {
            for (int i = 0; i < activations.size(); i++) {
                LOG.info(
                        "Trained {} v{} for {} ({})",
                        activations.get(i).trained().kind(),
                        versions.get(i),
                        tenantId,
                        notes.get(i));
            }
        }
    }

    /**
     * Trains a tenant's models without storing them, so that a run stores all of them or none: a
     * worker killed mid-run leaves every model that was active active.
     */
    private Trained trainModels(String tenantId) {
        long started = System.nanoTime();
        List<ModelStore.Activation> activations = new java.util.ArrayList<>();
        List<String> notes = new java.util.ArrayList<>();
        // A tenant past the threshold has its factor model fitted outside this JVM before its
        // purchases are loaded for the recommender: its pairs go to the engine straight from the
        // database, so this heap never holds them beside the purchases.
        Optional<OutsideTraining.Fitted> outside =
                large.flatMap(engine -> new OutsideTraining(trainer, engine).train(tenantId));
        outside.ifPresent(
                fitted -> {
                    activations.add(fitted.activation());
                    notes.add(fitted.note());
                });
        observer.step(tenantId, "load");
        RecommendationTrainer.TrainingData data = trainer.load(tenantId);
        // The personal model as the holdout metrics score it: the one this run serves. A model
        // fitted outside is not fitted again in this heap, which it was sent there to spare.
        HoldoutMetrics.Personal personal =
                HoldoutMetrics.Personal.notScored(
                        ALS_KIND,
                        "fitted outside the worker, so not fitted again here: its validation"
                                + " figures are stored with its version");
        if (outside.isEmpty()) {
            // Stored with the recommender in one transaction: serving reloads a tenant when its
            // recommender's version changes, and then finds the new personal model active with it.
            observer.step(tenantId, "personal");
            personal = trainPersonal(data, activations, notes);
        }
        // Scored before the recommender is trained, so that what the holdout fits and the
        // recommender never sit in the heap together: the run's peak is the larger of the two.
        observer.step(tenantId, "holdout");
        long holdoutStarted = System.nanoTime();
        Map<String, Object> holdout =
                HoldoutMetrics.evaluate(data.purchases(), data.newest(), personal);
        long holdoutMillis = (System.nanoTime() - holdoutStarted) / 1_000_000;
        observer.step(tenantId, "priors");
        ModelPriors priors = trainer.priors(tenantId, data);
        observer.step(tenantId, "recommender");
        RecommendationModel model = trainer.train(data, priors);
        observer.step(tenantId, "encode");
        byte[] artifact = model.toBytes();
        long millis = (System.nanoTime() - started) / 1_000_000 - holdoutMillis;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("customers", model.customerCount());
        metrics.put("products", model.productCount());
        metrics.put("purchases", data.purchases().size());
        metrics.put("views", data.views().size());
        metrics.put("trainingMillis", millis);
        metrics.put("artifactBytes", artifact.length);
        metrics.put("holdoutMillis", holdoutMillis);
        metrics.put("holdout", holdout);
        activations.add(
                new ModelStore.Activation(
                        new ModelStore.Trained(
                                RecommendationModel.KIND,
                                data.purchases().stream()
                                        .map(Purchase::at)
                                        .min(java.util.Comparator.naturalOrder())
                                        .orElse(null),
                                model.trainedAt(),
                                HoldoutMetrics.json(params(priors, data.catalog())),
                                HoldoutMetrics.json(metrics),
                                artifact),
                        Set.of()));
        notes.add(millis + " ms, " + artifact.length + " bytes");
        return new Trained(activations, notes);
    }

    /**
     * The recommender's settings as stored with its version, with the priors it borrowed (the
     * model's "why": which priors, from how many pooled categories).
     */
    private static Map<String, Object> params(
            ModelPriors priors, Map<String, ProductInfo> catalog) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("halfLifeDays", 30);
        params.put("categoryHalfLifeDays", 7);
        params.put("neighbours", 20);
        params.put("shrinkage", 2.0);
        params.put("categoryShrinkage", 5.0);
        Set<String> categories = new HashSet<>();
        catalog.values().forEach(product -> categories.add(product.category()));
        params.put("priors", priors.describe(categories));
        return params;
    }

    /**
     * Trains the model behind "Picked for you": ALS, or EASE or RP3beta when the catalog is within
     * its limit and it ranks the tenant's own validation purchases better (each customer's newest
     * fifth, held out of the same training data; see {@link PersonalModelChoice}). The chosen model
     * is retrained on every purchase and stored with the choice and its validation figures; the
     * other kind stops being served in the same transaction. Returns it with its chosen settings,
     * for the holdout metrics to score.
     */
    private HoldoutMetrics.Personal trainPersonal(
            RecommendationTrainer.TrainingData data,
            List<ModelStore.Activation> activations,
            List<String> notes) {
        List<Purchase> purchases = data.purchases();
        long customers = purchases.stream().map(Purchase::customerId).distinct().count();
        if (customers < HoldoutMetrics.MIN_CUSTOMERS) {
            // too few to learn tastes from; popularity and neighbours do better
            return HoldoutMetrics.Personal.NONE;
        }
        long started = System.nanoTime();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        AlsParams base = AlsParams.defaults().withThreads(threads);
        // One validation split for the three tunings, made once if any of them needs all of it.
        Supplier<ValidationSplit> split = ValidationSplit.once(purchases);
        // A large tenant's grid runs on a sample of its customers (GridSample), the chosen setting
        // on all of them: tuned at any size, in about the time of one more final fit.
        AlsTuning.Choice alsChoice =
                AlsTuning.choose(purchases, split, 20, base, alsGrid, GridSample.DEFAULT_BUDGET);
        int products = (int) purchases.stream().map(Purchase::productId).distinct().count();
        EaseTuning.Choice easeChoice =
                products <= easeMaxProducts
                        ? EaseTuning.choose(
                                split.get(), 20, EaseTuning.LAMBDAS, threads, EASE_KEEP_PER_PRODUCT)
                        : null;
        Rp3betaTuning.Choice graphChoice =
                products <= RP3BETA_MAX_PRODUCTS
                        ? Rp3betaTuning.choose(split.get(), 20, Rp3betaTuning.DEFAULT, threads)
                        : null;
        PersonalModelChoice twoWay =
                PersonalModelChoice.choose(
                        alsChoice.bestRecall(),
                        easeChoice == null
                                ? OptionalDouble.empty()
                                : OptionalDouble.of(easeChoice.best().recall()),
                        alsChoice.popularityRecall(),
                        products,
                        easeMaxProducts,
                        ValidationSplit.describe(alsChoice.byTime()));
        PersonalModelChoice choice =
                twoWay.orRp3beta(
                        graphChoice == null
                                ? OptionalDouble.empty()
                                : OptionalDouble.of(graphChoice.best().recall()),
                        products,
                        RP3BETA_MAX_PRODUCTS);
        if (alsChoice.validationCustomers() == 0) {
            choice = choice.unvalidated(alsChoice.byTime());
        }

        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put(CHOSEN_MODEL, choice.kind());
        metrics.put(CHOICE_REASON, choice.reason());
        // Which ALS setting won its grid and on what: the other half of the choice's reason.
        metrics.put(ALS_CHOICE, alsChoice.describe(20));
        ModelStore.Artifact artifact;
        HoldoutMetrics.Personal personal;
        if (choice.kind().equals(RP3BETA_KIND)) {
            Rp3betaTuning.Trial best = graphChoice.best();
            Map<String, Set<String>> owned = productsByCustomer(purchases);
            Rp3betaModel graph =
                    Rp3betaModel.train(owned, best.alpha(), best.beta(), best.keep(), threads);
            artifact = ModelStore.Artifact.of(graph.toBytes());
            personal =
                    HoldoutMetrics.Personal.rp3beta(
                            graph.alpha(), graph.beta(), best.keep(), threads);
            params.putAll(personal.settings());
            metrics.put("customers", owned.size());
            metrics.put("products", graph.itemCount());
            metrics.put("memoryBytes", graph.memoryBytes());
        } else if (choice.kind().equals(EASE_KIND)) {
            Map<String, Set<String>> owned = productsByCustomer(purchases);
            EaseModel ease =
                    EaseModel.train(owned, easeChoice.lambda(), threads, EASE_KEEP_PER_PRODUCT);
            artifact = ModelStore.Artifact.of(ease.toBytes());
            personal = HoldoutMetrics.Personal.ease(ease.lambda(), EASE_KEEP_PER_PRODUCT, threads);
            params.putAll(personal.settings());
            metrics.put("customers", owned.size());
            metrics.put("products", ease.itemCount());
            metrics.put("memoryBytes", ease.memoryBytes());
        } else {
            AlsModel als = ImplicitAls.train(AlsTuning.interactions(purchases), alsChoice.params());
            // Encoded straight into the store's chunks: never held whole beside the model.
            artifact = als::writeTo;
            personal = HoldoutMetrics.Personal.als(alsChoice.params());
            params.putAll(personal.settings());
            metrics.put("customers", als.userIds().size());
            metrics.put("products", als.itemIds().size());
            metrics.put("memoryBytes", als.memoryBytes());
        }
        metrics.put("validationCustomers", alsChoice.validationCustomers());
        metrics.put("gridCustomerShare", alsChoice.sample().share());
        metrics.put("gridSample", alsChoice.sample().reason());
        metrics.put("validationRecall@20", choice.recall());
        metrics.put("alsValidationRecall@20", alsChoice.bestRecall());
        if (easeChoice != null) {
            metrics.put("easeValidationRecall@20", easeChoice.best().recall());
        }
        if (graphChoice != null) {
            metrics.put("rp3betaValidationRecall@20", graphChoice.best().recall());
        }
        metrics.put("popularityValidationRecall@20", alsChoice.popularityRecall());
        // The verdict serving goes by: "Picked for you" only from a model that beat popularity.
        metrics.put(BEATS_POPULARITY, choice.beats(alsChoice.popularityRecall()));
        metrics.put(
                "gridRuns",
                alsChoice.trials().size()
                        + (easeChoice == null ? 0 : easeChoice.trials().size())
                        + (graphChoice == null ? 0 : graphChoice.trials().size()));
        long millis = (System.nanoTime() - started) / 1_000_000;
        metrics.put("trainingMillis", millis);
        activations.add(
                new ModelStore.Activation(
                        new ModelStore.Trained(
                                choice.kind(),
                                null,
                                data.newest(),
                                HoldoutMetrics.json(params),
                                HoldoutMetrics.json(metrics),
                                artifact),
                        PERSONAL_KINDS));
        notes.add(millis + " ms, " + choice.reason());
        return personal;
    }

    /** Each customer's set of products, as the item-to-item models train on it. */
    static Map<String, Set<String>> productsByCustomer(List<Purchase> purchases) {
        Map<String, Set<String>> owned = new HashMap<>();
        purchases.forEach(
                purchase ->
                        owned.computeIfAbsent(purchase.customerId(), c -> new HashSet<>())
                                .add(purchase.productId()));
        return owned;
    }

    /**
     * Works through queued training requests in the calling thread, as {@code worker}; returns how
     * many it ran.
     */
    public int processPending(String worker) {
        int processed = 0;
        for (Optional<ModelDao.TrainingRequest> next = store.claimNextTraining(worker);
                next.isPresent();
                next = store.claimNextTraining(worker)) {
            run(next.get(), worker);
            processed++;
        }
        return processed;
    }

    /**
     * Claims up to {@code slots} queued requests for {@code worker}, each of a different tenant,
     * and runs them on {@code pool}; returns how many it handed over. The pool's size bounds the
     * threads training takes, and one tenant never holds more than one of them, so a big tenant
     * cannot starve the rest.
     */
    public int dispatch(Executor pool, int slots, String worker) {
        if (slots <= 0) {
            return 0;
        }
        int dispatched = 0;
        // The tenants waiting in every pod, then a claim in each one's scope (refused while a move
        // has it frozen: it waits for the switch).
        for (String tenantId : pods.acrossPods(store::pendingTenants, tenant -> tenant)) {
            if (dispatched == slots) {
                break;
            }
            if (pods.frozen(tenantId)) {
                continue;
            }
            Optional<ModelDao.TrainingRequest> next =
                    pods.inTenant(tenantId, () -> store.claimNextTraining(worker, tenantId));
            if (next.isEmpty()) {
                continue;
            }
            ModelDao.TrainingRequest request = next.get();
            pool.execute(() -> pods.inTenant(tenantId, () -> run(request, worker)));
            dispatched++;
        }
        return dispatched;
    }

    /**
     * Queues again the runs of workers whose heartbeat stopped more than {@code heartbeatTimeout}
     * ago (killed mid-run, say), and, whoever holds them, the runs going on for longer than {@code
     * maxRuntime}. {@code self} is the calling worker, whose own runs are alive while it is.
     */
    public int requeueLost(String self, Duration heartbeatTimeout, Duration maxRuntime) {
        int orphaned =
                eachRunningTenant(
                        tenantId -> store.requeueOrphaned(tenantId, self, heartbeatTimeout));
        if (orphaned > 0) {
            LOG.warn(
                    "Queued {} training runs again: their worker's heartbeat stopped over {} ago",
                    orphaned,
                    heartbeatTimeout);
        }
        return orphaned + requeueStale(maxRuntime);
    }

    /**
     * Records the failures of this process's runs that could not be recorded when they failed
     * (FAILED with their error, if this worker still holds the run); returns how many it recorded.
     * Stops at the first that still cannot be, keeping it and the rest for the next call.
     */
    public int recordFailures() {
        int recorded = 0;
        for (Failure failure = unrecorded.peek(); failure != null; failure = unrecorded.peek()) {
            Failure failed = failure;
            pods.inTenant(
                    failed.request().tenantId(),
                    () -> store.failTraining(failed.request(), failed.worker(), failed.error()));
            unrecorded.remove(failure);
            recorded++;
            LOG.info(
                    "Recorded that training {} for {} failed: {}",
                    failure.request().requestId(),
                    failure.request().tenantId(),
                    failure.error());
        }
        return recorded;
    }

    /** Queues again runs still running after {@code maxRuntime}, whoever holds them. */
    public int requeueStale(Duration maxRuntime) {
        int requeued = eachRunningTenant(tenantId -> store.requeueStale(tenantId, maxRuntime));
        if (requeued > 0) {
            LOG.warn("Queued {} training runs again: still running after {}", requeued, maxRuntime);
        }
        return requeued;
    }

    /**
     * {@code requeue} for each tenant with a run marked running, in its tenant's scope like any
     * write of the tenant's: a tenant frozen for a move is left for after the switch (its runs are
     * then in its new pod), so the move copies and counts rows nothing else changes meanwhile.
     */
    private int eachRunningTenant(java.util.function.ToIntFunction<String> requeue) {
        int requeued = 0;
        for (String tenantId : pods.acrossPods(store::tenantsRunning, id -> id)) {
            if (pods.frozen(tenantId)) {
                continue;
            }
            try {
                requeued += pods.inTenant(tenantId, () -> requeue.applyAsInt(tenantId));
            } catch (RuntimeException e) {
                if (!PodScopes.refusedAsFrozen(e)) {
                    throw e;
                }
            }
        }
        return requeued;
    }

    private void run(ModelDao.TrainingRequest request, String worker) {
        long started = System.nanoTime();
        org.slf4j.MDC.put("tenantId", request.tenantId());
        org.slf4j.MDC.put("jobId", "training-" + request.requestId());
        try {
            Trained trained = trainModels(request.tenantId());
            observer.step(request.tenantId(), "store");
            Optional<List<Integer>> versions =
                    store.finishWithModels(request, worker, trained.activations());
            if (versions.isPresent()) {
                trained.log(request.tenantId(), versions.get());
            } else {
                LOG.warn(
                        "Training {} for {} was taken over by another worker while this one could"
                                + " not reach the database; its models are dropped",
                        request.requestId(),
                        request.tenantId());
            }
            observer.trained(
                    request.tenantId(),
                    java.time.Duration.ofNanos(System.nanoTime() - started),
                    true);
            if (versions.isPresent()) {
                prune(request.tenantId());
            }
        } catch (RuntimeException e) {
            LOG.error("Training {} for {} failed", request.requestId(), request.tenantId(), e);
            observer.trained(
                    request.tenantId(),
                    java.time.Duration.ofNanos(System.nanoTime() - started),
                    false);
            Failure failure =
                    new Failure(
                            request, worker, e.getClass().getSimpleName() + ": " + e.getMessage());
            try {
                store.failTraining(request, worker, failure.error());
            } catch (RuntimeException recording) {
                LOG.warn(
                        "Could not record that training {} for {} failed; recording it once the"
                                + " database answers",
                        request.requestId(),
                        request.tenantId(),
                        recording);
                unrecorded.add(failure);
            }
        } finally {
            org.slf4j.MDC.remove("tenantId");
            org.slf4j.MDC.remove("jobId");
        }
    }

    /**
     * Queues a training run for every tenant that has none waiting and whose retraining would
     * change its models (the nightly job, {@link NightlyTraining#due}): new events, or a trending
     * row whose sales age out of its week; an idle tenant keeps its models, so the night's queue
     * holds only the tenants that would train on something new.
     */
    public int requestForChangedTenants() {
        int queued = 0;
        for (Tenant tenant : tenants.listTenants()) {
            String tenantId = tenant.tenantId();
            if (pods.frozen(tenantId)) {
                continue; // the next night's run, in its new pod
            }
            if (pods.inTenant(
                    tenantId,
                    () ->
                            store.dueForNightlyTraining(tenantId)
                                    && store.requestTrainingOnce(tenantId))) {
                queued++;
            }
        }
        return queued;
    }
}
