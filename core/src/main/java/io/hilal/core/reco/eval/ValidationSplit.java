package io.hilal.core.reco.eval;

import io.hilal.core.reco.Purchase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validation split carved from training data alone, so settings and models are chosen without the
 * test split: each customer's newest {@link #SHARE} of purchases (by time; purchases at the same
 * moment stay together) are held out, and what they bought there that they had not bought before,
 * of the products seen in the rest, is what a discovery model should find.
 *
 * @param fit the purchases to train on
 * @param owned each validated customer's products in {@code fit}
 * @param held each validated customer's new products in the held-out part
 * @param byTime whether the newest purchases were held out; when every purchase carries the same
 *     time (a log without times) a seeded random {@link #SHARE} of each customer's products is held
 *     out instead
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
        products.forEach(
                (customer, own) -> {
                    List<String> shuffled = new ArrayList<>(own);
                    java.util.Collections.sort(shuffled);
                    java.util.Collections.shuffle(
                            shuffled, new java.util.Random(SEED * 31 + customer.hashCode()));
                    int holdOut = (int) Math.floor(shuffled.size() * SHARE);
                    heldOut.put(customer, new HashSet<>(shuffled.subList(0, holdOut)));
                });
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
                    purchases.sort(Comparator.comparing(Purchase::at));
                    int holdOut = (int) Math.floor(purchases.size() * SHARE);
                    java.time.Instant cutoff =
                            holdOut == 0 ? null : purchases.get(purchases.size() - holdOut).at();
                    Set<String> own = new HashSet<>();
                    Set<String> later = new HashSet<>();
                    for (Purchase purchase : purchases) {
                        if (cutoff == null || purchase.at().isBefore(cutoff)) {
                            fit.add(purchase);
                            own.add(purchase.productId());
                        } else {
                            later.add(purchase.productId());
                        }
                    }
                    if (own.isEmpty()) {
                        // Everything at one time: keep it all for fitting, validate nothing.
                        fit.addAll(purchases);
                        return;
                    }
                    owned.put(customer, own);
                    later.removeAll(own);
                    if (!later.isEmpty()) {
                        held.put(customer, later);
                    }
                });
        return known(fit, owned, held, true);
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

    /** What was held out, for the stored reason of a choice: "each customer's newest 20%…". */
    public String describe() {
        return describe(byTime);
    }

    /** {@link #describe()} of a split held out by time or at random. */
    public static String describe(boolean byTime) {
        long percent = Math.round(SHARE * 100);
        return byTime
                ? "each customer's newest " + percent + "% of purchases"
                : "a random "
                        + percent
                        + "% of each customer's products (the purchases carry no times)";
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
