package io.hilal.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>The driver reads the pairs itself and parallelizes them, so executors on other machines need
 * no shared file system; it needs the heap to hold them once (about 100 bytes a pair as rows).
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
                        .master(required(options, "master"))
                        // Nothing here is worth a web UI, and its port could clash with others.
                        .config("spark.ui.enabled", "false");
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
        Pairs pairs = Pairs.read(input);
        StructType schema =
                new StructType()
                        .add("user", DataTypes.IntegerType)
                        .add("item", DataTypes.IntegerType)
                        .add("rating", DataTypes.FloatType);
        Dataset<Row> frame =
                spark.createDataFrame(context.parallelize(pairs.rows(), blocks), schema);
        ALSModel model = als.fit(frame);
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
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    private static float[] factors(Dataset<Row> frame, int count, int rank) {
        float[] factors = new float[count * rank];
        for (Row row : frame.collectAsList()) {
            int id = row.getInt(0);
            List<Object> vector = row.getList(1);
            for (int f = 0; f < rank; f++) {
                factors[id * rank + f] = ((Number) vector.get(f)).floatValue();
            }
        }
        return factors;
    }

    /** The worker's interactions, as read from its file. */
    private record Pairs(int users, int items, List<Row> rows) {
        static Pairs read(Path file) throws IOException {
            try (DataInputStream in =
                    new DataInputStream(
                            new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                if (in.readInt() != MAGIC_IN) {
                    throw new IOException(file + " is not an interactions file");
                }
                int users = in.readInt();
                int items = in.readInt();
                int count = in.readInt();
                List<Row> rows = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int user = in.readInt();
                    int item = in.readInt();
                    float weight = in.readFloat();
                    if (user < 0 || user >= users || item < 0 || item >= items) {
                        throw new IOException(file + ": pair " + i + " is out of range");
                    }
                    rows.add(RowFactory.create(user, item, weight));
                }
                return new Pairs(users, items, rows);
            }
        }
    }
}
