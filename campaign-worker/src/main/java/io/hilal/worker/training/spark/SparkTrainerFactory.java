package io.hilal.worker.training.spark;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hilal.core.reco.LargeTenantTraining;
import io.hilal.core.reco.als.AlsParams;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Spark trainer (config {@code sparkTrainer}, README "Spark trainer"): off by default; when on,
 * tenants with at least {@code minInteractions} distinct (customer, product) pairs have their
 * factor model fitted by Spark MLlib ALS in a driver JVM this worker starts against {@code master}
 * (a standalone cluster's {@code spark://host:7077}, or {@code local[*]}), from the jars in {@code
 * classpath} ({@code spark-trainer/target/lib}), which never join the worker's own class path.
 */
public class SparkTrainerFactory {
    private boolean enabled = false;

    /**
     * Where 2 in-JVM trainings (244 B a pair) fill the default 1 GiB worker heap; Spark is slower
     * on the same cores, so time sets no lower one (SCALING.md, "Spark trainer").
     */
    @Min(1)
    private long minInteractions = 2_000_000;

    @NotEmpty private String master = "local[*]";

    /** The directory holding hilal-spark-trainer.jar and every jar it needs. */
    @NotNull private String classpath = "";

    @NotEmpty private String driverMemory = "4g";

    /** More options for the driver's JVM (GC, -XX flags). */
    @NotNull private List<String> driverJavaOptions = List.of();

    /** The java that runs the driver; empty: the worker's own. */
    @NotNull private String javaCommand = "";

    /** Where the interactions and factors files go; empty: the system's temporary directory. */
    @NotNull private String workDir = "";

    /** Extra Spark settings for the driver (spark.executor.memory, spark.cores.max, ...). */
    @NotNull private Map<String, String> conf = new LinkedHashMap<>();

    /**
     * Whether each tenant's setting is chosen by the validation grid on a sample of its customers
     * in the worker (lambda, alpha and sweeps; LargeTenantTraining#gridAt), or is the one below.
     */
    private boolean tune = true;

    @Min(1)
    @Max(AlsParams.MAX_FACTORS)
    private int factors = 64;

    /**
     * Without {@code tune}: the sweeps, flat lambda (converted per tenant to Spark's count-scaled
     * regParam) and alpha every tenant gets.
     */
    @Min(1)
    @Max(100)
    private int iterations = 10;

    private double regularization = 30;

    private double alpha = 1;

    /** The Spark training, or empty when it is off; fails when on but unable to run. */
    public Optional<LargeTenantTraining> build() {
        if (!enabled) {
            return Optional.empty();
        }
        Path jars = Path.of(classpath);
        if (classpath.isBlank()
                || !Files.isRegularFile(jars.resolve(SparkAls.DRIVER_JAR))
                || !Files.isDirectory(jars)) {
            throw new IllegalStateException(
                    "sparkTrainer.enabled is true but sparkTrainer.classpath ("
                            + (classpath.isBlank() ? "not set" : jars.toAbsolutePath())
                            + ") is not a directory holding "
                            + SparkAls.DRIVER_JAR
                            + " and Spark's jars: build them with ./mvnw -pl spark-trainer"
                            + " package and set HILAL_SPARK_CLASSPATH to spark-trainer/target/lib");
        }
        AlsParams params =
                AlsParams.defaults()
                        .withFactors(factors)
                        .withIterations(iterations)
                        .withRegularization(regularization)
                        .withAlpha(alpha);
        return Optional.of(
                new LargeTenantTraining(
                        minInteractions,
                        new SparkAls(
                                new SparkAls.Driver(
                                        javaCommand.isBlank()
                                                ? SparkAls.currentJava()
                                                : javaCommand,
                                        jars,
                                        driverMemory,
                                        List.copyOf(driverJavaOptions),
                                        master,
                                        Map.copyOf(conf)),
                                workDir.isBlank()
                                        ? Path.of(System.getProperty("java.io.tmpdir"))
                                        : Path.of(workDir)),
                        params,
                        tune
                                ? Optional.of(LargeTenantTraining.gridAt(factors))
                                : Optional.empty()));
    }

    @JsonProperty
    public boolean isTune() {
        return tune;
    }

    @JsonProperty
    public void setTune(boolean tune) {
        this.tune = tune;
    }

    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @JsonProperty
    public long getMinInteractions() {
        return minInteractions;
    }

    @JsonProperty
    public void setMinInteractions(long minInteractions) {
        this.minInteractions = minInteractions;
    }

    @JsonProperty
    public String getMaster() {
        return master;
    }

    @JsonProperty
    public void setMaster(String master) {
        this.master = master;
    }

    @JsonProperty
    public String getClasspath() {
        return classpath;
    }

    @JsonProperty
    public void setClasspath(String classpath) {
        this.classpath = classpath == null ? "" : classpath;
    }

    @JsonProperty
    public String getDriverMemory() {
        return driverMemory;
    }

    @JsonProperty
    public void setDriverMemory(String driverMemory) {
        this.driverMemory = driverMemory;
    }

    @JsonProperty
    public List<String> getDriverJavaOptions() {
        return driverJavaOptions;
    }

    @JsonProperty
    public void setDriverJavaOptions(List<String> driverJavaOptions) {
        this.driverJavaOptions = driverJavaOptions == null ? List.of() : driverJavaOptions;
    }

    @JsonProperty
    public String getJavaCommand() {
        return javaCommand;
    }

    @JsonProperty
    public void setJavaCommand(String javaCommand) {
        this.javaCommand = javaCommand == null ? "" : javaCommand;
    }

    @JsonProperty
    public String getWorkDir() {
        return workDir;
    }

    @JsonProperty
    public void setWorkDir(String workDir) {
        this.workDir = workDir == null ? "" : workDir;
    }

    @JsonProperty
    public Map<String, String> getConf() {
        return conf;
    }

    @JsonProperty
    public void setConf(Map<String, String> conf) {
        this.conf = conf == null ? new LinkedHashMap<>() : conf;
    }

    @JsonProperty
    public int getFactors() {
        return factors;
    }

    @JsonProperty
    public void setFactors(int factors) {
        this.factors = factors;
    }

    @JsonProperty
    public int getIterations() {
        return iterations;
    }

    @JsonProperty
    public void setIterations(int iterations) {
        this.iterations = iterations;
    }

    @JsonProperty
    public double getRegularization() {
        return regularization;
    }

    @JsonProperty
    public void setRegularization(double regularization) {
        this.regularization = regularization;
    }

    @JsonProperty
    public double getAlpha() {
        return alpha;
    }

    @JsonProperty
    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }
}
