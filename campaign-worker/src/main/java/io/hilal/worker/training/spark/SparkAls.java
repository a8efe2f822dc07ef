package io.hilal.worker.training.spark;

import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ExternalAls;
import io.hilal.core.reco.als.PairFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Implicit ALS on Spark MLlib, fitted by a driver JVM of its own ({@code io.hilal.spark.
 * SparkAlsDriver} from the spark-trainer module), so Spark and its Scala, Jackson and Guava never
 * join the worker's class path: the worker writes the interactions with dense ids to a file, runs
 * the driver against the configured master (as {@code spark-submit} would in client mode), and
 * reads the factors it writes back into an ordinary {@link AlsModel}. The worker writes its input
 * files ({@link PairFile}) as it reads the tenant's purchases, so neither the pairs nor a second
 * copy of the factors sit in the worker's heap.
 */
public final class SparkAls implements ExternalAls {
    /** The driver's jar in the classpath directory. */
    public static final String DRIVER_JAR = "hilal-spark-trainer.jar";

    static final String DRIVER_CLASS = "io.hilal.spark.SparkAlsDriver";

    // The driver's output format (SparkAlsDriver): "HSF1"; its input is a PairFile.
    private static final int MAGIC_OUT = 0x48534631;

    /** Spark 3.5 on Java 17 reaches into JDK internals (the list spark-submit passes). */
    static final List<String> JAVA_OPTIONS =
            List.of(
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
                    "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
                    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
                    "-Djdk.reflect.useDirectMethodHandle=false",
                    // Spark's pure-Java BLAS, which ALS's normal equations run on, uses SIMD
                    // with it (in local mode the executors are this JVM).
                    "--add-modules=jdk.incubator.vector");

    /** How the driver's lines about its steps start. */
    static final String DRIVER_STEPS = "hilal-spark:";

    private static final Logger LOG = LoggerFactory.getLogger(SparkAls.class);

    /** A Spark log line at WARN or ERROR in Spark's default Log4j 2 layout. */
    private static final java.util.regex.Pattern SPARK_WARNING =
            java.util.regex.Pattern.compile(
                    "\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d (WARN|ERROR) ");

    static final int RELAYED_WARNINGS = 50;

    /**
     * How the driver JVM is started.
     *
     * @param java the java command
     * @param jars the directory with the driver's jar and Spark's
     * @param memory the driver's heap ({@code -Xmx}), which holds the interactions once
     * @param javaOptions more options for the driver's JVM
     * @param master Spark's master URL
     * @param conf extra Spark settings
     */
    public record Driver(
            String java,
            Path jars,
            String memory,
            List<String> javaOptions,
            String master,
            Map<String, String> conf) {

        /** The command that fits each input into its output with {@code params}. */
        List<String> command(List<Path> inputs, List<Path> outputs, AlsParams params) {
            List<String> command = new ArrayList<>();
            command.add(java);
            command.add("-Xmx" + memory);
            command.addAll(JAVA_OPTIONS);
            command.addAll(javaOptions);
            command.add("-cp");
            command.add(jars.toAbsolutePath() + File.separator + "*");
            command.add(DRIVER_CLASS);
            add(command, "--master", master);
            for (int i = 0; i < inputs.size(); i++) {
                add(command, "--input", inputs.get(i).toString());
                add(command, "--output", outputs.get(i).toString());
            }
            add(command, "--rank", Integer.toString(params.factors()));
            add(command, "--iterations", Integer.toString(params.iterations()));
            add(command, "--reg-param", Double.toString(params.regularization()));
            add(command, "--alpha", Double.toString(params.alpha()));
            add(command, "--seed", Long.toString(params.seed()));
            conf.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> add(command, "--conf", e.getKey() + "=" + e.getValue()));
            return command;
        }

