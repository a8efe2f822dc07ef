package io.hilal.worker.training.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.LargeTenantTraining;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.ModelVersion;
import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.GridSample;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The worker's training with the Spark trainer on {@code local[2]}: a tenant at the threshold is
 * fitted by a Spark driver JVM with the setting its validation grid chose in this JVM, one below it
 * in this JVM, and both are stored and served alike.
 */
class SparkLocalTrainingIT {
    /** 12 count-scaled settings the shop tells apart. */
    private static final AlsTuning.Grid GRID =
            new AlsTuning.Grid(
                    new int[] {8},
                    new double[] {0.3, 3, 30},
                    new double[] {1, 3},
                    new int[] {4, 8},
                    new boolean[] {true});

    @TempDir Path work;

    @Test
    void trainsTheTenantAboveTheThresholdOnSparkAndServesItLikeAnInJvmModel() throws Exception {
        Jdbi jdbi = TestDatabase.newJdbi();
        Clock clock = Clock.systemUTC();
        ModelStore store = new ModelStore(jdbi, clock);
        SparkAls spark =
                new SparkAls(
                        new SparkAls.Driver(
                                SparkAls.currentJava(),
                                SparkShop.jars(),
                                "1g",
                                SparkShop.QUICK_JVM,
                                "local[2]",
                                Map.of("spark.sql.shuffle.partitions", "2")),
                        work);
        TrainingService training =
                new TrainingService(
                        new RecommendationTrainer(jdbi),
                        store,
                        new TenantService(jdbi, clock),
                        TrainingService.Observer.NONE,
                        Optional.of(
                                new LargeTenantTraining(
                                        700, spark, SparkShop.params(), Optional.of(GRID))));
        ListAppender<ILoggingEvent> sparkLines = new ListAppender<>();
        sparkLines.start();
        ((Logger) LoggerFactory.getLogger(SparkAls.class)).addAppender(sparkLines);
        String large = SparkShop.create(jdbi, "large", 6); // 720 pairs
        String small = SparkShop.create(jdbi, "small", 5); // 600 pairs

        training.train(large);
        training.train(small);

        SparkShop.assertServedFromSpark(store, large);
        assertThat(SparkShop.activeAls(store, small).params())
                .as("below the threshold: trained in the JVM")
                .doesNotContain("engine");
        Rows fromSpark = SparkShop.rows(store, large);
        Rows fromJvm = SparkShop.rows(store, small);
        assertThat(fromSpark.personalized()).isEqualTo(fromJvm.personalized());
        assertThat(fromSpark.rows())
                .extracting(Rows.Row::id)
                .as("the same rows as the in-JVM model's")
                .containsExactlyElementsOf(fromJvm.rows().stream().map(Rows.Row::id).toList());
        assertThat(work).as("the driver's files are gone").isEmptyDirectory();
        assertFittedTheGridsChoice(jdbi, store, large);
        // Spark logs through SLF4J 2 to Log4j 2 in the driver, and its warnings reach this log
        // (on Linux without Hadoop's native library it always warns that it is missing).
        assertThat(sparkLines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.startsWith("Spark driver: ") && line.contains(" WARN "));
    }

    /**
     * The version's setting is the grid's choice on all of the tenant's customers (720 pairs: the
     * whole data within the budget), the purchases in the order the database streams them (the
     * order decides the factors' seeds; StreamedPairsIT checks they are the purchases loaded).
     */
    private void assertFittedTheGridsChoice(Jdbi jdbi, ModelStore store, String tenant)
            throws Exception {
        RecommendationTrainer trainer = new RecommendationTrainer(jdbi);
        Path dir = java.nio.file.Files.createDirectories(work.resolve("expected"));
        List<Purchase> purchases =
                trainer.streamPairs(
                                tenant,
                                trainer.purchaseCounts(tenant),
                                dir,
                                Optional.of(GridSample.whole("all")))
                        .grid()
                        .orElseThrow()
                        .take();
        AlsTuning.Choice expected =
                AlsTuning.chooseOnSample(
                        purchases,
                        GridSample.whole("all"),
                        AlsTuning.meanCount(AlsTuning.interactions(purchases)),
                        20,
                        SparkShop.params()
                                .withThreads(
                                        Math.max(
                                                1, Runtime.getRuntime().availableProcessors() / 2)),
                        GRID);
        ObjectMapper mapper = HilalJson.newMapper();
        ModelVersion als = SparkShop.activeAls(store, tenant);
        JsonNode params = mapper.readTree(als.params());
        JsonNode metrics = mapper.readTree(als.metrics());
        assertThat(params.get("regularization").asDouble())
                .isEqualTo(expected.params().regularization());
        assertThat(params.get("alpha").asDouble()).isEqualTo(expected.params().alpha());
        assertThat(params.get("iterations").asInt()).isEqualTo(expected.params().iterations());
        assertThat(metrics.get("alsChoice").asText())
                .startsWith("als: chose factors=8 lambda=")
                .contains("best of 12 settings");
        assertThat(metrics.get("gridValidationRecall@20").asDouble())
                .isEqualTo(expected.bestRecall());
        assertThat(metrics.get("gridRuns").asInt()).as("12 settings, then Spark's").isEqualTo(13);
        assertThat(metrics.get("gridCustomerShare").asDouble()).isEqualTo(1.0);
        assertThat(metrics.get("choiceReason").asText())
                .as("the merchant's sentence on the Models page")
                .startsWith("spark: 720 interactions (distinct customer-product pairs) reach the")
                .contains("; ALS validation Recall@20 ")
                .endsWith("; its setting chosen by validation, of 12, on all of the customers");
    }
}
