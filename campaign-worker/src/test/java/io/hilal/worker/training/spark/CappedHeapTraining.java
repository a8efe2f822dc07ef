package io.hilal.worker.training.spark;

import io.hilal.core.db.HilalJdbi;
import io.hilal.core.reco.LargeTenantTraining;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.OutsideTraining;
import io.hilal.core.reco.RecommendationTrainer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * A training run in a JVM of its own, started by {@link SparkCappedHeapIT} with a small heap:
 * either the Spark trainer's path for a tenant ({@code spark}: its pairs streamed to the driver,
 * the model stored), or loading the tenant's purchases whole, as the worker did before handing them
 * to Spark ({@code load}). Exits 0 when it got through.
 */
final class CappedHeapTraining {
    public static void main(String[] args) {
        String mode = args[0];
        String url = args[1];
        String tenant = args[2];
        // The test's server account comes from its JVM: this one has no TestDatabase server.
        Jdbi jdbi =
                HilalJdbi.configure(
                        Jdbi.create(
                                url,
                                System.getenv("HILAL_TEST_DB_USER"),
                                System.getenv("HILAL_TEST_DB_PASSWORD")));
        RecommendationTrainer trainer = new RecommendationTrainer(jdbi);
        if (mode.equals("load")) {
            System.out.println("loaded " + trainer.load(tenant).purchases().size() + " purchases");
            return;
        }
        SparkAls spark =
                new SparkAls(
                        new SparkAls.Driver(
                                SparkAls.currentJava(),
                                Path.of(args[3]),
                                "1g",
                                SparkShop.QUICK_JVM,
                                "local[2]",
                                Map.of("spark.sql.shuffle.partitions", "2")),
                        Path.of(args[4]));
        OutsideTraining.Fitted fitted =
                new OutsideTraining(
                                trainer,
                                new LargeTenantTraining(
                                        Long.parseLong(args[5]), spark, SparkShop.params()))
                        .train(tenant)
                        .orElseThrow(() -> new IllegalStateException("not trained on Spark"));
        new ModelStore(jdbi, Clock.systemUTC())
                .saveAndActivate(tenant, List.of(fitted.activation()));
        System.out.println("trained: " + fitted.note());
    }

    private CappedHeapTraining() {}
}
