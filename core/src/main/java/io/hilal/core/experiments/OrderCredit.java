package io.hilal.core.experiments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Team-draft credit for orders in an interleaving experiment, as clicks get it: each product a
 * customer orders is credited to the team (A or B) that contributed it to the customer's latest
 * interleaved list served before the order that showed it. An order counts once for a team however
 * many of its products that team contributed, and may count for both. Products no list showed earn
 * no credit. Pure: the caller reads impressions and order lines.
 */
public final class OrderCredit {
    private OrderCredit() {}

    /** One line of a customer's order. */
    public record Line(String orderId, String productId, Instant at) {}

    /** How many of a customer's orders hold a product each team contributed. */
    public record Credit(long ordersA, long ordersB) {
        public static final Credit NONE = new Credit(0, 0);
    }

    /**
     * The credit for one customer's {@code lines}, given the interleaved lists they were served
     * ({@code shown}, in any order; lists without teams are ignored).
     */
    public static Credit credit(List<ImpressionDao.Impression> shown, List<Line> lines) {
        List<ImpressionDao.Impression> newestFirst = new ArrayList<>();
        for (ImpressionDao.Impression impression : shown) {
            if (impression.products() != null && impression.teams() != null) {
                newestFirst.add(impression);
            }
        }
        newestFirst.sort((x, y) -> y.servedAt().compareTo(x.servedAt()));
        Set<String> creditedA = new HashSet<>();
        Set<String> creditedB = new HashSet<>();
        for (Line line : lines) {
            String team = team(newestFirst, line);
            if ("A".equals(team)) {
                creditedA.add(line.orderId());
            } else if ("B".equals(team)) {
                creditedB.add(line.orderId());
            }
        }
        return new Credit(creditedA.size(), creditedB.size());
    }

    /** Credits by customer, for lines and lists of many customers. */
    public static Map<String, Credit> byCustomer(
            List<ImpressionDao.Impression> shown, Map<String, List<Line>> linesByCustomer) {
        Map<String, List<ImpressionDao.Impression>> shownByCustomer = new HashMap<>();
        for (ImpressionDao.Impression impression : shown) {
            shownByCustomer
                    .computeIfAbsent(impression.customerId(), k -> new ArrayList<>())
                    .add(impression);
        }
        Map<String, Credit> credits = new HashMap<>();
        linesByCustomer.forEach(
                (customer, lines) ->
                        credits.put(
                                customer,
                                credit(shownByCustomer.getOrDefault(customer, List.of()), lines)));
        return credits;
    }

    private static String team(List<ImpressionDao.Impression> newestFirst, Line line) {
        for (ImpressionDao.Impression impression : newestFirst) {
            if (impression.servedAt().isAfter(line.at())) {
                continue;
            }
            String team = ImpressionAttribution.team(impression, line.productId());
            if (team != null) {
                return team;
            }
        }
        return null;
    }
}