        private static void add(List<String> command, String option, String value) {
            command.add(option);
            command.add(value);
        }
    }

    private final Driver driver;
    private final Path workDir;

    public SparkAls(Driver driver, Path workDir) {
        this.driver = driver;
        this.workDir = workDir;
    }

    /** The java running this JVM. */
    static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public String engine() {
        return "spark";
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public void fitFiles(List<PairFile> inputs, AlsParams params, Consumer<AlsModel> each) {
        if (!params.scaledRegularization()) {
            throw new IllegalArgumentException("Spark's ALS scales lambda by counts (ALS-WR)");
        }
        Path dir = null;
        try {
            Files.createDirectories(workDir);
            dir = Files.createTempDirectory(workDir, "hilal-spark-als-");
            List<Path> files = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                files.add(inputs.get(i).file());
                outputs.add(dir.resolve("factors-" + i + ".bin"));
            }
            run(driver.command(files, outputs, params), dir.resolve("driver.log"));
            for (int i = 0; i < inputs.size(); i++) {
                // One model's factors at a time: the caller is done with one before the next.
                each.accept(read(outputs.get(i), inputs.get(i), params));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        long started = System.nanoTime();
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            // A worker shutting down (or a run taken back) does not leave a driver behind.
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Spark was training", e);
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        relaySparkWarnings(lines);
        if (exit != 0) {
            throw new IllegalStateException(
                    "the Spark driver exited with " + exit + "; its log ends:\n" + tail(lines, 30));
        }
        // The driver's own account of where the time went (reading, fitting, factors).
        List<String> steps =
                lines.stream()
                        .filter(line -> line.startsWith(DRIVER_STEPS))
                        .map(line -> line.substring(DRIVER_STEPS.length()).trim())
                        .toList();
        LOG.info(
                "Spark fitted ALS in {} ms ({})",
                String.format(Locale.ROOT, "%,d", (System.nanoTime() - started) / 1_000_000),
                String.join("; ", steps));
    }

    /**
     * Spark's own warnings and errors, which its Log4j 2 (through SLF4J) writes to the driver's log
     * in its default layout ({@code 26/12/07 10:00:00 WARN TaskSetManager: ...}): into this
     * worker's log, the first {@link #RELAYED_WARNINGS} of them, since the driver's log goes with
     * its job's directory.
     */
    static List<String> sparkWarnings(List<String> lines) {
        return lines.stream().filter(line -> SPARK_WARNING.matcher(line).lookingAt()).toList();
    }

    private static void relaySparkWarnings(List<String> lines) {
        List<String> warnings = sparkWarnings(lines);
        warnings.stream()
                .limit(RELAYED_WARNINGS)
                .forEach(warning -> LOG.warn("Spark driver: {}", warning));
        if (warnings.size() > RELAYED_WARNINGS) {
            LOG.warn(
                    "Spark driver: {} more warnings and errors not shown",
                    warnings.size() - RELAYED_WARNINGS);
        }
    }

    private static String tail(List<String> all, int lines) {
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static AlsModel read(Path file, PairFile data, AlsParams params) throws IOException {
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int magic = in.readInt();
            int rank = in.readInt();
            int users = in.readInt();
            int items = in.readInt();
            if (magic != MAGIC_OUT
                    || rank != params.factors()
                    || users != data.userIds().size()
                    || items != data.itemIds().size()) {
                throw new IOException(file + " does not hold the factors asked for");
            }
            float[] userFactors = new float[users * rank];
            float[] itemFactors = new float[items * rank];
            for (int i = 0; i < userFactors.length; i++) {
                userFactors[i] = in.readFloat();
            }
            for (int i = 0; i < itemFactors.length; i++) {
                itemFactors[i] = in.readFloat();
            }
            return AlsModel.adoptingFactors(
                    data.userIds(),
                    data.itemIds(),
                    rank,
                    params.regularization(),
                    params.alpha(),
                    true,
                    userFactors,
                    itemFactors);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Logged, never thrown: this runs in a finally, where it would hide the fit's failure.
            LOG.warn("Could not delete {}", dir, e);
        }
    }
}
