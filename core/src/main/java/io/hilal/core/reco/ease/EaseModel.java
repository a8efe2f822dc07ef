package io.hilal.core.reco.ease;

import io.hilal.core.reco.ScoredItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): an item-to-item model
 * whose weights have a closed form, {@code B = I - P·diag(1/diag(P))} with {@code P = (XᵀX + λI)⁻¹}
 * and a zero diagonal, so an item never recommends itself. A customer's score for a product is the
 * sum of its weights from everything they bought. Unlike ALS it has one setting (λ) and no
 * iterations; its cost is one dense inversion, O(n³) in the number of products, so it is practical
 * up to some thousands of products: a larger catalog keeps its {@link #MAX_ITEMS} most-bought
 * products in the model, and the rest are left to the other models.
 */
public final class EaseModel {
    /** The most products one model holds: the dense inversion needs 8·n² bytes while it runs. */
    public static final int MAX_ITEMS = 8_000;

    private final String[] itemIds;
    private final Map<String, Integer> index;
    private final float[] weights; // row-major n × n: weights[i * n + j] from owned i to j
    private final double lambda;

    private EaseModel(String[] itemIds, float[] weights, double lambda) {
        this.itemIds = itemIds;
        this.weights = weights;
        this.lambda = lambda;
        this.index = new HashMap<>(itemIds.length * 2);
        for (int i = 0; i < itemIds.length; i++) {
            index.put(itemIds[i], i);
        }
    }

    /**
     * Trains on each customer's set of products (a purchase counts once however often it was
     * repeated, as in the paper), with regularization {@code lambda} and up to {@code threads}
     * threads for the inversion.
     */
    public static EaseModel train(
            Map<String, ? extends Collection<String>> productsByCustomer,
            double lambda,
            int threads) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda must be positive: " + lambda);
        }
        String[] itemIds = mostBought(productsByCustomer);
        int n = itemIds.length;
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(itemIds[i], i);
        }
        double[][] gram = new double[n][n];
        int[] items = new int[16];
        for (Collection<String> products : productsByCustomer.values()) {
            int count = 0;
            for (String product : products) {
                Integer item = index.get(product);
                if (item != null) {
                    if (count == items.length) {
                        items = Arrays.copyOf(items, count * 2);
                    }
                    items[count++] = item;
                }
            }
            for (int a = 0; a < count; a++) {
                double[] row = gram[items[a]];
                for (int b = 0; b < count; b++) {
                    row[items[b]] += 1;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            gram[i][i] += lambda;
        }
        invertInPlace(gram, threads);
        float[] weights = new float[n * n];
        for (int i = 0; i < n; i++) {
            double[] row = gram[i];
            for (int j = 0; j < n; j++) {
                weights[i * n + j] = i == j ? 0f : (float) (-row[j] / gram[j][j]);
            }
        }
        return new EaseModel(itemIds, weights, lambda);
    }

    /** The products bought by the most customers, at most {@link #MAX_ITEMS}, in id order. */
    private static String[] mostBought(Map<String, ? extends Collection<String>> byCustomer) {
        Map<String, Integer> buyers = new HashMap<>();
        byCustomer
                .values()
                .forEach(products -> products.forEach(p -> buyers.merge(p, 1, Integer::sum)));
        return buyers.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Integer>comparingByValue()
                                .reversed()
                                .thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_ITEMS)
                .map(Map.Entry::getKey)
                .sorted()
                .toArray(String[]::new);
    }

    /**
     * Gauss-Jordan inversion of a symmetric positive definite matrix (λ > 0 makes XᵀX + λI one, so
     * no pivoting is needed); each pivot's row updates run in parallel over contiguous rows.
     */
    static void invertInPlace(double[][] a, int threads) {
        int n = a.length;
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            for (int k = 0; k < n; k++) {
                double[] pivotRow = a[k];
                double pivot = 1.0 / pivotRow[k];
                pivotRow[k] = 1.0;
                for (int j = 0; j < n; j++) {
                    pivotRow[j] *= pivot;
                }
                int column = k;
                pool.submit(
                                () ->
                                        IntStream.range(0, n)
                                                .parallel()
                                                .forEach(i -> eliminate(a[i], i, column, pivotRow)))
                        .join();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void eliminate(double[] row, int i, int column, double[] pivotRow) {
        if (i == column) {
            return;
        }
        double factor = row[column];
        if (factor == 0) {
            return;
        }
        row[column] = 0;
        for (int j = 0; j < row.length; j++) {
            row[j] -= factor * pivotRow[j];
        }
    }

    public double lambda() {
        return lambda;
    }

    public int itemCount() {
        return itemIds.length;
    }

    public List<String> itemIds() {
        return List.of(itemIds);
    }

    /** The weight from an owned product to another, 0 when either is not in the model. */
    public double weight(String from, String to) {
        Integer i = index.get(from);
        Integer j = index.get(to);
        return i == null || j == null ? 0 : weights[i * itemIds.length + j];
    }

    /**
     * The {@code k} best products for a customer who owns {@code owned}, leaving out {@code
     * exclude} (typically the owned products themselves); empty when nothing owned is in the model.
     */
    public List<ScoredItem> recommend(Collection<String> owned, int k, Set<String> exclude) {
        int n = itemIds.length;
        float[] scores = new float[n];
        boolean any = false;
        for (String product : owned) {
            Integer i = index.get(product);
            if (i == null) {
                continue;
            }
            any = true;
            int offset = i * n;
            for (int j = 0; j < n; j++) {
                scores[j] += weights[offset + j];
            }
        }
        if (!any || k <= 0) {
            return List.of();
        }
        PriorityQueue<Integer> best =
                new PriorityQueue<>(
                        k + 1,
                        Comparator.comparingDouble((Integer j) -> scores[j])
                                .thenComparing(j -> itemIds[j], Comparator.reverseOrder()));
        for (int j = 0; j < n; j++) {
            if (exclude.contains(itemIds[j])) {
                continue;
            }
            best.add(j);
            if (best.size() > k) {
                best.poll();
            }
        }
        List<ScoredItem> ranked = new ArrayList<>(best.size());
        while (!best.isEmpty()) {
            int j = best.poll();
            ranked.add(new ScoredItem(itemIds[j], scores[j], null));
        }
        java.util.Collections.reverse(ranked);
        return ranked;
    }
}
