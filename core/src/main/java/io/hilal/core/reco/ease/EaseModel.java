package io.hilal.core.reco.ease;

import io.hilal.core.reco.ItemWeights;
import io.hilal.core.reco.ScoredItem;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Each product keeps its strongest outgoing weights only (largest in magnitude, so the negative
 * weights that push unlikely products down are kept too), as many as asked at training (all of them
 * for offline evaluation; a few hundred for a served model, whose dense n² floats would not fit in
 * an artifact row or in a service's memory for many tenants). The rest count as 0.
 */
public final class EaseModel {
    /** The most products one model holds: the dense inversion needs 8·n² bytes while it runs. */
    public static final int MAX_ITEMS = 8_000;

    /** Keep every weight: the exact model. */
    public static final int KEEP_ALL = Integer.MAX_VALUE;

    private static final int MAGIC = 0x48454153; // "HEAS"
    private static final int VERSION = 2;

    /**
     * How the weights are read off P = (XᵀX + Λ)⁻¹. {@code EASE}: B = I − P·diag(1/diag(P)), the
     * diagonal forced to zero (with dropout, Steck 2020's full-rank EDLAE). {@code DLAE}: B = I −
     * P·Λ, the plain ridge solution with dropout's penalty; its diagonal is not zero, but a
     * customer's own products are never recommended, so only the off-diagonal weights are kept.
     */
    public enum Form {
        EASE,
        DLAE
    }

    /**
     * A model's settings: Λ = λI + p/(1−p)·diag(XᵀX) for dropout p (0: plain EASE), and the form.
     */
    public record Settings(double lambda, double dropout, Form form) {
        public static Settings ease(double lambda) {
            return new Settings(lambda, 0, Form.EASE);
        }

        /** The paper's name: "ease", "edlae" (EASE's form with dropout) or "dlae". */
        public String name() {
            return form == Form.DLAE ? "dlae" : dropout > 0 ? "edlae" : "ease";
        }

        /** "ease λ=500", "edlae λ=50 p=0.33", "dlae λ=50 p=0.33". */
        public String describe() {
            return dropout > 0
                    ? String.format(
                            java.util.Locale.ROOT,
                            "%s λ=%s p=%s",
                            name(),
                            trim(lambda),
                            trim(dropout))
                    : name() + " λ=" + trim(lambda);
        }

        private static String trim(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        }
    }

    private final ItemWeights weights;
    private final Settings settings;

    private EaseModel(ItemWeights weights, Settings settings) {
        this.weights = weights;
        this.settings = settings;
    }

    /** The exact model: every weight kept. */
    public static EaseModel train(
            Map<String, ? extends Collection<String>> productsByCustomer,
            double lambda,
            int threads) {
        return train(productsByCustomer, lambda, threads, KEEP_ALL);
    }

    /**
     * Trains on each customer's set of products (a purchase counts once however often it was
     * repeated, as in the paper), with regularization {@code lambda}, up to {@code threads} threads
     * for the inversion, and each product's {@code keepPerItem} outgoing weights largest in
     * magnitude kept.
     */
    public static EaseModel train(
            Map<String, ? extends Collection<String>> productsByCustomer,
            double lambda,
            int threads,
            int keepPerItem) {
        return train(productsByCustomer, Settings.ease(lambda), threads, keepPerItem);
    }

    /** As above, with EDLAE's or DLAE's regularization when {@code settings} asks for it. */
    public static EaseModel train(
            Map<String, ? extends Collection<String>> productsByCustomer,
            Settings settings,
            int threads,
            int keepPerItem) {
        return trainEach(
                        productsByCustomer,
                        settings.lambda(),
                        settings.dropout(),
                        List.of(settings.form()),
                        threads,
                        keepPerItem)
                .get(0);
    }

    /**
     * One model per form from a single inversion: every form shares P = (XᵀX + Λ)⁻¹ and differs
     * only in how each column of P is scaled, so a grid scores EDLAE and DLAE for the cost of one.
     */
    public static List<EaseModel> trainEach(
            Map<String, ? extends Collection<String>> productsByCustomer,
            double lambda,
            double dropout,
            List<Form> forms,
            int threads,
            int keepPerItem) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda must be positive: " + lambda);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
        }
        if (keepPerItem < 1) {
            throw new IllegalArgumentException("keepPerItem must be positive: " + keepPerItem);
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
        // Dropout on the input, in expectation, adds p/(1-p) of each product's own count to its
        // penalty (Steck 2020): popular products, whose own column would otherwise explain the
        // most, are held back the most from predicting themselves through their neighbours.
        double[] penalty = new double[n];
        for (int i = 0; i < n; i++) {
            penalty[i] = lambda + dropout / (1 - dropout) * gram[i][i];
            gram[i][i] += penalty[i];
        }
        invertInPlace(gram, threads);
        int keep = (int) Math.min(keepPerItem, Math.max(0, n - 1L));
        List<EaseModel> models = new java.util.ArrayList<>(forms.size());
        for (Form form : forms) {
            double[] scale = new double[n];
            for (int j = 0; j < n; j++) {
                scale[j] = form == Form.DLAE ? penalty[j] : 1 / gram[j][j];
            }
            models.add(
                    new EaseModel(
                            prune(itemIds, gram, scale, keep),
                            new Settings(lambda, dropout, form)));
        }
        return models;
    }

    /**
     * The weights B[i][j] = −P[i][j]·scale[j] off the diagonal, each product's {@code keep} largest
     * in magnitude kept.
     */
    private static ItemWeights prune(
            String[] itemIds, double[][] inverse, double[] scale, int keep) {
        int n = itemIds.length;
        int[] columns = new int[Math.multiplyExact(n, keep)];
        float[] values = new float[columns.length];
        float[] row = new float[n];
        Integer[] order = keep < n - 1 ? new Integer[n] : null;
        for (int i = 0; i < n; i++) {
            double[] p = inverse[i];
            for (int j = 0; j < n; j++) {
                row[j] = i == j ? Float.NEGATIVE_INFINITY : (float) (-p[j] * scale[j]);
            }
            int start = i * keep;
            if (order == null) {
                int at = start;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        columns[at] = j;
                        values[at++] = row[j];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    order[j] = j;
                }
                // Strongest by magnitude: EASE's negative weights (products seldom bought
                // together) push a product down as much as positive ones lift it, and keeping
                // them measurably ranks better than keeping the largest positive weights only
                // (EVALUATION.md, "EASE as served"). The diagonal sorts last.
                int self = i;
                Arrays.sort(
                        order,
                        (a, b) ->
                                Float.compare(
                                        b == self ? -1f : Math.abs(row[b]),
                                        a == self ? -1f : Math.abs(row[a])));
                int[] kept = new int[keep];
                for (int q = 0; q < keep; q++) {
                    kept[q] = order[q];
                }
                Arrays.sort(kept);
                for (int q = 0; q < keep; q++) {
                    columns[start + q] = kept[q];
                    values[start + q] = row[kept[q]];
                }
            }
        }
        return new ItemWeights(itemIds, keep, columns, values);
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
        return settings.lambda();
    }

    public Settings settings() {
        return settings;
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

    public boolean hasItem(String productId) {
        return weights.hasItem(productId);
    }

    /** About the heap the served model takes: ids, their index, and the kept weights. */
    public long memoryBytes() {
        return weights.memoryBytes();
    }

    /**
     * The weight from an owned product to another, 0 when either is not in the model or dropped.
     */
    public double weight(String from, String to) {
        return weights.weight(from, to);
    }

    /** See {@link ItemWeights#recommend}. */
    public List<ScoredItem> recommend(Collection<String> owned, int k, Set<String> exclude) {
        return weights.recommend(owned, k, exclude);
    }

    /** See {@link ItemWeights#closestSources}. */
    public Map<String, String> closestSources(List<String> picks, List<String> sources) {
        return weights.closestSources(picks, sources);
    }

    /**
     * The artifact: "HEAS", version, λ, for version 2 (dropout or DLAE) the dropout and the form (0
     * EASE, 1 DLAE), then the kept weights as every item-to-item model writes them ({@link
     * ItemWeights#write}: product count, kept weights per product, ids, targets, weights),
     * big-endian.
     */
    public byte[] toBytes() {
        boolean plain = settings.equals(Settings.ease(settings.lambda()));
        long size = 4 + 4 + 8 + (plain ? 0 : 8 + 4) + weights.byteSize();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("model too large for one artifact: " + size);
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        // Plain EASE stays version 1, readable by a service that predates EDLAE and DLAE.
        out.putInt(MAGIC).putInt(plain ? 1 : VERSION).putDouble(settings.lambda());
        if (!plain) {
            out.putDouble(settings.dropout()).putInt(settings.form().ordinal());
        }
        weights.write(out);
        return out.array();
    }

    /** Reads an artifact written by {@link #toBytes()}, or by version 1 (EASE, no dropout). */
    public static EaseModel fromBytes(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (in.getInt() != MAGIC) {
                throw new IllegalArgumentException("not an EASE model artifact");
            }
            int version = in.getInt();
            if (version != 1 && version != VERSION) {
                throw new IllegalArgumentException("unknown EASE artifact version " + version);
            }
            double lambda = in.getDouble();
            Settings settings = Settings.ease(lambda);
            if (version == VERSION) {
                double dropout = in.getDouble();
                int form = in.getInt();
                if (form < 0 || form >= Form.values().length) {
                    throw new IllegalArgumentException("unknown EASE form " + form);
                }
                settings = new Settings(lambda, dropout, Form.values()[form]);
            }
            return new EaseModel(ItemWeights.read(in, "EASE"), settings);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated EASE artifact", e);
        }
    }
}
