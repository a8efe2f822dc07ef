package io.hilal.core.reco.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalAlsTest {
    @TempDir Path work;

    @Test
    void theEnginesFailureIsWhatTheCallerSeesWhenCleaningUpFailsToo() {
        // An engine that fails after its job's directory is gone: deleting it then fails as well.
        ExternalAls failing =
                new Engine(
                        work,
                        inputs -> {
                            Path dir = inputs.get(0).file().getParent();
                            ExternalAls.deleteJobDirectory(dir);
                            throw new IllegalStateException("the Spark driver exited with 1");
                        });

        assertThatThrownBy(() -> failing.fit(List.of(pairs()), params()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the Spark driver exited with 1")
                .satisfies(
                        thrown ->
                                assertThat(thrown.getSuppressed())
                                        .singleElement()
                                        .isInstanceOf(UncheckedIOException.class));
    }

    @Test
    void theJobsDirectoryIsDeletedWhenTheEngineFails() throws Exception {
        ExternalAls failing =
                new Engine(
                        work,
                        inputs -> {
                            throw new IllegalStateException("the Spark driver exited with 1");
                        });

        assertThatThrownBy(() -> failing.fit(List.of(pairs()), params()))
                .hasMessage("the Spark driver exited with 1")
                .satisfies(thrown -> assertThat(thrown.getSuppressed()).isEmpty());
        try (var left = Files.list(work)) {
            assertThat(left).isEmpty();
        }
    }

    private static Interactions pairs() {
        return Interactions.builder().add("c1", "p1", 1).add("c2", "p1", 2).build();
    }

    private static AlsParams params() {
        return AlsParams.defaults().withScaledRegularization(true);
    }

    /** An engine that runs {@code fit} on its input files instead of fitting. */
    private record Engine(Path workDir, Consumer<List<PairFile>> fit) implements ExternalAls {
        @Override
        public String engine() {
            return "test";
        }

        @Override
        public void fitFiles(List<PairFile> inputs, AlsParams params, Consumer<AlsModel> each) {
            fit.accept(inputs);
        }
    }
}
