package io.hilal.core.reco.als;

import io.hilal.core.reco.ArtifactCodec;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.TopK;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trained implicit ALS model, immutable and safe to read from many threads: a vector per known
 * customer and per product. It ranks the whole catalog for a customer by dot product, and it can
 * <em>fold in</em> any set of interactions — a known customer's newest events, or an unknown
 * visitor's first few — into a fresh customer vector with the same regularized least-squares solve
 * training uses, so recommendations follow new behaviour at once without retraining. It stores as a
 * compact {@code byte[]} artifact (floats, not Java serialization) via {@link #toBytes()}.
 */
public final class AlsModel {
    private static final int MAGIC = 0x48414C53; // "HALS"

    /** Version 1: Hu, Koren and Volinsky's objective; 2 adds iALS's α0 after the lambda flag. */
    private static final int VERSION = 1;

    private static final int VERSION_IALS = 2;

    private final String[] userIds;
    private final String[] itemIds;
    private final Map<String, Integer> userIndex;
    private final Map<String, Integer> itemIndex;
    private final int factors;
    private final double regularization;
    private final double alpha;
    private final boolean scaledRegularization;
    private final double unobservedWeight;
    private final float[] userFactors;

    /** Item vectors column by column (factor-major), so scoring a catalog is k long axpys. */
    private final float[] itemColumns;

    private final float[] itemNorms;
    private final double[] itemGram;

    /** Item vectors scaled to length 1, row by row, so cosines read contiguous memory. */
    private final float[] itemUnitRows;

    AlsModel(
            String[] userIds,
            String[] itemIds,
            int factors,
            double regularization,
            double alpha,
            boolean scaledRegularization,
            float[] userFactors,
            float[] itemFactors) {
        this(
                userIds,
                itemIds,
                factors,
                regularization,
                alpha,
                scaledRegularization,
                0,
                userFactors,
                itemFactors);
    }

    /** {@code unobservedWeight} above 0: trained on iALS's objective ({@link AlsParams}). */
    AlsModel(
            String[] userIds,
            String[] itemIds,
            int factors,
            double regularization,
            double alpha,
            boolean scaledRegularization,
            double unobservedWeight,
            float[] userFactors,
            float[] itemFactors) {
        if (userFactors.length != userIds.length * factors
                || itemFactors.length != itemIds.length * factors) {
            throw new IllegalArgumentException("factor matrices do not match the id counts");
        }
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.factors = factors;
        this.regularization = regularization;
        this.alpha = alpha;
        this.scaledRegularization = scaledRegularization;
        this.unobservedWeight = unobservedWeight;
        this.userFactors = userFactors;
        this.userIndex = index(userIds);
        this.itemIndex = index(itemIds);
        int items = itemIds.length;
        this.itemColumns = new float[itemFactors.length];
        for (int item = 0; item < items; item++) {
            for (int f = 0; f < factors; f++) {
                itemColumns[f * items + item] = itemFactors[item * factors + f];
            }
        }
        this.itemNorms = new float[items];
        for (int item = 0; item < items; item++) {
            int offset = item * factors;
            itemNorms[item] =
                    (float)
                            Math.sqrt(
                                    Kernels.dot(itemFactors, offset, itemFactors, offset, factors));
        }
        try (Parallel single = new Parallel(1, factors)) {
            this.itemGram = Kernels.gram(itemFactors, items, factors, single);
        }
        this.itemUnitRows = new float[itemFactors.length];
        for (int item = 0; item < items; item++) {
            float norm = itemNorms[item];
            for (int f = 0; f < factors; f++) {
                int at = item * factors + f;
                itemUnitRows[at] = norm > 0 ? itemFactors[at] / norm : 0;
            }
        }
    }

    private float[] itemVector(int item) {
        int items = itemIds.length;
        float[] vector = new float[factors];
        for (int f = 0; f < factors; f++) {
            vector[f] = itemColumns[f * items + item];
        }
        return vector;
    }

    private float[] itemRows() {
        int items = itemIds.length;
        float[] rows = new float[itemColumns.length];
        for (int f = 0; f < factors; f++) {
            for (int item = 0; item < items; item++) {
                rows[item * factors + f] = itemColumns[f * items + item];
            }
        }
        return rows;
    }

    /**
     * A model from vectors trained elsewhere (e.g. Spark MLlib for the largest tenants), so they
     * serve and store exactly like Hilal's own: row-major {@code userFactors} (one row of {@code
     * factors} floats per user id, in order) and {@code itemFactors} likewise. The arrays are
     * copied.
     */
    public static AlsModel fromFactors(
            List<String> userIds,
            List<String> itemIds,
            int factors,
            double regularization,
            double alpha,
            boolean scaledRegularization,
            float[] userFactors,
            float[] itemFactors) {
        return adoptingFactors(
                userIds,
                itemIds,
                factors,
                regularization,
                alpha,
                scaledRegularization,
                userFactors.clone(),
                itemFactors.clone());
    }

    /**
     * As {@link #fromFactors}, keeping {@code userFactors} and {@code itemFactors} rather than
     * copying them: for a caller that read them for the model alone (an external trainer's output),
     * so a large tenant's factors are not in the heap twice. The caller must not touch them after.
     */
    public static AlsModel adoptingFactors(
            List<String> userIds,
            List<String> itemIds,
            int factors,
            double regularization,
            double alpha,
            boolean scaledRegularization,
            float[] userFactors,
            float[] itemFactors) {
        if (factors < 1) {
            throw new IllegalArgumentException("factors must be positive, was " + factors);
        }
        return new AlsModel(
                userIds.toArray(String[]::new),
                itemIds.toArray(String[]::new),
                factors,
                regularization,
                alpha,
                scaledRegularization,
                userFactors,
                itemFactors);
    }

    private static Map<String, Integer> index(String[] ids) {
        Map<String, Integer> index = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (index.put(ids[i], i) != null) {
                throw new IllegalArgumentException("duplicate id " + ids[i]);
            }
        }
        return index;
    }

    public int factors() {
        return factors;
    }

    public double regularization() {
        return regularization;
    }

    public double alpha() {
        return alpha;
    }

    /** Whether lambda was multiplied by each vector's interaction count (ALS-WR). */
    public boolean scaledRegularization() {
        return scaledRegularization;
    }

    /** α0 of a model trained on iALS's objective, 0 for Hu, Koren and Volinsky's. */
    public double unobservedWeight() {
        return unobservedWeight;
    }

    public List<String> userIds() {
        return Collections.unmodifiableList(Arrays.asList(userIds));
    }

    public List<String> itemIds() {
        return Collections.unmodifiableList(Arrays.asList(itemIds));
    }

    public boolean hasUser(String userId) {
        return userIndex.containsKey(userId);
    }

    public boolean hasItem(String itemId) {
        return itemIndex.containsKey(itemId);
    }

    /** A copy of a trained customer's vector, empty for a customer the model has not seen. */
    public Optional<float[]> userVector(String userId) {
        Integer user = userIndex.get(userId);
        if (user == null) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(userFactors, user * factors, (user + 1) * factors));
    }

    /**
     * The top {@code k} products for a trained customer by full ranking over the catalog, best
     * first, leaving out {@code excluded}; empty for a customer the model has not seen (fold their
     * events in with {@link #foldIn} instead).
     */
    public List<ScoredItem> recommend(String userId, int k, Collection<String> excluded) {
        Integer user = userIndex.get(userId);
        if (user == null) {
            checkK(k);
            return List.of();
        }
        return rank(userFactors, user * factors, k, excluded, -1);
    }

    /** The customer vector's score for a product (their dot product), 0 for an unknown product. */
    public double score(float[] userVector, String itemId) {
        Integer item = itemIndex.get(itemId);
        if (item == null || userVector.length != factors) {
            return 0;
        }
        int items = itemIds.length;
        double score = 0;
        for (int f = 0; f < factors; f++) {
            score += userVector[f] * itemColumns[f * items + item];
        }
        return score;
    }

    /** The top {@code k} products for a customer vector (e.g. from {@link #foldIn}). */
    public List<ScoredItem> recommend(float[] userVector, int k, Collection<String> excluded) {
        if (userVector.length != factors) {
            throw new IllegalArgumentException(
                    "a user vector has " + factors + " entries, not " + userVector.length);
        }
        return rank(userVector, 0, k, excluded, -1);
    }

    /**
     * A customer vector for {@code weights} (product id → interaction weight, as in training),
     * solved exactly against the fixed product vectors: x = (YᵀY + λI + Σ (c−1) y yᵀ)⁻¹ Σ c y, with
     * λ times the number of known products if the model scales its regularization; for an iALS
     * model, its own normal equations (α0·YᵀY + Σ w y yᵀ + λ(n + α0·N) I) x = Σ w y. Products the
     * model does not know are ignored; with none known the vector is zero. Costs O(n·k² + k³) for n
     * products: well under a millisecond for a customer's history.
     */
    public float[] foldIn(Map<String, ? extends Number> weights) {
        int k = factors;
        double[] a = itemGram.clone();
        double[] b = new double[k];
        int known = 0;
        boolean ials = unobservedWeight > 0;
        for (Map.Entry<String, ? extends Number> entry : weights.entrySet()) {
            double weight = entry.getValue().doubleValue();
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException(
                        "weight must be positive and finite, was "
                                + weight
                                + " for "
                                + entry.getKey());
            }
            Integer item = itemIndex.get(entry.getKey());
            if (item == null) {
                continue;
            }
            known++;
            float[] y = itemVector(item);
            // iALS divided by α0, as ImplicitAls solves it: c − 1 = w/α0 and no base preference.
            double c1 = ials ? weight / unobservedWeight : alpha * weight;
            double base = ials ? 0 : 1;
            for (int i = 0; i < k; i++) {
                double yi = y[i];
                b[i] += (base + c1) * yi;
                double scaled = c1 * yi;
                for (int j = 0; j < k; j++) {
                    a[i * k + j] += scaled * y[j];
                }
            }
        }
        double lambda =
                ials
                        ? regularization * (itemIds.length + known / unobservedWeight)
                        : scaledRegularization
                                ? regularization * Math.max(1, known)
                                : regularization;
        for (int i = 0; i < k; i++) {
            a[i * k + i] += lambda;
        }
        double[] x = Kernels.choleskySolve(a, b, k);
        float[] vector = new float[k];
        for (int i = 0; i < k; i++) {
            vector[i] = (float) x[i];
        }
        return vector;
    }

    /**
     * For each candidate, the source product whose vector is closest to it (cosine), or none when
     * no source is known: why a factor model's pick suits a customer, in terms of what they did.
     */
    public Map<String, String> closestSources(
            Collection<String> candidates, Collection<String> sources) {
        int[] known =
                sources.stream()
                        .map(itemIndex::get)
                        .filter(java.util.Objects::nonNull)
                        .mapToInt(Integer::intValue)
                        .toArray();
        Map<String, String> closest = new java.util.HashMap<>();
        for (String candidate : candidates) {
            Integer c = itemIndex.get(candidate);
            if (c == null || known.length == 0) {
                continue;
            }
            int best = -1;
            double bestCosine = Double.NEGATIVE_INFINITY;
            for (int source : known) {
                double cosine =
                        Kernels.dot(
                                itemUnitRows, c * factors, itemUnitRows, source * factors, factors);
                if (cosine > bestCosine) {
                    bestCosine = cosine;
                    best = source;
                }
            }
            closest.put(candidate, itemIds[best]);
        }
        return closest;
    }

    /** The {@code k} products whose vectors point most nearly the same way (cosine), best first. */
    public List<ScoredItem> similarItems(String itemId, int k) {
        Integer item = itemIndex.get(itemId);
        if (item == null) {
            checkK(k);
            return List.of();
        }
        return rank(itemVector(item), 0, k, List.of(), item);
    }

    private List<ScoredItem> rank(
            float[] source, int offset, int k, Collection<String> excluded, int cosineOf) {
        checkK(k);
        BitSet skip = new BitSet(itemIds.length);
        for (String id : excluded) {
            Integer item = itemIndex.get(id);
            if (item != null) {
                skip.set(item);
            }
        }
        if (cosineOf >= 0) {
            skip.set(cosineOf);
        }
        float sourceNorm = cosineOf >= 0 ? itemNorms[cosineOf] : 1;
        int items = itemIds.length;
        float[] all = new float[items];
        // Four factor columns per pass: a quarter of the passes over the scores, each still one
        // vectorizable loop.
        int f = 0;
        for (; f + 3 < factors; f += 4) {
            float w0 = source[offset + f];
            float w1 = source[offset + f + 1];
            float w2 = source[offset + f + 2];
            float w3 = source[offset + f + 3];
            int c0 = f * items;
            int c1 = c0 + items;
            int c2 = c1 + items;
            int c3 = c2 + items;
            for (int item = 0; item < items; item++) {
                all[item] +=
                        w0 * itemColumns[c0 + item]
                                + w1 * itemColumns[c1 + item]
                                + w2 * itemColumns[c2 + item]
                                + w3 * itemColumns[c3 + item];
            }
        }
        for (; f < factors; f++) {
            float weight = source[offset + f];
            int column = f * items;
            for (int item = 0; item < items; item++) {
                all[item] += weight * itemColumns[column + item];
            }
        }
        int capacity = Math.min(k, itemIds.length);
        TopK top = new TopK(capacity);
        for (int item = 0; item < itemIds.length; item++) {
            if (skip.get(item)) {
                continue;
            }
            float score = all[item];
            if (cosineOf >= 0) {
                float norms = sourceNorm * itemNorms[item];
                score = norms > 0 ? score / norms : 0;
            }
            top.offer(item, score);
        }
        int[] order = new int[capacity];
        float[] scores = new float[capacity];
        int count = top.drain(order, scores);
        List<ScoredItem> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(new ScoredItem(itemIds[order[i]], scores[i], null));
        }
        return result;
    }

    private static void checkK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative, was " + k);
        }
    }

    /** An estimate of the heap this model holds: vectors, id strings and their indexes. */
    public long memoryBytes() {
        long bytes =
                4L
                        * (userFactors.length
                                + itemColumns.length
                                + itemUnitRows.length
                                + itemNorms.length);
        bytes += 8L * itemGram.length;
        for (String id : userIds) {
            bytes += idBytes(id);
        }
        for (String id : itemIds) {
            bytes += idBytes(id);
        }
        return bytes + 16L * 16; // arrays' and fields' headers
    }

    private static long idBytes(String id) {
        // String + byte[] (~56 + length), array slot, HashMap node + table slot (~48).
        return 56L + id.length() + 4 + 48;
    }

    /**
     * The artifact: "HALS", version, factors, lambda, alpha, whether lambda is scaled, counts, ids
     * as length-prefixed UTF-8, then the user and item vectors as big-endian floats.
     */
    public byte[] toBytes() {
        boolean ials = unobservedWeight > 0;
        long size = 4 + 4 + 4 + 8 + 8 + 1 + (ials ? 8 : 0) + 4 + 4;
        for (String id : userIds) {
            size += 4 + id.length();
        }
        for (String id : itemIds) {
            size += 4 + id.length();
        }
        size += 4L * (userFactors.length + itemColumns.length);
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("model too large for one artifact: " + size);
        }
        return ArtifactCodec.write(false, (int) size, this::write);
    }

    /**
     * Writes the artifact {@link #toBytes()} makes to {@code out}, and closes it: for the model
     * store, which stores it as it comes, so a model is never held beside a copy of it as bytes,
     * nor limited to a byte array's 2 GiB.
     */
    public void writeTo(java.io.OutputStream out) throws java.io.IOException {
        ArtifactCodec.write(out, false, this::write);
    }

    private void write(ArtifactCodec.Writer out) throws java.io.IOException {
        boolean ials = unobservedWeight > 0;
        out.writeInt(MAGIC);
        out.writeInt(ials ? VERSION_IALS : VERSION);
        out.writeInt(factors);
        out.writeDouble(regularization);
        out.writeDouble(alpha);
        out.writeByte(scaledRegularization ? 1 : 0);
        if (ials) {
            out.writeDouble(unobservedWeight);
        }
        out.writeInt(userIds.length);
        out.writeInt(itemIds.length);
        for (String id : userIds) {
            out.writeUtf8(id);
        }
        for (String id : itemIds) {
            out.writeUtf8(id);
        }
        out.writeFloatsRaw(userFactors);
        out.writeFloatsRaw(itemRows());
    }

    /** Reads an artifact written by {@link #toBytes()}. */
    public static AlsModel fromBytes(byte[] bytes) {
        return ArtifactCodec.read(bytes, false, "ALS", AlsModel::read);
    }

    /** As {@link #fromBytes}, from a stream of the artifact's {@code size} bytes. */
    public static AlsModel fromStream(java.io.InputStream in, long size) {
        return ArtifactCodec.read(in, size, false, "ALS", AlsModel::read);
    }

    private static AlsModel read(ArtifactCodec.Reader in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IllegalArgumentException("not an ALS model artifact");
        }
        int version = in.readInt();
        if (version != VERSION && version != VERSION_IALS) {
            throw new IllegalArgumentException("unknown ALS artifact version " + version);
        }
        int factors = in.readInt();
        double regularization = in.readDouble();
        double alpha = in.readDouble();
        byte scaled = in.readByte();
        double unobservedWeight = version == VERSION_IALS ? in.readDouble() : 0;
        int users = in.readInt();
        int items = in.readInt();
        if (factors < 1
                || users < 0
                || items < 0
                || (scaled != 0 && scaled != 1)
                || !(unobservedWeight >= 0)
                || (version == VERSION_IALS && !(unobservedWeight > 0))) {
            throw new IllegalArgumentException("corrupt ALS artifact header");
        }
        String[] userIds = readIds(in, users);
        String[] itemIds = readIds(in, items);
        long floats = (long) (users + items) * factors;
        if (in.remaining() != floats * 4) {
            throw new IllegalArgumentException(
                    "corrupt ALS artifact: "
                            + in.remaining()
                            + " bytes of vectors, expected "
                            + floats * 4);
        }
        float[] userFactors = in.readFloatsRaw(users * factors);
        float[] itemFactors = in.readFloatsRaw(items * factors);
        return new AlsModel(
                userIds,
                itemIds,
                factors,
                regularization,
                alpha,
                scaled == 1,
                unobservedWeight,
                userFactors,
                itemFactors);
    }

    private static String[] readIds(ArtifactCodec.Reader in, int count) throws IOException {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = in.readUtf8();
        }
        return ids;
    }
}
