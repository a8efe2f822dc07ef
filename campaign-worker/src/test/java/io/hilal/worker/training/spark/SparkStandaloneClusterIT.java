package io.hilal.worker.training.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.LargeTenantTraining;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's Spark training against a standalone cluster (a master and a worker on loopback,
 * started from the Spark jars): the fit runs on the cluster's executor, and the stored version
 * serves like any other.
 */
class SparkStandaloneClusterIT {
    @TempDir Path dir;

    @Test
    void trainsOnAStandaloneClusterAndServesTheModel() throws Exception {
        Jdbi jdbi = TestDatabase.newJdbi();
        Clock clock = Clock.systemUTC();
        ModelStore store = new ModelStore(jdbi, clock);
        String tenant = SparkShop.create(jdbi, "large", 6); // 720 pairs
        try (StandaloneSpark cluster =
                new StandaloneSpark(SparkShop.jars(), dir.resolve("cluster"), 1, "768m")) {
            SparkAls spark =
                    new SparkAls(
                            new SparkAls.Driver(
                                    SparkAls.currentJava(),
                                    SparkShop.jars(),
                                    "512m",
                                    SparkShop.QUICK_JVM,
                                    cluster.master(),
                                    Map.of(
                                            "spark.driver.host", "127.0.0.1",
                                            "spark.driver.bindAddress", "127.0.0.1",
                                            "spark.executor.memory", "512m",
                                            "spark.cores.max", "1",
                                            // Many slices of the pairs, each a task shipped to
                                            // the executor, as a tenant of millions is cut.
                                            "spark.hilal.slicePairs", "100",
                                            "spark.executor.extraJavaOptions",
                                                    String.join(" ", SparkShop.QUICK_JVM))),
                            dir.resolve("work"));
            TrainingService training =
                    new TrainingService(
                            new RecommendationTrainer(jdbi),
                            store,
                            new TenantService(jdbi, clock),
                            TrainingService.Observer.NONE,
                            Optional.of(new LargeTenantTraining(700, spark, SparkShop.params())));

            training.train(tenant);

            assertThat(cluster.status())
                    .as("the fit ran as an application of the cluster, and finished")
                    .contains("\"completedapps\" : [ {")
                    .contains("\"name\" : \"hilal-als\"")
                    .contains("\"state\" : \"FINISHED\"");
        }
        SparkShop.assertServedFromSpark(store, tenant);
        assertThat(
                        HilalJson.newMapper()
                                .readTree(SparkShop.activeAls(store, tenant).metrics())
                                .get("alsChoice")
                                .asText())
                .as("no grid: the configured setting")
                .isEqualTo("the configured setting (sparkTrainer: no grid)");
        assertThat(
                        HilalJson.newMapper()
                                .readTree(SparkShop.activeAls(store, tenant).metrics())
                                .get("choiceReason")
                                .asText())
                .endsWith("; the configured setting, not chosen per tenant");
    }
}
