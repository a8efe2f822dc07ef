package io.hilal.core.reco;

import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.function.Predicate;

/**
 * Purchase lines held in columns: each line is four ints and a long (customer, product and order as
 * indices into one copy of each distinct id, quantity, epoch second) and the nanoseconds, about 28
 * bytes a line where a {@link Purchase} with its own id strings and {@link Instant} took about 200
 * (SCALING.md, "Spark trainer"). Read as an ordinary immutable list: {@link #get} makes the line's
 * {@link Purchase}, equal to the one that was added, for callers to use and drop.
 */
public final class PurchaseLines extends AbstractList<Purchase> implements RandomAccess {
    private final String[] customers;
    private final String[] products;
    private final String[] orders;
    private final int size;
    private final int[] customer;
    private final int[] product;
    private final int[] order;
    private final int[] quantity;
    private final long[] second;
    private final int[] nano;

    private PurchaseLines(Builder from, int size) {
        this.customers = from.customers.ids();
        this.products = from.products.ids();
        this.orders = from.orders.ids();
        this.size = size;
        this.customer = Arrays.copyOf(from.customer, size);
        this.product = Arrays.copyOf(from.product, size);
        this.order = Arrays.copyOf(from.order, size);
        this.quantity = Arrays.copyOf(from.quantity, size);
        this.second = Arrays.copyOf(from.second, size);
        this.nano = Arrays.copyOf(from.nano, size);
    }

    private PurchaseLines(PurchaseLines from, int[] kept) {
        this.customers = from.customers;
        this.products = from.products;
        this.orders = from.orders;
        this.size = kept.length;
        this.customer = new int[size];
        this.product = new int[size];
        this.order = new int[size];
        this.quantity = new int[size];
        this.second = new long[size];
        this.nano = new int[size];
        for (int i = 0; i < size; i++) {
            int line = kept[i];
            customer[i] = from.customer[line];
            product[i] = from.product[line];
            order[i] = from.order[line];
            quantity[i] = from.quantity[line];
            second[i] = from.second[line];
            nano[i] = from.nano[line];
        }
    }

    /** {@code purchases} held compactly, in the same order. */
    public static PurchaseLines of(List<Purchase> purchases) {
        if (purchases instanceof PurchaseLines lines) {
            return lines;
        }
        Builder builder = new Builder();
        purchases.forEach(builder::add);
        return builder.build();
    }

    @Override
    public Purchase get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return new Purchase(
                customers[customer[index]],
                products[product[index]],
                orders[order[index]],
                quantity[index],
                Instant.ofEpochSecond(second[index], nano[index]));
    }

    @Override
    public int size() {
        return size;
    }

    /** Line {@code index}'s customer, as a number among this list's customers. */
    int customerIndex(int index) {
        return customer[index];
    }

    /** Line {@code index}'s order, as a number among this list's order ids. */
    int orderIndex(int index) {
        return order[index];
    }

    /** Line {@code index}'s product, as a number among this list's products. */
    int productIndex(int index) {
        return product[index];
    }

    /** Line {@code index}'s time. */
    Instant at(int index) {
        return Instant.ofEpochSecond(second[index], nano[index]);
    }

    /** The product numbered {@code product}. */
    String productId(int product) {
        return products[product];
    }

    /** The lines {@code keep} accepts, in order, sharing this list's ids. */
    public PurchaseLines filter(Predicate<Purchase> keep) {
        int[] kept = new int[size];
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (keep.test(get(i))) {
                kept[count++] = i;
            }
        }
        return new PurchaseLines(this, Arrays.copyOf(kept, count));
    }

    /** Adds lines one at a time; a line's quantity can still be lowered until {@link #build}. */
    static final class Builder {
        private final Ids customers = new Ids();
        private final Ids products = new Ids();
        private final Ids orders = new Ids();
        private int size;
        private int[] customer = new int[16];
        private int[] product = new int[16];
        private int[] order = new int[16];
        private int[] quantity = new int[16];
        private long[] second = new long[16];
        private int[] nano = new int[16];

        /** Adds {@code purchase}; returns its index. */
        int add(Purchase purchase) {
            if (size == customer.length) {
                int grown = size + (size >> 1);
                customer = Arrays.copyOf(customer, grown);
                product = Arrays.copyOf(product, grown);
                order = Arrays.copyOf(order, grown);
                quantity = Arrays.copyOf(quantity, grown);
                second = Arrays.copyOf(second, grown);
                nano = Arrays.copyOf(nano, grown);
            }
            customer[size] = customers.index(purchase.customerId());
            product[size] = products.index(purchase.productId());
            order[size] = orders.index(purchase.orderId());
            quantity[size] = purchase.quantity();
            second[size] = purchase.at().getEpochSecond();
            nano[size] = purchase.at().getNano();
            return size++;
        }

        int size() {
            return size;
        }

        int customer(int index) {
            return customer[index];
        }

        int product(int index) {
            return product[index];
        }

        int quantity(int index) {
            return quantity[index];
        }

        void setQuantity(int index, int value) {
            quantity[index] = value;
        }

        /** The index of {@code customerId}, or -1 when no line names it. */
        int customerIndex(String customerId) {
            return customers.find(customerId);
        }

        /** The index of {@code productId}, or -1 when no line names it. */
        int productIndex(String productId) {
            return products.find(productId);
        }

        /**
         * The lines added, without those whose quantity was set to zero or less (dropped here too:
         * the builder takes no more lines after).
         */
        PurchaseLines build() {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (quantity[i] > 0) {
                    customer[kept] = customer[i];
                    product[kept] = product[i];
                    order[kept] = order[i];
                    quantity[kept] = quantity[i];
                    second[kept] = second[i];
                    nano[kept] = nano[i];
                    kept++;
                }
            }
            size = kept;
            return new PurchaseLines(this, kept);
        }
    }

    /** One copy of each distinct id, numbered in the order first seen. */
    private static final class Ids {
        private final Map<String, Integer> index = new HashMap<>();
        private String[] ids = new String[16];

        int index(String id) {
            Integer known = index.get(id);
            if (known != null) {
                return known;
            }
            int next = index.size();
            if (next == ids.length) {
                ids = Arrays.copyOf(ids, next + (next >> 1));
            }
            ids[next] = id;
            index.put(id, next);
            return next;
        }

        int find(String id) {
            Integer known = index.get(id);
            return known == null ? -1 : known;
        }

        String[] ids() {
            return Arrays.copyOf(ids, index.size());
        }
    }
}
