package io.hilal.service.recommendations;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.hilal.core.catalog.CatalogSnapshot;
import io.hilal.core.catalog.LiveCatalog;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.experiments.Experiment;
import io.hilal.core.pods.DbScope;
import io.hilal.core.reco.CustomerSignalsDao;
import io.hilal.core.reco.LiveSales;
import io.hilal.core.reco.ModelLoader;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.PopularityFallback;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.RowsFilter;
import io.hilal.core.reco.RowsService;
import io.hilal.core.reco.RowsSettings;
import io.hilal.core.reco.ScoredItem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants' recommendation models in memory, bounded by their bytes on the heap ({@link
 * ModelCacheBudget}; about 15 MiB for a shop of Online Retail's size: see BENCHMARKS.md), the least
 * used evicted first: the active stored versions (trained by the worker), checked every 30 seconds
 * and swapped when a newer one is activated; the version swapped out is released, rankings made
 * under it included. One per service instance. The service never trains: until the worker has
 * trained a tenant, its rows come from its recent best sellers (version 0), and a training run is
 * queued for the worker. What the models propose passes through the live catalog last, so a product
 * hidden, sold out or deleted since training is never served; popularity, trending and category
 * rows count the sales since training too, so a product added since that sells joins them within
 * seconds.
 */
public final class RecommendationCache {
    /** How often a tenant's active version is checked against the one held. */
    public static final Duration REFRESH = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(RecommendationCache.class);

    private final ModelLoader loader;
    private final ModelStore store;
    private final PopularityFallback fallback;
    private final RowsService rows;
    private final CustomerSignalsCache signals;
    private final LiveCatalog catalog;
    private final LiveSales sales;
    private final LoadingCache<String, ModelLoader.Loaded> cache;

    /** Experiments' personal models, active or not, by tenant, kind and version. */
    private final LoadingCache<ArmKey, ModelLoader.Personal> armModels;

    private record ArmKey(String tenantId, String kind, int version) {}

    public RecommendationCache(
            ModelStore store,
            PopularityFallback fallback,
            CustomerSignalsDao customers,
            LiveCatalog catalog,
            LiveSales sales) {
        this(store, fallback, customers, catalog, sales, REFRESH);
    }

    public RecommendationCache(
            ModelStore store,
            PopularityFallback fallback,
            CustomerSignalsDao customers,
            LiveCatalog catalog,
            LiveSales sales,
            Duration refresh) {
        this(store, fallback, customers, catalog, sales, refresh, RowsSettings.DEFAULTS);
    }

    /** As above, pages built under {@code settings}. */
    public RecommendationCache(
            ModelStore store,
            PopularityFallback fallback,
            CustomerSignalsDao customers,
            LiveCatalog catalog,
            LiveSales sales,
            Duration refresh,
            RowsSettings settings) {
        this(
                store,
                fallback,
                customers,
                catalog,
                sales,
                refresh,
                settings,
                ModelCacheBudget.DEFAULT);
    }

    /**
     * As above, the tenants' models held within {@code budget}, and the experiments' arm models
     * within a quarter of it.
     */
    public RecommendationCache(
            ModelStore store,
            PopularityFallback fallback,
            CustomerSignalsDao customers,
            LiveCatalog catalog,
            LiveSales sales,
            Duration refresh,
            RowsSettings settings,
            ModelCacheBudget budget) {
        this.rows = new RowsService(settings);
        this.loader = new ModelLoader(store);
        this.catalog = catalog;
        this.sales = sales;
        this.store = store;
        this.fallback = fallback;
        this.signals = new CustomerSignalsCache(customers);
        this.cache =
                Caffeine.newBuilder()
                        .maximumWeight(budget.maxWeight())
                        .<String, ModelLoader.Loaded>weigher(
                                (tenantId, loaded) -> budget.weigh(loaded))
                        .refreshAfterWrite(refresh)
                        .<String, ModelLoader.Loaded>removalListener(
                                (tenantId, loaded, cause) -> {
                                    if (cause.wasEvicted() && loaded != null) {
                                        rows.release(loaded.model(), loaded.als());
                                    }
                                })
                        .build(
                                new CacheLoader<>() {
                                    @Override
                                    public ModelLoader.Loaded load(String tenantId) {
                                        return DbScope.tenant(tenantId, () -> loadModel(tenantId));
                                    }

                                    @Override
                                    public ModelLoader.Loaded reload(
                                            String tenantId, ModelLoader.Loaded old) {
                                        // Refreshes run on Caffeine's threads: in the
                                        // tenant's scope, as the first load did.
                                        return DbScope.tenant(
                                                tenantId, () -> reloadModel(tenantId, old));
                                    }

                                    private ModelLoader.Loaded reloadModel(
                                            String tenantId, ModelLoader.Loaded old) {
                                        // Only a new active version is worth loading again.
                                        int active = loader.activeVersion(tenantId);
                                        if (active == old.version() && active != 0) {
                                            return old;
                                        }
                                        ModelLoader.Loaded loaded = loadModel(tenantId);
                                        rows.release(old.model(), old.als());
                                        return loaded;
                                    }
                                });
        ModelCacheBudget arms = budget.share(0.25);
        this.armModels =
                Caffeine.newBuilder()
                        .maximumWeight(arms.maxWeight())
                        .<ArmKey, ModelLoader.Personal>weigher(
                                (key, personal) -> arms.weigh(personal))
                        .build(
                                key ->
                                        DbScope.tenant(
                                                key.tenantId(),
                                                () ->
                                                        loader.personal(
                                                                key.tenantId(),
                                                                key.kind(),
                                                                key.version())));
    }

