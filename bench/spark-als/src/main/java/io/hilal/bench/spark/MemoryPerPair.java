package io.hilal.bench.spark;

import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.als.Interactions;
import io.hilal.core.reco.eval.AlsTuning;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The worker's heap per interaction when it trains a tenant's factor model in its own JVM, the
 * figure {@code sparkTrainer.minInteractions} is set from (SCALING.md, "Spark trainer"): the
 * tenant's purchase lines as the worker loads them ({@link Purchase} records with their own id
 * strings, one line per pair here), the interaction matrices {@link AlsTuning#interactions} builds
 * from them, and the highest heap while {@link ImplicitAls} fits at the production rank (one sweep:
 * memory does not grow with sweeps). Heap after full GCs; the training peak is the sum of the heap
 * pools' peaks, an upper bound that includes garbage.
 *
 * <p>Usage: {@code bench/spark-als/run memory --data DIR} (DIR/train.tsv from {@code generate}).
 */
public final class MemoryPerPair {
    private MemoryPerPair() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(AlsVsSparkBenchmark.option(args, "--data", "target/synthetic"));
        AlsAtScale.Data train = AlsAtScale.Data.read(dir.resolve("train.tsv"));
        long start = used();
        List<Purchase> purchases = new ArrayList<>(train.size());
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < train.size(); i++) {
            // New strings per row, as JDBC hands them over.
            purchases.add(
                    new Purchase(
                            new String("c" + train.user()[i]),
                            new String("p" + train.item()[i]),
                            new String("o" + i),
                            1,
                            at.plusSeconds(i)));
        }
        long purchasesBytes = used() - start;
        long before = used();
        Interactions data = AlsTuning.interactions(purchases);
        long matrices = used() - before;
        long base = used();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        ImplicitAls.train(data, AlsParams.defaults().withThreads(2).withIterations(1));
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        long training = Math.max(0, peak - base);
        int pairs = data.size();
        System.out.printf(
                Locale.ROOT,
                "%s: %,d pairs, %,d customers, %,d products; max heap %,d MiB%n"
                        + "purchase lines %,d MiB (%.0f B a pair), matrices %,d MiB (%.0f B a"
                        + " pair), ALS fit rank 64 above them: peak %,d MiB (%.0f B a pair);"
                        + " total %.0f B a pair%n",
                dir,
                pairs,
                data.userCount(),
                data.itemCount(),
                Runtime.getRuntime().maxMemory() >> 20,
                purchasesBytes >> 20,
                (double) purchasesBytes / pairs,
                matrices >> 20,
                (double) matrices / pairs,
                training >> 20,
                (double) training / pairs,
                (double) (purchasesBytes + matrices + training) / pairs);
        if (purchases.size() + data.size() < 0) {
            System.out.println(); // keeps both reachable until here
        }
    }

    private static long used() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
