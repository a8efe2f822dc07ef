package io.hilal.core.reco.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.reco.Purchase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {
    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    /** Others buy every product early on, so whatever a customer holds out can be found. */
    private static List<Purchase> withOthers(List<Purchase> customer) {
        List<Purchase> purchases = new ArrayList<>(customer);
        for (int product = 0; product < 12; product++) {
            purchases.add(line("other", "p" + product, 0));
        }
        purchases.add(line("other", "p0", 1));
        return purchases;
    }

    @Test
    void aCustomerWithTwoOrdersHoldsOutTheNewest() {
        ValidationSplit split =
                ValidationSplit.of(withOthers(List.of(line("c", "p1", 0), line("c", "p2", 30))));

        assertThat(split.owned().get("c")).containsExactly("p1");
        assertThat(split.held().get("c")).containsExactly("p2");
        assertThat(split.fit()).contains(line("c", "p1", 0)).doesNotContain(line("c", "p2", 30));
    }

    @Test
    void aCustomerWhoseShareReachesBackToTheirFirstMomentHoldsOutTheNewestMoment() {
        // Ten lines, nine of them in one first order: the newest two lines reach into that order.
        List<Purchase> customer = new ArrayList<>();
        for (int product = 1; product <= 9; product++) {
            customer.add(line("c", "p" + product, 0));
        }
        customer.add(line("c", "p10", 30));

        ValidationSplit split = ValidationSplit.of(withOthers(customer));

        assertThat(split.owned().get("c")).hasSize(9).doesNotContain("p10");
        assertThat(split.held().get("c")).containsExactly("p10");
    }

    @Test
    void aCustomerWhosePurchasesAreAllAtOneMomentIsNotValidatedAndKeepsThemForFitting() {
        List<Purchase> customer = List.of(line("c", "p1", 0), line("c", "p2", 0));

        ValidationSplit split = ValidationSplit.of(withOthers(customer));

        assertThat(split.owned()).doesNotContainKey("c");
        assertThat(split.held()).doesNotContainKey("c");
        assertThat(split.fit()).containsAll(customer);
        assertThat(ValidationSplit.customer("c", customer, true).validated()).isFalse();
    }

    @Test
    void aCustomerWithTenLinesKeepsTheShareSplitNewestFifthHeldOut() {
        List<Purchase> customer = new ArrayList<>();
        for (int day = 0; day < 10; day++) {
            customer.add(line("c", "p" + day, day));
        }

        ValidationSplit split = ValidationSplit.of(withOthers(customer));

        assertThat(split.owned().get("c"))
                .containsExactlyInAnyOrder("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7");
        assertThat(split.held().get("c")).containsExactlyInAnyOrder("p8", "p9");
    }

    @Test
    void withoutTimesACustomerWithTwoProductsHoldsOutOneAndWithOneNone() {
        ValidationSplit.CustomerPart two =
                ValidationSplit.customer(
                        "two", List.of(line("two", "a", 0), line("two", "b", 0)), false);
        ValidationSplit.CustomerPart one =
                ValidationSplit.customer("one", List.of(line("one", "a", 0)), false);
        List<Purchase> ten = new ArrayList<>();
        for (int product = 0; product < 10; product++) {
            ten.add(line("ten", "p" + product, 0));
        }
        ValidationSplit.CustomerPart tenth = ValidationSplit.customer("ten", ten, false);

        assertThat(two.validated()).isTrue();
        assertThat(two.held()).hasSize(1).isSubsetOf("a", "b");
        assertThat(two.owned()).hasSize(1).doesNotContainAnyElementsOf(two.held());
        assertThat(one.owned()).containsExactly("a");
        assertThat(one.held()).isEmpty();
        // Ten products: the share, two of them, as before.
        assertThat(tenth.held()).hasSize(2);
        assertThat(tenth.fit()).hasSize(8);
    }

    @Test
    void eachCustomersPartIsTheirShareOfTheWholeSplit() {
        List<Purchase> purchases = new ArrayList<>();
        for (int customer = 0; customer < 12; customer++) {
            for (int line = 0; line <= customer; line++) {
                // Some lines share a day: customer 6's 7 lines fall on 4 days.
                purchases.add(line("c" + customer, "p" + (customer + line) % 12, line / 2));
            }
        }
        ValidationSplit split = ValidationSplit.of(purchases);

        Map<String, List<Purchase>> byCustomer = new LinkedHashMap<>();
        purchases.forEach(
                p -> byCustomer.computeIfAbsent(p.customerId(), c -> new ArrayList<>()).add(p));
        Set<String> known = new HashSet<>();
        split.fit().forEach(p -> known.add(p.productId()));
        List<Purchase> fit = new ArrayList<>();
        Map<String, Set<String>> owned = new HashMap<>();
        Map<String, Set<String>> held = new HashMap<>();
        byCustomer.forEach(
                (customer, lines) -> {
                    ValidationSplit.CustomerPart part =
                            ValidationSplit.customer(customer, lines, true);
                    fit.addAll(part.fit());
                    if (part.validated()) {
                        owned.put(customer, part.owned());
                        Set<String> found = new HashSet<>(part.held());
                        found.retainAll(known);
                        if (!found.isEmpty()) {
                            held.put(customer, found);
                        }
                    }
                });

        assertThat(fit).containsExactlyInAnyOrderElementsOf(split.fit());
        assertThat(owned).isEqualTo(split.owned());
        assertThat(held).isEqualTo(split.held());
        // Every customer from two days of purchases on is validated: c0 and c1 bought on one day.
        assertThat(split.owned().keySet()).hasSize(10).doesNotContain("c0", "c1");
    }

    private static Purchase line(String customer, String product, int day) {
        return new Purchase(
                customer, product, customer + "-" + day, 1, START.plus(day, ChronoUnit.DAYS));
    }
}
