package io.hilal.bench;

import io.hilal.core.catalog.CustomerService;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.demo.OnlineRetailImporter;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The in-memory footprint of one tenant's served models, per MEASURE.md: the Online Retail demo
 * tenant's recommender and ALS model (rank 64) are trained once, then {@code TENANTS} independent
 * copies of both are loaded from their stored artifacts — as the service's cache holds them — and
 * the heap in use is read after full collections before and after. Run with the heap the goal names
 * ({@code -Xmx2g}): the run itself failing with OutOfMemoryError would be the answer "does not
 * fit".
 *
 * <p>Run from the repository root: {@code bench/run ModelMemoryBenchmark [TENANTS]}.
 */
public final class ModelMemoryBenchmark {
    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int tenantCount = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        var mapper = HilalJson.newMapper();
        Clock clock = Clock.systemUTC();
        String tenantId =
                new TenantService(jdbi, clock).createTenant("memory", "UTC").tenant().tenantId();
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
        data = null;

        long before = usedAfterGc();
        List<RecommendationModel> cache = new ArrayList<>(tenantCount);
        List<AlsModel> factorModels = new ArrayList<>(tenantCount);
        long loadStart = System.nanoTime();
        for (int i = 0; i < tenantCount; i++) {
            cache.add(RecommendationModel.fromBytes(artifact));
            factorModels.add(AlsModel.fromBytes(alsArtifact));
        }
        long loadNanos = System.nanoTime() - loadStart;
        long after = usedAfterGc();
        long max = Runtime.getRuntime().maxMemory();
        double perTenant = (after - before) / (double) tenantCount;
        System.out.printf(
                "Online Retail models: %d customers, %d products; recommender artifact %,d bytes"
                        + " (its own estimate %.1f MiB in memory), ALS rank 64 artifact %,d bytes"
                        + " (estimate %.1f MiB)%n",
                cache.get(0).customerCount(),
                cache.get(0).productCount(),
                artifact.length,
                cache.get(0).memoryBytes() / (double) (1 << 20),
                alsArtifact.length,
                factorModels.get(0).memoryBytes() / (double) (1 << 20));
        System.out.printf(
                "%d tenants loaded in %.1f s: heap in use %,d MiB before, %,d MiB after;"
                        + " %.1f MiB per tenant%n",
                tenantCount, loadNanos / 1e9, before >> 20, after >> 20, perTenant / (1 << 20));
        System.out.printf(
                "max heap %,d MiB: %d tenants take %.0f%% of it (%.2f of the 2 GB goal)%n",
                max >> 20,
                tenantCount,
                100.0 * (after - before) / max,
                (after - before) / (2048.0 * (1 << 20)));
        System.exit(cache.size() + factorModels.size() == 2 * tenantCount ? 0 : 1);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
