package io.hilal.core.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderCreditTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** A list served at minute {@code minute}: "p1:A p2:B" means p1 from team A, p2 from B. */
    private static ImpressionDao.Impression shown(String customer, int minute, String picks) {
        List<String> products = new ArrayList<>();
        StringBuilder teams = new StringBuilder();
        for (String pick : picks.split(" ")) {
            products.add(pick.split(":")[0]);
            teams.append(pick.split(":")[1]);
        }
        return new ImpressionDao.Impression(
                "imp_" + customer + minute,
                "exp_1",
                "I",
                customer,
                T0.plusSeconds(60L * minute),
                String.join("\t", products),
                teams.toString());
    }

    /** Lines "order/product@minute". */
    private static List<OrderCredit.Line> lines(String spec) {
        List<OrderCredit.Line> lines = new ArrayList<>();
        if (spec.isEmpty()) {
            return lines;
        }
        for (String line : spec.split(" ")) {
            String[] parts = line.split("[/@]");
            lines.add(
                    new OrderCredit.Line(
                            parts[0], parts[1], T0.plusSeconds(60L * Integer.parseInt(parts[2]))));
        }
        return lines;
    }

    static Stream<Arguments> cases() {
        List<ImpressionDao.Impression> one = List.of(shown("c", 0, "p1:A p2:B p3:A"));
        List<ImpressionDao.Impression> swapped =
                List.of(shown("c", 0, "p1:A p2:B"), shown("c", 10, "p1:B p2:A"));
        return Stream.of(
                Arguments.of("a product from A's team", one, "o1/p1@5", 1, 0),
                Arguments.of("a product from B's team", one, "o1/p2@5", 0, 1),
                Arguments.of(
                        "two of A's products in one order count once",
                        one,
                        "o1/p1@5 o1/p3@5",
                        1,
                        0),
                Arguments.of(
                        "one order with each team's product counts for both",
                        one,
                        "o1/p1@5 o1/p2@5",
                        1,
                        1),
                Arguments.of("two orders count twice", one, "o1/p1@5 o2/p3@6", 2, 0),
                Arguments.of("a product no list showed earns nothing", one, "o1/p9@5", 0, 0),
                Arguments.of("an order before any list earns nothing", one, "o1/p1@-1", 0, 0),
                Arguments.of("no orders", one, "", 0, 0),
                Arguments.of("the latest list before the order decides", swapped, "o1/p1@11", 0, 1),
                Arguments.of("a list served after the order does not", swapped, "o1/p1@9", 1, 0),
                Arguments.of(
                        "a later list without the product leaves the earlier one's credit",
                        List.of(shown("c", 0, "p1:B"), shown("c", 10, "p2:A")),
                        "o1/p1@11",
                        0,
                        1),
                Arguments.of(
                        "lists arrive in any order",
                        List.of(swapped.get(1), swapped.get(0)),
                        "o1/p1@11",
                        0,
                        1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void creditsEachOrderToTheTeamThatShowedItsProducts(
            String name,
            List<ImpressionDao.Impression> shown,
            String lines,
            long ordersA,
            long ordersB) {
        assertThat(OrderCredit.credit(shown, lines(lines)))
                .isEqualTo(new OrderCredit.Credit(ordersA, ordersB));
    }

    @Test
    void creditsEachCustomerThroughTheirOwnListsOnly() {
        List<ImpressionDao.Impression> shown =
                List.of(shown("ann", 0, "p1:A"), shown("bob", 0, "p1:B"));

        Map<String, OrderCredit.Credit> credits =
                OrderCredit.byCustomer(
                        shown,
                        Map.of(
                                "ann", lines("o1/p1@5"),
                                "bob", lines("o2/p1@5"),
                                "cat", lines("o3/p1@5")));

        assertThat(credits)
                .containsEntry("ann", new OrderCredit.Credit(1, 0))
                .containsEntry("bob", new OrderCredit.Credit(0, 1))
                .containsEntry("cat", OrderCredit.Credit.NONE);
    }
}
