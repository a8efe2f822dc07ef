package io.hilal.core.reco;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an item-to-item model serves, whichever way its weights were learnt (EASE, RP3beta): each
 * product's strongest outgoing weights toward other products, the same number kept for every
 * product, the rest counting as 0. A customer's score for a product is the sum of its weights from
 * everything they own, and a pick is explained by the owned product whose weight toward it is the
 * largest. One packed layout and one binary section for every such model, so serving and storage do
 * not care which family trained it.
 */
public final class ItemWeights {
    private final String[] itemIds;
    private final Map<String, Integer> index;
    // Each product's kept weights in compressed rows of equal length: targets keep·i..keep·(i+1)
    // of columns (ascending) and values, the weight from owned i to product columns[p].
    private final int keep;
    private final int[] columns;
    private final float[] values;

    /**
     * @param itemIds the products, in the order {@code columns} refers to them
     * @param keep the weights kept per product ({@code columns.length / itemIds.length})
     * @param columns each product's kept targets, ascending within a product
     * @param values the weights toward those targets
     */
    public ItemWeights(String[] itemIds, int keep, int[] columns, float[] values) {
        if (columns.length != values.length || (long) itemIds.length * keep != columns.length) {
            throw new IllegalArgumentException(
                    "expected "
                            + itemIds.length
                            + " × "
                            + keep
                            + " weights, got "
                            + columns.length);
        }
        this.itemIds = itemIds;
        this.keep = keep;
        this.columns = columns;
        this.values = values;
        this.index = new HashMap<>(itemIds.length * 2);
        for (int i = 0; i < itemIds.length; i++) {
            index.put(itemIds[i], i);
        }
    }

    public int itemCount() {
        return itemIds.length;
    }

    public int keepPerItem() {
        return keep;
    }

    public List<String> itemIds() {
        return List.of(itemIds);
    }

    public boolean hasItem(String productId) {
        return index.containsKey(productId);
    }

    /** About the heap the served model takes: ids, their index, and the kept weights. */
    public long memoryBytes() {
        long bytes = 8L * columns.length;
        for (String id : itemIds) {
            bytes += 56L + id.length() + 4 + 48;
        }
        return bytes;
    }

    /**
     * The weight from an owned product to another, 0 when either is not in the model or dropped.
     */
    public double weight(String from, String to) {
        Integer i = index.get(from);
        Integer j = index.get(to);
        if (i == null || j == null) {
            return 0;
        }
        int p = Arrays.binarySearch(columns, keep * i, keep * (i + 1), j);
        return p < 0 ? 0 : values[p];
    }

    /**
     * The {@code k} best products for a customer who owns {@code owned}, leaving out {@code
     * exclude} (typically the owned products themselves), best first (on equal scores the lower
     * id); empty when nothing owned is in the model.
     */
    public List<ScoredItem> recommend(Collection<String> owned, int k, Set<String> exclude) {
        float[] scores = scores(owned);
        if (scores == null || k <= 0) {
            return List.of();
        }
        TopK best = new TopK(k);
        for (int j = 0; j < itemIds.length; j++) {
            if (!exclude.contains(itemIds[j])) {
                best.offer(j, scores[j]);
            }
        }
        int[] items = new int[best.size()];
        float[] top = new float[items.length];
        int count = best.drain(items, top);
        List<ScoredItem> ranked = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            ranked.add(new ScoredItem(itemIds[items[p]], top[p], null));
        }
        return ranked;
    }

    /**
     * Every product's score for a customer who owns {@code owned}, in {@link #itemIds()} order, or
     * null when nothing owned is in the model.
     */
    public float[] scores(Collection<String> owned) {
        float[] scores = new float[itemIds.length];
        boolean any = false;
        for (String product : owned) {
            Integer i = index.get(product);
            if (i == null) {
                continue;
            }
            any = true;
            for (int p = keep * i; p < keep * (i + 1); p++) {
                scores[columns[p]] += values[p];
            }
        }
        return any ? scores : null;
    }

    /**
     * For each pick, the source whose weight toward it is the largest and positive (what explains
     * it best), or no entry when none of the sources points to it.
     */
    public Map<String, String> closestSources(List<String> picks, List<String> sources) {
        Map<String, String> closest = new HashMap<>();
        for (String pick : picks) {
            double best = 0;
            for (String source : sources) {
                double weight = weight(source, pick);
                if (weight > best) {
                    best = weight;
                    closest.put(pick, source);
                }
            }
        }
        return closest;
    }

    /** The bytes {@link #write} takes. */
    public long byteSize() {
        long size = 4 + 4;
        for (String id : itemIds) {
            size += 4 + id.getBytes(StandardCharsets.UTF_8).length;
        }
        return size + 8L * columns.length;
    }

    /**
     * The shared section of an item-to-item artifact, after each model's own header: product count,
     * weights kept per product, the ids as length-prefixed UTF-8, then every kept target (ints) and
     * every weight (floats), big-endian.
     */
    public void write(ByteBuffer out) {
        out.putInt(itemIds.length).putInt(keep);
        for (String id : itemIds) {
            byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
            out.putInt(bytes.length).put(bytes);
        }
        for (int column : columns) {
            out.putInt(column);
        }
        for (float value : values) {
            out.putFloat(value);
        }
    }

    /**
     * Reads the section {@link #write} wrote, which must run to the end of {@code in}; a damaged
     * one fails with an {@link IllegalArgumentException} naming {@code kind}.
     */
    public static ItemWeights read(ByteBuffer in, String kind) {
        try {
            int n = in.getInt();
            int keep = in.getInt();
            if (n < 0 || keep < 0 || (n > 0 && keep > n - 1)) {
                throw new IllegalArgumentException("corrupt " + kind + " artifact header");
            }
            String[] itemIds = new String[n];
            for (int i = 0; i < n; i++) {
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new IllegalArgumentException("corrupt " + kind + " artifact id");
                }
                byte[] id = new byte[length];
                in.get(id);
                itemIds[i] = new String(id, StandardCharsets.UTF_8);
            }
            int entries = Math.multiplyExact(n, keep);
            if (in.remaining() != 8L * entries) {
                throw new IllegalArgumentException(
                        "corrupt " + kind + " artifact: wrong weight count");
            }
            int[] columns = new int[entries];
            float[] values = new float[entries];
            for (int p = 0; p < entries; p++) {
                columns[p] = in.getInt();
                if (columns[p] < 0 || columns[p] >= n) {
                    throw new IllegalArgumentException(
                            "corrupt " + kind + " artifact: target out of range");
                }
            }
            for (int p = 0; p < entries; p++) {
                values[p] = in.getFloat();
            }
            return new ItemWeights(itemIds, keep, columns, values);
        } catch (BufferUnderflowException | ArithmeticException e) {
            throw new IllegalArgumentException("truncated " + kind + " artifact", e);
        }
    }
}
