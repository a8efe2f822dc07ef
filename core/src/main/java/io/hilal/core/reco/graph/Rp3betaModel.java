package io.hilal.core.reco.graph;

import io.hilal.core.reco.ItemWeights;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.TopK;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * RP3beta (Paudel, Christoffel, Newell and Bernstein 2017, "Updatable, accurate, diverse, and
 * scalable recommendations for interactive applications"): a random walk of three steps on the
 * bipartite graph of customers and products, from a product to one of its buyers, to another
 * product that buyer bought, with each step's probability raised to the power {@code alpha}, and
 * the landing product's weight divided by its popularity to the power {@code beta} so that best
 * sellers do not win every row. For products i and j:
 *
 * <pre>W[i][j] = deg(i)^−α · deg(j)^−β · Σ over customers u who bought both of deg(u)^−α</pre>
 *
 * where deg counts a product's buyers or a customer's products (each product once, however often
 * bought). It is among the strongest simple baselines on MovieLens in Dacrema, Cremonesi and
 * Jannach 2019 ("Are we really making much progress?"), and like EASE it serves as item-to-item
 * weights ({@link ItemWeights}), each product keeping its {@code keep} largest. Unlike EASE it
 * needs no inversion: a product's row costs the purchases of its buyers, so training takes about Σ
 * over customers of deg(u)² steps and the kept weights' memory, whatever the catalog size.
 */
public final class Rp3betaModel {
    private static final int MAGIC = 0x48525033; // "HRP3"
    private static final int VERSION = 1;

    private final ItemWeights weights;
    private final double alpha;
    private final double beta;

    private Rp3betaModel(ItemWeights weights, double alpha, double beta) {
        this.weights = weights;
        this.alpha = alpha;
        this.beta = beta;
    }

    /**
     * Trains on each customer's set of products with the walk's exponent {@code alpha} (≥ 0),
     * popularity penalty {@code beta} (≥ 0), each product's {@code keep} largest weights kept, on
     * up to {@code threads} threads.
     */
    public static Rp3betaModel train(
            Map<String, ? extends Collection<String>> productsByCustomer,
            double alpha,
            double beta,
            int keep,
            int threads) {
        if (!(alpha >= 0) || !(beta >= 0)) {
            throw new IllegalArgumentException(
                    "alpha and beta must be non-negative: " + alpha + ", " + beta);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be positive: " + keep);
        }
        TreeSet<String> catalog = new TreeSet<>();
        productsByCustomer.values().forEach(catalog::addAll);
        String[] itemIds = catalog.toArray(String[]::new);
        int n = itemIds.length;
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(itemIds[i], i);
        }
        // Each customer's products (once each) and each product's buyers, as indexes.
        List<int[]> baskets = new ArrayList<>(productsByCustomer.size());
        int[] buyerCount = new int[n];
        for (Collection<String> products : productsByCustomer.values()) {
            int[] basket =
                    new LinkedHashSet<>(products).stream().mapToInt(index::get).sorted().toArray();
            if (basket.length == 0) {
                continue;
            }
            baskets.add(basket);
            for (int item : basket) {
                buyerCount[item]++;
            }
        }
        int[][] buyers = new int[n][];
        for (int i = 0; i < n; i++) {
            buyers[i] = new int[buyerCount[i]];
        }
        int[] filled = new int[n];
        float[] customerStep = new float[baskets.size()];
        for (int u = 0; u < baskets.size(); u++) {
            int[] basket = baskets.get(u);
            customerStep[u] = (float) Math.pow(basket.length, -alpha);
            for (int item : basket) {
                buyers[item][filled[item]++] = u;
            }
        }
        float[] leave = new float[n];
        float[] land = new float[n];
        for (int i = 0; i < n; i++) {
            leave[i] = buyerCount[i] == 0 ? 0 : (float) Math.pow(buyerCount[i], -alpha);
            land[i] = buyerCount[i] == 0 ? 0 : (float) Math.pow(buyerCount[i], -beta);
        }
        int kept = (int) Math.min(keep, Math.max(0, n - 1L));
        int[] columns = new int[Math.multiplyExact(n, kept)];
        float[] values = new float[columns.length];
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            pool.submit(
                            () ->
                                    IntStream.range(0, n)
                                            .parallel()
                                            .forEach(
                                                    i ->
                                                            row(
                                                                    i,
                                                                    kept,
                                                                    buyers,
                                                                    baskets,
                                                                    customerStep,
                                                                    leave,
                                                                    land,
                                                                    columns,
                                                                    values)))
                    .join();
        } finally {
            pool.shutdown();
        }
        return new Rp3betaModel(new ItemWeights(itemIds, kept, columns, values), alpha, beta);
    }

    /** Product {@code i}'s walk weights, its {@code keep} largest written into its row. */
    private static void row(
            int i,
            int keep,
            int[][] buyers,
            List<int[]> baskets,
            float[] customerStep,
            float[] leave,
            float[] land,
            int[] columns,
            float[] values) {
        if (keep == 0) {
            return;
        }
        int n = leave.length;
        float[] row = new float[n];
        for (int u : buyers[i]) {
            float step = customerStep[u];
            for (int j : baskets.get(u)) {
                row[j] += step;
            }
        }
        for (int j = 0; j < n; j++) {
            row[j] *= leave[i] * land[j];
        }
        TopK top = new TopK(keep);
        for (int j = 0; j < n; j++) {
            if (j != i) { // a product never recommends itself
                top.offer(j, row[j]);
            }
        }
        int[] best = new int[keep];
        top.drain(best, new float[keep]);
        Arrays.sort(best);
        int start = i * keep;
        for (int p = 0; p < keep; p++) {
            columns[start + p] = best[p];
            values[start + p] = row[best[p]];
        }
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    /** The kept weights, as served. */
    public ItemWeights weights() {
        return weights;
    }

    public int itemCount() {
        return weights.itemCount();
    }

    public List<String> itemIds() {
        return weights.itemIds();
    }

    /** The weight from an owned product to another, 0 when either is unknown or dropped. */
    public double weight(String from, String to) {
        return weights.weight(from, to);
    }

    /** See {@link ItemWeights#recommend}. */
    public List<ScoredItem> recommend(Collection<String> owned, int k, Set<String> exclude) {
        return weights.recommend(owned, k, exclude);
    }

    /** About the heap the served model takes. */
    public long memoryBytes() {
        return weights.memoryBytes();
    }

    /**
     * The artifact: "HRP3", version, α, β, then the kept weights as every item-to-item model writes
     * them ({@link ItemWeights#write}), big-endian.
     */
    public byte[] toBytes() {
        long size = 4 + 4 + 8 + 8 + weights.byteSize();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("model too large for one artifact: " + size);
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        out.putInt(MAGIC).putInt(VERSION).putDouble(alpha).putDouble(beta);
        weights.write(out);
        return out.array();
    }

    /** Reads an artifact written by {@link #toBytes()}. */
    public static Rp3betaModel fromBytes(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (in.getInt() != MAGIC) {
                throw new IllegalArgumentException("not an RP3beta model artifact");
            }
            int version = in.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown RP3beta artifact version " + version);
            }
            double alpha = in.getDouble();
            double beta = in.getDouble();
            return new Rp3betaModel(ItemWeights.read(in, "RP3beta"), alpha, beta);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated RP3beta artifact", e);
        }
    }
}
