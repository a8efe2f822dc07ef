package io.hilal.core.reco.als;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Fits implicit ALS outside this JVM (Apache Spark MLlib for the largest tenants, see {@code
 * LargeTenantTraining}), returning an ordinary {@link AlsModel} that stores and serves exactly like
 * one {@link ImplicitAls} trained. Engines like Spark's scale lambda by each vector's interaction
 * count (ALS-WR), so they are given count-scaled parameters only.
 */
public interface ExternalAls {
    /** The engine's name, stored with the model version ("spark"). */
    String engine();

    /**
     * Where callers write the engine's input files ({@link PairFile}), in a directory of their own.
     */
    Path workDir();

    /**
     * Fits each of {@code inputs} with {@code params} (count-scaled regularization) in one job, and
     * hands {@code each} the models in the same order, each with its input's user and item ids,
     * reading the next one only once {@code each} returns (so a caller that drops one before the
     * next holds one set of factors at a time); throws {@link IllegalStateException} when the
     * engine fails. Leaves the input files where they are.
     */
    void fitFiles(List<PairFile> inputs, AlsParams params, Consumer<AlsModel> each);

    /** {@link #fitFiles} for interactions in this JVM's heap (benchmarks, small data). */
    default List<AlsModel> fit(List<Interactions> data, AlsParams params) {
        Path dir = newJobDirectory(workDir());
        return inJobDirectory(
                dir,
                () -> {
                    List<PairFile> inputs = new ArrayList<>();
                    for (int i = 0; i < data.size(); i++) {
                        inputs.add(
                                PairFile.of(
                                        data.get(i), dir.resolve("interactions-" + i + ".bin")));
                    }
                    List<AlsModel> models = new ArrayList<>();
                    fitFiles(inputs, params, models::add);
                    return models;
                });
    }

    /**
     * Runs {@code job}, then deletes {@code dir} (a job's directory) whether it succeeded or not.
     * When the job failed, a failure to delete is added to its exception as suppressed: the job's
     * failure is what the caller is told, never hidden behind the clean-up's.
     */
    static <T> T inJobDirectory(Path dir, Supplier<T> job) {
        T result;
        try {
            result = job.get();
        } catch (RuntimeException | Error failure) {
            try {
                deleteJobDirectory(dir);
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        deleteJobDirectory(dir);
        return result;
    }

    /** A new directory for one job's files under {@code workDir}. */
    static Path newJobDirectory(Path workDir) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, "hilal-als-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a job's directory and everything in it. */
    static void deleteJobDirectory(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