    /** The personal model an experiment's arm serves. */
    private ModelLoader.Personal personal(String tenantId, Experiment.Arm arm) {
        return arm.version() == null
                ? ModelLoader.Personal.NONE
                : armModels.get(new ArmKey(tenantId, arm.kind(), arm.version()));
    }

    /** The rows a customer in an experiment's arm sees: the arm's personal model serves. */
    public Rows rows(
            String tenantId,
            String customerId,
            RowsService.Context context,
            RowsFilter filter,
            int rowCount,
            int perRow,
            Experiment.Arm arm) {
        ModelLoader.Loaded loaded = cache.get(tenantId);
        ModelLoader.Personal personal = personal(tenantId, arm);
        RecommendationModel model = loaded.model();
        return rows.rows(
                model,
                personal.als(),
                personal.itemToItem(),
                customerId,
                context,
                signals.signals(tenantId, customerId, model.trainedAt()),
                filter.withCatalog(catalog.snapshot(tenantId)),
                sales.since(tenantId, model.trainedAt()),
                rowCount,
                perRow);
    }

    /** One list for a customer in an experiment's arm. */
    public List<ScoredItem> recommendations(
            String tenantId, String customerId, RowsFilter filter, int limit, Experiment.Arm arm) {
        ModelLoader.Loaded loaded = cache.get(tenantId);
        ModelLoader.Personal personal = personal(tenantId, arm);
        RecommendationModel model = loaded.model();
        return rows.recommendations(
                model,
                personal.als(),
                personal.itemToItem(),
                customerId,
                signals.signals(tenantId, customerId, model.trainedAt()),
                filter.withCatalog(catalog.snapshot(tenantId)),
                sales.since(tenantId, model.trainedAt()),
                limit);
    }

    /**
     * The tenant's active stored models; until the worker has trained one, its recent best sellers
     * (version 0), with a training run queued.
     */
    private ModelLoader.Loaded loadModel(String tenantId) {
        return loader.active(tenantId)
                .orElseGet(
                        () -> {
                            if (store.requestTrainingOnce(tenantId)) {
                                LOG.info(
                                        "No trained model for {}: queued a training run", tenantId);
                            }
                            return new ModelLoader.Loaded(0, fallback.model(tenantId), null);
                        });
    }

    /** Checks the tenant's active version now rather than at the next refresh. */
    public void refresh(String tenantId) {
        cache.refresh(tenantId).join();
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
        ModelLoader.Loaded loaded = cache.get(tenantId);
        RecommendationModel model = loaded.model();
        return rows.rows(
                model,
                loaded.als(),
                loaded.itemToItem(),
                customerId,
                context,
                signals.signals(tenantId, customerId, model.trainedAt()),
                filter.withCatalog(catalog.snapshot(tenantId)),
                sales.since(tenantId, model.trainedAt()),
                rowCount,
                perRow);
    }

    public List<ScoredItem> recommendations(
            String tenantId, String customerId, RowsFilter filter, int limit) {
        ModelLoader.Loaded loaded = cache.get(tenantId);
        RecommendationModel model = loaded.model();
        return rows.recommendations(
                model,
                loaded.als(),
                loaded.itemToItem(),
                customerId,
                signals.signals(tenantId, customerId, model.trainedAt()),
                filter.withCatalog(catalog.snapshot(tenantId)),
                sales.since(tenantId, model.trainedAt()),
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

    /**
     * The moment the tenant's trained model serving here holds purchases up to (its newest); empty
     * while no model is trained and its rows come from its recent best sellers.
     */
    public Optional<Instant> trainedTo(String tenantId) {
        ModelLoader.Loaded loaded = cache.get(tenantId);
        return loaded.version() == 0 ? Optional.empty() : Optional.of(loaded.model().trainedAt());
    }
}
