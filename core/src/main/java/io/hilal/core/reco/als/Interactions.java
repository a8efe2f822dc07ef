package io.hilal.core.reco.als;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Customer × product interaction weights as two compressed sparse row matrices, one by customer and
 * one by product, which is what each half of an ALS sweep reads. Ids are sorted, so the same
 * interactions give the same matrix whatever order they were added in; repeated pairs are summed.
 * Build one with {@link #builder()}.
 */
public final class Interactions {
    private final String[] userIds;
    private final String[] itemIds;
    private final int[] userPointers;
    private final int[] userItems;
    private final float[] userWeights;
    private final int[] itemPointers;
    private final int[] itemUsers;
    private final float[] itemWeights;

    private Interactions(
            String[] userIds,
            String[] itemIds,
            int[] userPointers,
            int[] userItems,
            float[] userWeights) {
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.userPointers = userPointers;
        this.userItems = userItems;
        this.userWeights = userWeights;
        int nnz = userItems.length;
        itemPointers = new int[itemIds.length + 1];
        for (int item : userItems) {
            itemPointers[item + 1]++;
        }
        for (int i = 0; i < itemIds.length; i++) {
            itemPointers[i + 1] += itemPointers[i];
        }
        itemUsers = new int[nnz];
        itemWeights = new float[nnz];
        int[] next = Arrays.copyOf(itemPointers, itemIds.length);
        for (int user = 0; user < userIds.length; user++) {
            for (int at = userPointers[user]; at < userPointers[user + 1]; at++) {
                int slot = next[userItems[at]]++;
                itemUsers[slot] = user;
                itemWeights[slot] = userWeights[at];
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public int userCount() {
        return userIds.length;
    }

    public int itemCount() {
        return itemIds.length;
    }

    /** Distinct (customer, product) pairs. */
    public int size() {
        return userItems.length;
    }

    public List<String> userIds() {
        return Collections.unmodifiableList(Arrays.asList(userIds));
    }

    public List<String> itemIds() {
        return Collections.unmodifiableList(Arrays.asList(itemIds));
    }

    /** Receives one (customer, product) pair by the indexes of its ids, with its summed weight. */
    @FunctionalInterface
    public interface PairVisitor {
        void visit(int user, int item, float weight);
    }

    /**
     * Visits every pair, customer by customer, as indexes into {@link #userIds()} and {@link
     * #itemIds()}: how a trainer outside this JVM gets the matrix without its internals.
     */
    public void forEachPair(PairVisitor visitor) {
        for (int user = 0; user < userIds.length; user++) {
            for (int at = userPointers[user]; at < userPointers[user + 1]; at++) {
                visitor.visit(user, userItems[at], userWeights[at]);
            }
        }
    }

    String[] userIdArray() {
        return userIds;
    }

    String[] itemIdArray() {
        return itemIds;
    }

    int[] userPointers() {
        return userPointers;
    }

    int[] userItems() {
        return userItems;
    }

    float[] userWeights() {
        return userWeights;
    }

    int[] itemPointers() {
        return itemPointers;
    }

    int[] itemUsers() {
        return itemUsers;
    }

    float[] itemWeights() {
        return itemWeights;
    }

    /**
     * Collects (customer, product, weight) triples. A weight is how strongly the pair was observed
     * (purchase count, quantity, rating); it must be positive and finite.
     */
    public static final class Builder {
        private final Map<String, Integer> users = new HashMap<>();
        private final Map<String, Integer> items = new HashMap<>();
        private int[] userOf = new int[1024];
        private int[] itemOf = new int[1024];
        private float[] weightOf = new float[1024];
        private int size;

        private Builder() {}

        public Builder add(String customerId, String productId, double weight) {
            if (customerId == null || productId == null) {
                throw new IllegalArgumentException("customerId and productId must not be null");
            }
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException(
                        "weight must be positive and finite, was "
                                + weight
                                + " for ("
                                + customerId
                                + ", "
                                + productId
                                + ")");
            }
            if (size == userOf.length) {
                int capacity = Math.max(size * 2, 1024);
                userOf = Arrays.copyOf(userOf, capacity);
                itemOf = Arrays.copyOf(itemOf, capacity);
                weightOf = Arrays.copyOf(weightOf, capacity);
            }
            userOf[size] = users.computeIfAbsent(customerId, id -> users.size());
            itemOf[size] = items.computeIfAbsent(productId, id -> items.size());
            weightOf[size] = (float) weight;
            size++;
            return this;
        }

        public Interactions build() {
            String[] userIds = sortedIds(users);
            String[] itemIds = sortedIds(items);
            int[] userRank = ranks(users, userIds);
            int[] itemRank = ranks(items, itemIds);

            // Counting sort by user, then each row by item with its repeats summed.
            int[] pointers = new int[userIds.length + 1];
            for (int i = 0; i < size; i++) {
                pointers[userRank[userOf[i]] + 1]++;
            }
            for (int u = 0; u < userIds.length; u++) {
                pointers[u + 1] += pointers[u];
            }
            long[] keyed = new long[size];
            int[] next = Arrays.copyOf(pointers, userIds.length);
            for (int i = 0; i < size; i++) {
                keyed[next[userRank[userOf[i]]]++] = ((long) itemRank[itemOf[i]] << 32) | i;
            }
            int[] rowItems = new int[size];
            float[] rowWeights = new float[size];
            int[] rowPointers = new int[userIds.length + 1];
            int out = 0;
            for (int u = 0; u < userIds.length; u++) {
                Arrays.sort(keyed, pointers[u], pointers[u + 1]);
                int previous = -1;
                for (int at = pointers[u]; at < pointers[u + 1]; at++) {
                    int item = (int) (keyed[at] >>> 32);
                    float weight = weightOf[(int) keyed[at]];
                    if (item == previous) {
                        rowWeights[out - 1] += weight;
                    } else {
                        rowItems[out] = item;
                        rowWeights[out] = weight;
                        out++;
                        previous = item;
                    }
                }
                rowPointers[u + 1] = out;
            }
            return new Interactions(
                    userIds,
                    itemIds,
                    rowPointers,
                    Arrays.copyOf(rowItems, out),
                    Arrays.copyOf(rowWeights, out));
        }

        private static String[] sortedIds(Map<String, Integer> index) {
            String[] ids = index.keySet().toArray(String[]::new);
            Arrays.sort(ids);
            return ids;
        }

        private static int[] ranks(Map<String, Integer> index, String[] sorted) {
            int[] rank = new int[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                rank[index.get(sorted[i])] = i;
            }
            return rank;
        }
    }
}
