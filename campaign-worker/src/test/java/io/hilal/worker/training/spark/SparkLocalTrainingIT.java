package io.hilal.worker.training.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hilal.core.reco.LargeTenantTraining;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.Rows;
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
import org.slf4j.LoggerFactory;

/**
 * The worker's training with the Spark trainer on {@code local[2]}: a tenant at the threshold is
 * fitted by a Spark driver JVM, one below it in this JVM, and both are stored and served alike.
 */
class SparkLocalTrainingIT {
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
                        Optional.of(new LargeTenantTraining(700, spark, SparkShop.params())));
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
        // Spark logs through SLF4J 2 to Log4j 2 in the driver, and its warnings reach this log
        // (on Linux without Hadoop's native library it always warns that it is missing).
        assertThat(sparkLines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.startsWith("Spark driver: ") && line.contains(" WARN "));
    }
}
