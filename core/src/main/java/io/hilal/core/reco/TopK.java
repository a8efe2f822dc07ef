package io.hilal.core.reco;

/**
 * The {@code k} best of a stream of (item number, score) pairs, in O(n log k) time and O(k) memory:
 * a bounded min-heap whose root is the worst item kept, ready to drop when a better one arrives. A
 * higher score ranks first; on equal scores the lower item number does, so rankings are
 * deterministic whatever order items arrive in.
 */
public final class TopK {
    private final int[] items;
    private final float[] scores;
    private int size;

    public TopK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative, was " + k);
        }
        items = new int[k];
        scores = new float[k];
    }

    /** How many items are kept now: at most k. */
    public int size() {
        return size;
    }

    /** Keeps {@code item} if it ranks among the k best offered so far. */
    public void offer(int item, float score) {
        if (size < items.length) {
            siftUp(size++, item, score);
        } else if (size > 0 && worse(scores[0], items[0], score, item)) {
            siftDown(0, item, score);
        }
    }

    /**
     * Empties the heap into {@code outItems} and {@code outScores}, best first, and returns how
     * many it wrote. Both arrays must hold at least {@link #size()} entries.
     */
    public int drain(int[] outItems, float[] outScores) {
        int count = size;
        while (size > 0) {
            int last = --size;
            outItems[last] = items[0];
            outScores[last] = scores[0];
            siftDown(0, items[last], scores[last]);
        }
        return count;
    }

    /** True if (s1, i1) ranks below (s2, i2): a lower score, or an equal score and a later item. */
    private static boolean worse(float s1, int i1, float s2, int i2) {
        return s1 < s2 || (s1 == s2 && i1 > i2);
    }

    private void siftUp(int at, int item, float score) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!worse(score, item, scores[parent], items[parent])) {
                break;
            }
            items[at] = items[parent];
            scores[at] = scores[parent];
            at = parent;
        }
        items[at] = item;
        scores[at] = score;
    }

    /** Puts (item, score) at {@code at}, or below it where the heap order holds, within size. */
    private void siftDown(int at, int item, float score) {
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size
                    && worse(scores[child + 1], items[child + 1], scores[child], items[child])) {
                child++;
            }
            if (!worse(scores[child], items[child], score, item)) {
                break;
            }
            items[at] = items[child];
            scores[at] = scores[child];
            at = child;
        }
        items[at] = item;
        scores[at] = score;
    }
}
