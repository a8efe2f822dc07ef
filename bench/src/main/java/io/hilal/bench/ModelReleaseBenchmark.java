package io.hilal.bench;

import io.hilal.core.catalog.CustomerService;
import io.hilal.core.catalog.LiveCatalog;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.demo.OnlineRetailImporter;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.CustomerSignalsDao;
import io.hilal.core.reco.LiveSales;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.PopularityFallback;
import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.RowsFilter;
import io.hilal.core.reco.RowsService;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.recommendations.RecommendationCache;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Whether a service instance lets go of superseded models (issue 18): the Online Retail demo
 * tenant's recommender and ALS model (rank 64) are stored and served through the service's own
 * {@link RecommendationCache}, its caches warmed by rows requests of {@code CUSTOMERS} customers
 * (each one's ALS ranking kept); then the tenant is "retrained" {@code RETRAININGS} times (a new
 * version of both stored and activated, the cache refreshed, the same customers served again). The
 * live heap (after full collections) above what it was before the first load is read after the
 * first version and after the last: their ratio is the figure, the goal at most 1.2.
 *
 * <p>Run from the repository root: {@code bench/run ModelReleaseBenchmark [RETRAININGS]
 * [CUSTOMERS]}.
 */
public final class ModelReleaseBenchmark {
    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int retrainings = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int customerCount = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        var mapper = HilalJson.newMapper();
        Clock clock = Clock.systemUTC();
        String tenantId =
                new TenantService(jdbi, clock).createTenant("release", "UTC").tenant().tenantId();
        new OnlineRetailImporter(
                        mapper,
                        new EventIngestService(jdbi, mapper, clock),
                        new CustomerService(jdbi, mapper, clock),
                        new ProductService(jdbi, mapper, clock))
                .importFile(tenantId, Path.of("demo-data", "online-retail.csv.gz"), line -> {});
        RecommendationTrainer trainer = new RecommendationTrainer(jdbi);
        RecommendationTrainer.TrainingData data = trainer.load(tenantId);
        byte[] artifact = trainer.train(data).toBytes();
        byte[] alsArtifact =
                ImplicitAls.train(AlsTuning.interactions(data.purchases()), AlsParams.defaults())
                        .toBytes();
        Set<String> seen = new LinkedHashSet<>();
        for (Purchase purchase : data.purchases()) {
            if (seen.size() < customerCount) {
                seen.add(purchase.customerId());
            }
        }
        List<String> customers = new ArrayList<>(seen);
        data = null;

        ModelStore store = new ModelStore(jdbi, clock);
        store(store, tenantId, artifact, alsArtifact);

        // One model's footprint: what a cache serving version 1 with warm caches holds, read as
        // the live heap with it and, at once, without it.
        RecommendationCache cache = cache(jdbi, store);
        int served = warm(cache, tenantId, customers);
        RecommendationModel first = cache.model(tenantId);
        System.out.printf(
                "Online Retail: %d customers, %d products; %d customers' rows served per version"
                        + " (%d items); recommender estimate %.1f MiB%n",
                first.customerCount(),
                first.productCount(),
                customers.size(),
                served,
                first.memoryBytes() / (double) (1 << 20));
        first = null;
        long withOne = usedAfterGc();
        cache = null;
        long one = withOne - usedAfterGc();
        System.out.printf("version 1, caches warm: %.1f MiB%n", one / (double) (1 << 20));

        // The same after 20 retrainings served by one cache, its caches warm after each.
        cache = cache(jdbi, store);
        warm(cache, tenantId, customers);
        for (int i = 1; i <= retrainings; i++) {
            store(store, tenantId, artifact, alsArtifact);
            cache.refresh(tenantId);
            warm(cache, tenantId, customers);
        }
        long withLast = usedAfterGc();
        cache = null;
        long last = withLast - usedAfterGc();
        double ratio = last / (double) one;
        System.out.printf(
                "after %d retrainings (version %d), caches warm: %.1f MiB%n",
                retrainings, retrainings + 1, last / (double) (1 << 20));
        System.out.printf(
                "model-release retrainings=%d ratio=%.2f goal<=1.2 %s%n",
                retrainings, ratio, ratio <= 1.2 ? "met" : "NOT met");
        System.exit(0);
    }

    /** A service instance's model cache, refreshed by hand below, never by the clock. */
    private static RecommendationCache cache(Jdbi jdbi, ModelStore store) {
        return new RecommendationCache(
                store,
                new PopularityFallback(jdbi),
                new CustomerSignalsDao(jdbi),
                new LiveCatalog(jdbi),
                new LiveSales(jdbi),
                Duration.ofDays(365));
    }

    /** A new version of both models, the factor model marked as having beaten popularity. */
    private static void store(ModelStore store, String tenantId, byte[] model, byte[] als) {
        store.saveAndActivate(
                tenantId,
                new ModelStore.Trained(RecommendationModel.KIND, null, null, "{}", "{}", model));
        store.saveAndActivate(
                tenantId,
                new ModelStore.Trained(
                        TrainingService.ALS_KIND,
                        null,
                        null,
                        "{}",
                        "{\"" + TrainingService.BEATS_POPULARITY + "\": true}",
                        als));
    }

    private static int warm(RecommendationCache cache, String tenantId, List<String> customers) {
        int items = 0;
        for (String customer : customers) {
            for (var row :
                    cache.rows(tenantId, customer, RowsService.Context.HOME, RowsFilter.NONE, 5, 10)
                            .rows()) {
                items += row.items().size();
            }
        }
        return items;
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
