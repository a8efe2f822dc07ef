package io.hilal.worker.training.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.Interactions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkTrainerFactoryTest {
    @TempDir Path dir;

    @Test
    void isOffByDefault() {
        assertThat(new SparkTrainerFactory().build()).isEmpty();
    }

    @Test
    void refusesToStartWhenEnabledWithoutTheSparkClasspath() {
        SparkTrainerFactory unset = new SparkTrainerFactory();
        unset.setEnabled(true);
        assertThatThrownBy(unset::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sparkTrainer.classpath (not set)")
                .hasMessageContaining("HILAL_SPARK_CLASSPATH");

        SparkTrainerFactory empty = new SparkTrainerFactory();
        empty.setEnabled(true);
        empty.setClasspath(dir.toString());
        assertThatThrownBy(empty::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir.toAbsolutePath().toString())
                .hasMessageContaining(SparkAls.DRIVER_JAR);
    }

    @Test
    void buildsTheTrainingWithItsThresholdAndSetting() throws Exception {
        Files.createFile(dir.resolve(SparkAls.DRIVER_JAR));
        SparkTrainerFactory factory = new SparkTrainerFactory();
        factory.setEnabled(true);
        factory.setClasspath(dir.toString());
        factory.setMinInteractions(1_000);
        factory.setFactors(32);
        var training = factory.build().orElseThrow();
        assertThat(training.minInteractions()).isEqualTo(1_000);
        assertThat(training.appliesTo(999)).isFalse();
        assertThat(training.appliesTo(1_000)).isTrue();
        assertThat(training.params().factors()).isEqualTo(32);
        assertThat(training.engine().engine()).isEqualTo("spark");
        assertThat(training.grid())
                .as("tuned per tenant by default, at the configured rank")
                .hasValueSatisfying(grid -> assertThat(grid.factors()).containsExactly(32));

        factory.setTune(false);
        assertThat(factory.build().orElseThrow().grid()).as("the configured setting").isEmpty();
    }

    @Test
    void aFailedDriverFailsTheFitWithTheEndOfItsLog() throws Exception {
        Path jars = Files.createDirectories(dir.resolve("jars"));
        Files.createFile(jars.resolve(SparkAls.DRIVER_JAR)); // not a jar: the class is not found
        SparkAls spark =
                new SparkAls(
                        new SparkAls.Driver(
                                SparkAls.currentJava(),
                                jars,
                                "64m",
                                java.util.List.of(),
                                "local[1]",
                                Map.of()),
                        dir.resolve("work"));
        Interactions data = Interactions.builder().add("c", "p", 1).build();
        AlsParams params = AlsParams.defaults().withScaledRegularization(true);
        assertThatThrownBy(() -> spark.fit(java.util.List.of(data), params))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the Spark driver exited with 1")
                .hasMessageContaining("io.hilal.spark.SparkAlsDriver");
        assertThat(dir.resolve("work")).isEmptyDirectory();
    }
}
