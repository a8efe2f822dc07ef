package io.hilal.bench;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.db.Migrations;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.testing.TestDatabase;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jdbi.v3.core.Jdbi;

/**
 * Storing and loading one large model artifact, an ALS model of rank 64 (about 300 MB at the
 * default 1,100,000 customers), the way the model store did before chunks (baseline: encoded to
 * bytes, stored in one LONGBLOB row, read back whole as bytes, then decoded) and the way it does
 * now (encoded straight into chunks; decoded as they stream from the database), side by side in one
 * process, on one embedded server whose {@code max_allowed_packet} is raised to its 1 GiB ceiling
 * so that the baseline still works. Per step: wall time, bytes allocated by the step's thread, and
 * the heap's peak above what was in use before it (the sum of the heap pools' peaks, after a full
 * collection; the same gauge for both ways). Rounds alternate the two ways; the ratios are of
 * medians.
 *
 * <p>Run from the repository root: {@code BENCH_JAVA_OPTS=-Xmx4g bench/run ArtifactStoreBenchmark
 * [CUSTOMERS] [ROUNDS]}.
 */
public final class ArtifactStoreBenchmark {
    private static final int FACTORS = 64;
    private static final int PRODUCTS = 20_000;

    private record Step(double seconds, long allocated, long peak) {}

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 1_100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;

        TestDatabase.Server server = TestDatabase.anotherServer();
        server.createSchema("artifact_bench");
        MysqlDataSource dataSource = new MysqlDataSource();
        dataSource.setURL(server.jdbcUrl("artifact_bench"));
        dataSource.setUser(server.user());
        dataSource.setPassword(server.password());
        Migrations.migrate(dataSource);
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(dataSource));
        jdbi.useHandle(handle -> handle.execute("SET GLOBAL max_allowed_packet = 1073741824"));

        AlsModel model = model(customers);
        long size = model.toBytes().length;
        System.out.printf(
                "ALS rank %d, %,d customers, %,d products: artifact %,d bytes (%.0f MiB)%n",
                FACTORS, customers, PRODUCTS, size, size / 1048576.0);

        ModelStore store = new ModelStore(jdbi, Clock.systemUTC());
        List<Step> oldStores = new ArrayList<>();
        List<Step> oldLoads = new ArrayList<>();
        List<Step> newStores = new ArrayList<>();
        List<Step> newLoads = new ArrayList<>();
        int checksum = 0;
        for (int round = 0; round < rounds; round++) {
            String tenant = "bench-" + round;
            oldStores.add(measure(() -> storeInOneRow(jdbi, tenant, model.toBytes())));
            AlsModel[] loaded = new AlsModel[1];
            oldLoads.add(measure(() -> loaded[0] = loadFromOneRow(jdbi, tenant)));
            checksum += loaded[0].userIds().size();
            loaded[0] = null;
            newStores.add(
                    measure(
                            () ->
                                    store.saveAndActivate(
                                            tenant,
                                            new ModelStore.Trained(
                                                    TrainingService.ALS_KIND,
                                                    null,
                                                    Instant.now(),
                                                    "{}",
                                                    "{}",
                                                    model::writeTo))));
            newLoads.add(
                    measure(
                            () ->
                                    loaded[0] =
                                            store.readArtifact(
                                                            tenant,
                                                            TrainingService.ALS_KIND,
                                                            1,
                                                            AlsModel::fromStream)
                                                    .orElseThrow()));
            checksum += loaded[0].userIds().size();
            loaded[0] = null;
            System.out.printf(
                    "round %d: store %.1f s one row, %.1f s chunks; load %.1f s one row, %.1f s"
                            + " chunks%n",
                    round + 1,
                    oldStores.get(round).seconds(),
                    newStores.get(round).seconds(),
                    oldLoads.get(round).seconds(),
                    newLoads.get(round).seconds());
        }
        report("store", oldStores, newStores);
        report("load", oldLoads, newLoads);
        System.exit(checksum == 2 * rounds * customers ? 0 : 1);
    }

    private static AlsModel model(int customers) {
        Random random = new Random(11);
        List<String> customerIds = new ArrayList<>(customers);
        for (int c = 0; c < customers; c++) {
            customerIds.add("customer-" + c);
        }
        List<String> productIds = new ArrayList<>(PRODUCTS);
        for (int p = 0; p < PRODUCTS; p++) {
            productIds.add("product-" + p);
        }
        float[] customerFactors = new float[customers * FACTORS];
        float[] productFactors = new float[PRODUCTS * FACTORS];
        for (int i = 0; i < customerFactors.length; i++) {
            customerFactors[i] = random.nextFloat() - 0.5f;
        }
        for (int i = 0; i < productFactors.length; i++) {
            productFactors[i] = random.nextFloat() - 0.5f;
        }
        return AlsModel.fromFactors(
                customerIds, productIds, FACTORS, 0.1, 10, true, customerFactors, productFactors);
    }

    /** The store before chunks: the artifact in its version's row (V2's schema, its insert). */
    private static void storeInOneRow(Jdbi jdbi, String tenant, byte[] artifact) {
        jdbi.useTransaction(
                handle ->
                        handle.execute(
                                "INSERT INTO model_versions (tenant_id, kind, version, trained_at,"
                                        + " params, metrics, size_bytes, artifact)"
                                        + " VALUES (?, 'als-one-row', 1, NOW(3), '{}', '{}', ?, ?)",
                                tenant,
                                artifact.length,
                                artifact));
    }

    /** The load before chunks: the row's artifact as bytes, then decoded. */
    private static AlsModel loadFromOneRow(Jdbi jdbi, String tenant) {
        byte[] bytes =
                jdbi.withHandle(
                        handle ->
                                handle.select(
                                                "SELECT artifact FROM model_versions WHERE"
                                                        + " tenant_id = ? AND kind = 'als-one-row'",
                                                tenant)
                                        .mapTo(byte[].class)
                                        .one());
        return AlsModel.fromBytes(bytes);
    }

    private static Step measure(Runnable step) {
        long before = usedAfterGc();
        List<MemoryPoolMXBean> heap =
                ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == MemoryType.HEAP)
                        .toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        step.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        return new Step(seconds, allocated, Math.max(0, peak - before));
    }

    private static void report(String what, List<Step> baseline, List<Step> chunked) {
        Step old = median(baseline);
        Step now = median(chunked);
        System.out.printf(
                "%s: one row %.2f s, %,d MiB allocated, %,d MiB peak above before;"
                        + " chunks %.2f s, %,d MiB allocated, %,d MiB peak;"
                        + " ratios chunks/one row: time %.2f, allocated %.2f, peak %.2f%n",
                what,
                old.seconds(),
                old.allocated() >> 20,
                old.peak() >> 20,
                now.seconds(),
                now.allocated() >> 20,
                now.peak() >> 20,
                now.seconds() / old.seconds(),
                now.allocated() / (double) old.allocated(),
                now.peak() / (double) old.peak());
    }

    private static Step median(List<Step> steps) {
        return new Step(
                steps.stream().mapToDouble(Step::seconds).sorted().toArray()[steps.size() / 2],
                steps.stream().mapToLong(Step::allocated).sorted().toArray()[steps.size() / 2],
                steps.stream().mapToLong(Step::peak).sorted().toArray()[steps.size() / 2]);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
