package io.hilal.core.reco.eval;

import io.hilal.core.reco.Purchase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A validation split carved from training data alone, so settings and models are chosen without the
 * test split: each customer's newest {@link #SHARE} of purchases (by time; purchases at the same
 * moment stay together) are held out, and what they bought there that they had not bought before,
 * of the products seen in the rest, is what a discovery model should find. A customer with too few
 * purchases for that share to hold any out, but bought at two moments or more, has their newest
 * moment held out: most shops' customers have a few orders each, and a choice made on the heavy
 * buyers alone is not a choice for them.
 *
 * @param fit the purchases to train on
 * @param owned each validated customer's products in {@code fit}
 * @param held each validated customer's new products in the held-out part
 * @param byTime whether the newest purchases were held out; when every purchase carries the same
 *     time (a log without times) a seeded random {@link #SHARE} of each customer's products is held
 *     out instead (at least one of two or more)
 */
public record ValidationSplit(
        List<Purchase> fit,
        Map<String, Set<String>> owned,
        Map<String, Set<String>> held,
        boolean byTime) {
    public static final double SHARE = 0.2;

    static final long SEED = 42;

    public static ValidationSplit of(List<Purchase> train) {
        boolean untimed =
                !train.isEmpty() && train.stream().map(Purchase::at).distinct().count() == 1;
        return untimed ? random(train) : byTime(train);
    }

    /**
     * {@link #of} {@code train}, made the first time it is asked for: a tenant's training tunes
     * several models on one split, and needs none when each of them runs on a sample or not at all.
     */
    public static Supplier<ValidationSplit> once(List<Purchase> train) {
        return new Supplier<>() {
            private ValidationSplit split;

            @Override
            public synchronized ValidationSplit get() {
                if (split == null) {
                    split = of(train);
                }
                return split;
            }
        };
    }

    private static ValidationSplit random(List<Purchase> train) {
        Map<String, List<String>> products = new LinkedHashMap<>();
        for (Purchase purchase : train) {
            List<String> own =
                    products.computeIfAbsent(purchase.customerId(), c -> new ArrayList<>());
            if (!own.contains(purchase.productId())) {
                own.add(purchase.productId());
            }
        }
        Map<String, Set<String>> heldOut = new HashMap<>();
        products.forEach((customer, own) -> heldOut.put(customer, heldOutAtRandom(customer, own)));
        List<Purchase> fit = new ArrayList<>();
        Map<String, Set<String>> owned = new HashMap<>();
        Map<String, Set<String>> held = new LinkedHashMap<>();
        for (Purchase purchase : train) {
            if (heldOut.get(purchase.customerId()).contains(purchase.productId())) {
                held.computeIfAbsent(purchase.customerId(), c -> new HashSet<>())
                        .add(purchase.productId());
            } else {
                fit.add(purchase);
                owned.computeIfAbsent(purchase.customerId(), c -> new HashSet<>())
                        .add(purchase.productId());
            }
        }
        held.keySet().removeIf(customer -> !owned.containsKey(customer));
        return known(fit, owned, held, false);
    }

    private static ValidationSplit byTime(List<Purchase> train) {
        Map<String, List<Purchase>> byCustomer = new LinkedHashMap<>();
        for (Purchase purchase : train) {
            byCustomer.computeIfAbsent(purchase.customerId(), c -> new ArrayList<>()).add(purchase);
        }
        List<Purchase> fit = new ArrayList<>();
        Map<String, Set<String>> owned = new HashMap<>();
        Map<String, Set<String>> held = new LinkedHashMap<>();
        byCustomer.forEach(
                (customer, purchases) -> {
                    CustomerPart part = customer(customer, purchases, true);
                    fit.addAll(part.fit());
                    if (part.validated()) {
                        owned.put(customer, part.owned());
                        if (!part.held().isEmpty()) {
                            held.put(customer, part.held());
                        }
                    }
                });
        return known(fit, owned, held, true);
    }

    /**
     * One customer's share of a split: what {@link #of} makes of their purchases, before the
     * products no fitting purchase of anyone has are dropped from {@code held} (which needs every
     * customer's). For a caller reading a tenant customer by customer (the Spark trainer's input),
     * so a large tenant is split without all its purchases in memory.
     *
     * @param fit the customer's purchases to train on
     * @param owned their products in {@code fit}; empty when they are not validated
     * @param held their new products in the held-out part
     */
    public record CustomerPart(List<Purchase> fit, Set<String> owned, Set<String> held) {
        /** Whether the customer is scored: they have purchases to fit and a part held out. */
        public boolean validated() {
            return !owned.isEmpty();
        }
    }

    /**
     * Splits one customer's {@code purchases} (all of theirs) by time, or at random when the whole
     * data carries one time ({@code byTime} false, as {@link #of} decides for all customers).
     */
    public static CustomerPart customer(
            String customerId, List<Purchase> purchases, boolean byTime) {
        if (!byTime) {
            List<String> products = new ArrayList<>();
            for (Purchase purchase : purchases) {
                if (!products.contains(purchase.productId())) {
                    products.add(purchase.productId());
                }
            }
            Set<String> heldOut = heldOutAtRandom(customerId, products);
            List<Purchase> fit = new ArrayList<>();
            Set<String> own = new HashSet<>();
            for (Purchase purchase : purchases) {
                if (!heldOut.contains(purchase.productId())) {
                    fit.add(purchase);
                    own.add(purchase.productId());
                }
            }
            return new CustomerPart(fit, own, own.isEmpty() ? Set.of() : heldOut);
        }
        List<Purchase> sorted = new ArrayList<>(purchases);
        sorted.sort(Comparator.comparing(Purchase::at));
        Instant cutoff = cutoff(sorted);
        if (cutoff == null) {
            // Everything at one time: keep it all for fitting, validate nothing.
            return new CustomerPart(sorted, Set.of(), Set.of());
        }
        List<Purchase> fit = new ArrayList<>();
        Set<String> own = new HashSet<>();
        Set<String> later = new HashSet<>();
        for (Purchase purchase : sorted) {
            if (purchase.at().isBefore(cutoff)) {
                fit.add(purchase);
                own.add(purchase.productId());
            } else {
                later.add(purchase.productId());
            }
        }
        later.removeAll(own);
        return new CustomerPart(fit, own, later);
    }

    /**
     * The moment from which a customer's purchases ({@code sorted} by time) are held out: the
     * moment of their newest {@link #SHARE} of lines, or of their newest purchase when that share
     * is no line or reaches back to their first moment; {@code null} when all are at one moment.
     */
    private static Instant cutoff(List<Purchase> sorted) {
        if (sorted.isEmpty()) {
            return null;
        }
        Instant first = sorted.get(0).at();
        int holdOut = (int) Math.floor(sorted.size() * SHARE);
        if (holdOut > 0) {
            Instant share = sorted.get(sorted.size() - holdOut).at();
            if (share.isAfter(first)) {
                return share;
            }
        }
        Instant newest = sorted.get(sorted.size() - 1).at();
        return newest.isAfter(first) ? newest : null;
    }

    /**
     * Whom a split held out by time or at random holds no new product out for (a re-buy is not what
     * a discovery model must find).
     */
    public static String holdsNothingFor(boolean byTime) {
        return byTime
                ? "a customer whose purchases are all at one moment or whose newest are re-buys"
                : "a customer with a single product";
    }

    /**
     * The seeded random {@link #SHARE} of a customer's distinct products held out, at least one of
     * two or more.
     */
    private static Set<String> heldOutAtRandom(String customerId, List<String> products) {
        List<String> shuffled = new ArrayList<>(products);
        java.util.Collections.sort(shuffled);
        java.util.Collections.shuffle(
                shuffled, new java.util.Random(SEED * 31 + customerId.hashCode()));
        int holdOut = (int) Math.floor(shuffled.size() * SHARE);
        if (holdOut == 0 && shuffled.size() > 1) {
            holdOut = 1;
        }
        return new HashSet<>(shuffled.subList(0, holdOut));
    }

    /** Only products seen in {@code fit} can be found. */
    private static ValidationSplit known(
            List<Purchase> fit,
            Map<String, Set<String>> owned,
            Map<String, Set<String>> held,
            boolean byTime) {
        Set<String> known = new HashSet<>();
        fit.forEach(purchase -> known.add(purchase.productId()));
        held.values().forEach(items -> items.retainAll(known));
        held.values().removeIf(Set::isEmpty);
        return new ValidationSplit(fit, owned, held, byTime);
    }

    /** The same split validated on {@code scored} customers only. */
    public ValidationSplit scoring(Map<String, Set<String>> scored) {
        return new ValidationSplit(fit, owned, scored, byTime);
    }

    /**
     * What was held out, for the stored reason of a choice: "each customer's newest 20% of
     * purchases, at least the newest order of anyone with two or more".
     */
    public String describe() {
        return describe(byTime);
    }

    /** {@link #describe()} of a split held out by time or at random. */
    public static String describe(boolean byTime) {
        long percent = Math.round(SHARE * 100);
        return byTime
                ? "each customer's newest "
                        + percent
                        + "% of purchases, at least the newest order of anyone with two or more"
                : "a random "
                        + percent
                        + "% of each customer's products, at least one of anyone's two or more"
                        + " (the purchases carry no times)";
    }

    /** Each customer's distinct products in {@code fit}. */
    public Map<String, Set<String>> fitProductsByCustomer() {
        Map<String, Set<String>> products = new HashMap<>();
        fit.forEach(
                purchase ->
                        products.computeIfAbsent(purchase.customerId(), c -> new HashSet<>())
                                .add(purchase.productId()));
        return products;
    }
}
