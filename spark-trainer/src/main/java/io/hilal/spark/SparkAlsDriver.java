package io.hilal.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The driver the campaign worker starts in its own JVM to fit implicit ALS on Spark MLlib, the way
 * {@code spark-submit} runs a driver in client mode: it connects to {@code --master} ({@code
 * local[*]} or {@code spark://host:port}), fits, and hands the factors back in a file. It knows
 * nothing of Hilal: ids are dense ints the worker maps back.
 *
 * <p>Files (big-endian, {@link DataOutputStream}): the input is {@code MAGIC_IN, users, items,
 * pairs} and then {@code pairs} × {@code (int user, int item, float weight)}; the output is {@code
 * MAGIC_OUT, rank, users, items} and then every user's {@code rank} floats in id order, then every
 * item's (zeros for an id Spark returned no vector for).
 *
 * <p>The driver reads the pairs itself into primitive arrays (12 bytes a pair) and hands them to
 * the executors in slices of at most {@link #SLICE_PAIRS} pairs, so executors on other machines
 * need no shared file system and no task comes near {@code spark.rpc.message.maxSize}; executors
 * turn a slice into rows only when ALS reads it. It prints how long each step took, one line
 * starting with {@code hilal-spark:} each, on standard error.
 *
 * <p>Usage: {@code SparkAlsDriver --master M --input F --output F [--input F --output F]... --rank
 * R --iterations N --reg-param L --alpha A --seed S [--blocks B] [--conf key=value]...}; exits 0
 * after writing the output, non-zero with a message on standard error otherwise.
 */
public final class SparkAlsDriver {
    /** "HSI1": the worker's interactions file. */
    public static final int MAGIC_IN = 0x48534931;

    /** "HSF1": the factors file this driver writes. */
    public static final int MAGIC_OUT = 0x48534631;

    /**
     * Pairs in one slice of the input: 3 MiB as a task, small against the 128 MiB RPC limit, and
     * enough slices at 10 M pairs (39) to keep both executors' cores busy while ALS partitions
     * them.
     */
    static final int SLICE_PAIRS = 1 << 18;

    /** Overrides {@link #SLICE_PAIRS} (tests give a small value to cut a small input in slices). */
    static final String SLICE_PAIRS_CONF = "spark.hilal.slicePairs";

    /**
     * Spark settings the driver starts from, which {@code --conf} overrides. Kryo is what Spark's
     * tuning guide advises for shuffles of arrays such as ALS's blocks; the Vector API module lets
     * Spark's pure-Java BLAS (dev.ludovic.netlib), which ALS's normal equations run on, use SIMD on
     * executors too (the driver gets it from its own command line).
     */
    static final Map<String, String> DEFAULTS =
            Map.of(
                    "spark.serializer", "org.apache.spark.serializer.KryoSerializer",
                    "spark.executor.defaultJavaOptions", "--add-modules=jdk.incubator.vector",
                    // Nothing here is worth a web UI, and its port could clash with others.
                    "spark.ui.enabled", "false");

    private SparkAlsDriver() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        List<String> conf = new ArrayList<>();
        List<Path> inputs = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got " + args[i]);
            }
            if (args[i].equals("--conf")) {
                conf.add(args[i + 1]);
            } else if (args[i].equals("--input")) {
                inputs.add(Path.of(args[i + 1]));
            } else if (args[i].equals("--output")) {
                outputs.add(Path.of(args[i + 1]));
            } else {
                options.put(args[i].substring(2), args[i + 1]);
            }
        }
        if (inputs.isEmpty() || inputs.size() != outputs.size()) {
            throw new IllegalArgumentException("wants as many --output as --input, at least one");
        }
        int rank = Integer.parseInt(required(options, "rank"));

        SparkSession.Builder builder =
                SparkSession.builder()
                        .appName(options.getOrDefault("app-name", "hilal-als"))
                        .master(required(options, "master"));
        DEFAULTS.forEach(builder::config);
        ownJar().ifPresent(jar -> builder.config("spark.jars", jar));
        for (String setting : conf) {
            int equals = setting.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("--conf wants key=value, got " + setting);
            }
            builder.config(setting.substring(0, equals), setting.substring(equals + 1));
        }
        try (SparkSession spark = builder.getOrCreate()) {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int blocks =
                    Integer.parseInt(
                            options.getOrDefault(
                                    "blocks", Integer.toString(context.defaultParallelism())));
            ALS als =
                    new ALS()
                            .setImplicitPrefs(true)
                            .setRank(rank)
                            .setMaxIter(Integer.parseInt(required(options, "iterations")))
                            .setRegParam(Double.parseDouble(required(options, "reg-param")))
                            .setAlpha(Double.parseDouble(required(options, "alpha")))
                            .setSeed(Long.parseLong(options.getOrDefault("seed", "42")))
                            .setNumUserBlocks(blocks)
                            .setNumItemBlocks(blocks)
                            .setUserCol("user")
                            .setItemCol("item")
                            .setRatingCol("rating");
            // One session for every fit: its start-up is most of a small tenant's time.
            for (int i = 0; i < inputs.size(); i++) {
                fit(spark, context, als, blocks, rank, inputs.get(i), outputs.get(i));
            }
        }
    }

    private static void fit(
            SparkSession spark,
            JavaSparkContext context,
            ALS als,
            int blocks,
            int rank,
            Path input,
            Path output)
            throws IOException {
        long started = System.nanoTime();
        Pairs pairs =
                Pairs.read(
                        input,
                        Integer.parseInt(
                                spark.conf().get(SLICE_PAIRS_CONF, Integer.toString(SLICE_PAIRS))));
        long read = System.nanoTime();
        StructType schema =
                new StructType()
                        .add("user", DataTypes.IntegerType)
                        .add("item", DataTypes.IntegerType)
                        .add("rating", DataTypes.FloatType);
        List<Slice> slices = pairs.slices();
        JavaRDD<Row> rows =
                context.parallelize(slices, Math.max(1, slices.size())).flatMap(Slice::rows);
        ALSModel model = als.fit(spark.createDataFrame(rows, schema));
        long fitted = System.nanoTime();
        float[] users = factors(model.userFactors(), pairs.users(), rank);
        float[] items = factors(model.itemFactors(), pairs.items(), rank);
        Path partial = output.resolveSibling(output.getFileName() + ".partial");
        try (DataOutputStream out =
                new DataOutputStream(
                        new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16))) {
            out.writeInt(MAGIC_OUT);
            out.writeInt(rank);
            out.writeInt(pairs.users());
            out.writeInt(pairs.items());
            for (float value : users) {
                out.writeFloat(value);
            }
            for (float value : items) {
                out.writeFloat(value);
            }
        }
        // The worker reads only a complete file.
        Files.move(partial, output, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        long written = System.nanoTime();
        System.err.printf(
                Locale.ROOT,
                "hilal-spark: %,d pairs in %d slices, %d blocks: read %.1f s, fit %.1f s, factors"
                        + " collected and written %.1f s%n",
                pairs.size(),
                slices.size(),
                blocks,
                (read - started) / 1e9,
                (fitted - read) / 1e9,
                (written - fitted) / 1e9);
    }

    /**
     * This driver's jar, which executors need for {@link Slice}: Spark serves it to them, so a
     * cluster whose jars/ lacks it still works. Empty when run from a classes directory.
     */
    private static Optional<String> ownJar() {
        try {
            Path location =
                    Path.of(
                            SparkAlsDriver.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            return location.toString().endsWith(".jar")
                    ? Optional.of(location.toString())
                    : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    /** One partition at a time: the driver never holds all vectors as boxed rows. */
    private static float[] factors(Dataset<Row> frame, int count, int rank) {
        float[] factors = new float[count * rank];
        Iterator<Row> rows = frame.toLocalIterator();
        while (rows.hasNext()) {
            Row row = rows.next();
            int id = row.getInt(0);
            List<Object> vector = row.getList(1);
            for (int f = 0; f < rank; f++) {
                factors[id * rank + f] = ((Number) vector.get(f)).floatValue();
            }
        }
        return factors;
    }

    /** The worker's interactions, as read from its file, in slices of primitive arrays. */
    private record Pairs(int users, int items, int size, List<Slice> slices) {
        static Pairs read(Path file, int slicePairs) throws IOException {
            try (DataInputStream in =
                    new DataInputStream(
                            new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                if (in.readInt() != MAGIC_IN) {
                    throw new IOException(file + " is not an interactions file");
                }
                int users = in.readInt();
                int items = in.readInt();
                int count = in.readInt();
                List<Slice> slices = new ArrayList<>();
                for (int from = 0; from < count; from += slicePairs) {
                    int length = Math.min(slicePairs, count - from);
                    int[] user = new int[length];
                    int[] item = new int[length];
                    float[] weight = new float[length];
                    for (int i = 0; i < length; i++) {
                        user[i] = in.readInt();
                        item[i] = in.readInt();
                        weight[i] = in.readFloat();
                        if (user[i] < 0 || user[i] >= users || item[i] < 0 || item[i] >= items) {
                            throw new IOException(
                                    file + ": pair " + (from + i) + " is out of range");
                        }
                    }
                    slices.add(new Slice(user, item, weight));
                }
                return new Pairs(users, items, count, slices);
            }
        }
    }

    /**
     * Part of the pairs as one task carries them: three arrays, not a row object per pair. A class,
     * not a record: Spark writes a task's slice with its data serializer, and Kryo 4 cannot build a
     * record.
     */
    static final class Slice implements Serializable {
        private final int[] user;
        private final int[] item;
        private final float[] weight;

        Slice(int[] user, int[] item, float[] weight) {
            this.user = user;
            this.item = item;
            this.weight = weight;
        }

        Iterator<Row> rows() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < user.length;
                }

                @Override
                public Row next() {
                    if (next >= user.length) {
                        throw new NoSuchElementException();
                    }
                    Row row = RowFactory.create(user[next], item[next], weight[next]);
                    next++;
                    return row;
                }
            };
        }
    }
}
