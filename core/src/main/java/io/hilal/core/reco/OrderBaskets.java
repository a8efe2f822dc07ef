package io.hilal.core.reco;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Each order's products (a customer's order id naming one basket), in the order the orders first
 * appear, as {@link NeighbourTrainer} reads baskets: held as numbers, a basket number a line and
 * one product number a line, where a map of one set a basket held some 250 bytes an order. Each
 * basket's set is made as it is read, its products added in the order of its lines, so it is the
 * set the map held.
 */
final class OrderBaskets implements Iterable<Set<String>> {
    private final PurchaseLines lines;
    private LongIntMap numbers = new LongIntMap();
    private int[] lineOf = new int[16];
    private int[] basketOf = new int[16];
    private int count;
    private int baskets;
    private int[] start;
    private int[] products;

    OrderBaskets(PurchaseLines lines) {
        this.lines = lines;
    }

    /** Puts line {@code line} of the list into its order's basket. */
    void add(int line) {
        if (count == lineOf.length) {
            lineOf = Arrays.copyOf(lineOf, count + (count >> 1));
            basketOf = Arrays.copyOf(basketOf, count + (count >> 1));
        }
        long order = ((long) lines.customerIndex(line) << 32) | lines.orderIndex(line);
        int basket = numbers.get(order);
        if (basket < 0) {
            basket = baskets++;
            numbers.put(order, basket);
        }
        lineOf[count] = line;
        basketOf[count] = basket;
        count++;
    }

    @Override
    public Iterator<Set<String>> iterator() {
        if (start == null) {
            group();
        }
        return new Iterator<>() {
            private int basket;

            @Override
            public boolean hasNext() {
                return basket < baskets;
            }

            @Override
            public Set<String> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Set<String> items = new HashSet<>();
                for (int i = start[basket]; i < start[basket + 1]; i++) {
                    items.add(lines.productId(products[i]));
                }
                basket++;
                return items;
            }
        };
    }

    /** Lays the lines out basket by basket, each basket's in the order they were added. */
    private void group() {
        start = new int[baskets + 1];
        for (int i = 0; i < count; i++) {
            start[basketOf[i] + 1]++;
        }
        for (int b = 0; b < baskets; b++) {
            start[b + 1] += start[b];
        }
        int[] next = Arrays.copyOf(start, baskets);
        products = new int[count];
        for (int i = 0; i < count; i++) {
            products[next[basketOf[i]]++] = lines.productIndex(lineOf[i]);
        }
        numbers = null;
        lineOf = null;
        basketOf = null;
    }

    /** A map from long keys to non-negative ints, in two arrays (open addressing). */
    private static final class LongIntMap {
        private long[] keys = new long[64];
        private int[] values = new int[64];
        private int size;

        int get(long key) {
            for (int slot = slot(key, keys.length); ; slot = (slot + 1) & (keys.length - 1)) {
                if (values[slot] == 0) {
                    return -1;
                }
                if (keys[slot] == key) {
                    return values[slot] - 1;
                }
            }
        }

        void put(long key, int value) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            insert(key, value + 1);
            size++;
        }

        private void insert(long key, int stored) {
            int slot = slot(key, keys.length);
            while (values[slot] != 0 && keys[slot] != key) {
                slot = (slot + 1) & (keys.length - 1);
            }
            keys[slot] = key;
            values[slot] = stored;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] != 0) {
                    insert(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int slot(long key, int length) {
            long mixed = key * 0x9E3779B97F4A7C15L;
            return (int) (mixed >>> 32) & (length - 1);
        }
    }
}
