package io.hilal.worker.training.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SparkAlsTest {
    @Test
    void picksSparksWarningsAndErrorsOutOfTheDriversLog() {
        List<String> log =
                List.of(
                        "26/12/07 11:00:01 INFO SparkContext: Running Spark version 3.5.6",
                        "26/12/07 11:00:01 WARN NativeCodeLoader: Unable to load native-hadoop"
                                + " library for your platform",
                        "hilal-spark: 720 pairs in 1 slices, 2 blocks: read 0.0 s",
                        "26/12/07 11:00:09 ERROR Executor: Exception in task 0.0",
                        "java.lang.OutOfMemoryError: Java heap space",
                        "WARN without a time is not Spark's layout");

        assertThat(SparkAls.sparkWarnings(log))
                .containsExactly(
                        "26/12/07 11:00:01 WARN NativeCodeLoader: Unable to load native-hadoop"
                                + " library for your platform",
                        "26/12/07 11:00:09 ERROR Executor: Exception in task 0.0");
    }
}
