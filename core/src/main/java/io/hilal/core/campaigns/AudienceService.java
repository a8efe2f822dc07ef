package io.hilal.core.campaigns;

import io.hilal.core.reco.RecommendationModel;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Finds a campaign's audience: customers matching every rule, always intersected with email consent
 * and the suppression list. Purchase rules read the order lines up to the moment of evaluation (so
 * a replayed history, like the demo's, never peeks ahead); the restock rule reads the
 * repeat-purchase timing of the recommendation model.
 */
public final class AudienceService {
    /** Below this the model's restock timing is a guess, not a prediction (as in the rows). */
    static final double MIN_TIMING_CONFIDENCE = 0.15;

    /** Whether customer {@code c} may be emailed at all: an address, consent, no suppression. */
    private static final String REACHABLE =
            "(c.email IS NOT NULL AND c.email_consent = 'granted' AND NOT EXISTS (SELECT 1 FROM"
                    + " suppressions s WHERE s.tenant_id = c.tenant_id AND s.email = c.email))";

    private final Jdbi jdbi;

    public AudienceService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A customer in the audience, with their effective time zone and earliest due restock. */
    public record Member(
            String customerId,
            String email,
            ZoneId zone,
            String locale,
            RecommendationModel.Timing due) {}

    /**
     * Hands each reachable member of the audience to {@code members}, in customer id order, as the
     * database streams them: the heap holds one at a time, not the audience. The consumer runs
     * while this method's connection reads, so it must not use the same connection; it may write on
     * another.
     *
     * @param tenantZone the zone of customers who have none, and of the rules' dates
     * @param dueFrom when {@code dueTo} is set, only customers with a restock due in [dueFrom,
     *     dueTo) (repeat_due schedules)
     * @param countUnreachable also count the customers who match the rules but may not be emailed
     * @return the customers who met the rules: reachable ones only, unless {@code countUnreachable}
     */
    int forEachMember(
            String tenantId,
            CampaignRequest.Audience rules,
            ZoneId tenantZone,
            Instant asOf,
            RecommendationModel model,
            Instant dueFrom,
            Instant dueTo,
            boolean countUnreachable,
            Consumer<Member> members) {
        StringBuilder sql =
                new StringBuilder(
                        "SELECT c.customer_id, c.email, c.time_zone, c.locale, "
                                + REACHABLE
                                + " AS reachable FROM customers c WHERE c.tenant_id = :tenantId");
        if (!countUnreachable) {
            sql.append(" AND ").append(REACHABLE);
        }
        CampaignRequest.Bought bought = rules.bought();
        if (bought != null) {
            sql.append(
                    " AND EXISTS (SELECT 1 FROM order_lines o JOIN products p ON p.tenant_id ="
                            + " o.tenant_id AND p.product_id = o.product_id WHERE o.tenant_id ="
                            + " c.tenant_id AND o.customer_id = c.customer_id AND o.quantity > 0"
                            + " AND o.occurred_at >= :boughtFrom AND o.occurred_at < :boughtTo");
            if (bought.category() != null) {
                sql.append(
                        " AND (p.category = :category OR p.category_path = :category"
                                + " OR p.category_path LIKE :categoryFirst"
                                + " OR p.category_path LIKE :categoryInside"
                                + " OR p.category_path LIKE :categoryLast)");
            }
            if (bought.productIds() != null && !bought.productIds().isEmpty()) {
                sql.append(" AND o.product_id IN (<productIds>)");
            }
            sql.append(")");
        }
        if (rules.lastOrderMoreThanDaysAgo() != null) {
            sql.append(
                    " AND (SELECT MAX(o.occurred_at) FROM order_lines o WHERE o.tenant_id ="
                            + " c.tenant_id AND o.customer_id = c.customer_id AND o.quantity > 0"
                            + " AND o.occurred_at <= :asOf) < :lastOrderBefore");
        }
        if (rules.spentAtLeast() != null) {
            sql.append(
                    " AND (SELECT COALESCE(SUM(o.quantity * o.unit_price), 0) FROM order_lines o"
                            + " WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.customer_id"
                            + " AND o.occurred_at <= :asOf) >= :spentAtLeast");
        }
        sql.append(" ORDER BY c.customer_id");

        int[] matching = {0};
        jdbi.useHandle(
                handle -> {
                    Query query =
                            handle.createQuery(sql.toString())
                                    .bind("tenantId", tenantId)
                                    .bind("asOf", asOf);
                    if (bought != null) {
                        query.bind(
                                "boughtFrom",
                                bought.from() == null
                                        ? Instant.EPOCH
                                        : bought.from().atStartOfDay(tenantZone).toInstant());
                        query.bind(
                                "boughtTo",
                                bought.to() == null
                                        ? asOf.plusMillis(1)
                                        : min(
                                                bought.to()
                                                        .plusDays(1)
                                                        .atStartOfDay(tenantZone)
                                                        .toInstant(),
                                                asOf.plusMillis(1)));
                        if (bought.category() != null) {
                            String category = escapeLike(bought.category());
                            query.bind("category", bought.category())
                                    .bind("categoryFirst", category + " > %")
                                    .bind("categoryInside", "% > " + category + " > %")
                                    .bind("categoryLast", "% > " + category);
                        }
                        if (bought.productIds() != null && !bought.productIds().isEmpty()) {
                            query.bindList("productIds", bought.productIds());
                        }
                    }
                    if (rules.lastOrderMoreThanDaysAgo() != null) {
                        query.bind(
                                "lastOrderBefore",
                                asOf.minus(Duration.ofDays(rules.lastOrderMoreThanDaysAgo())));
                    }
                    if (rules.spentAtLeast() != null) {
                        query.bind("spentAtLeast", rules.spentAtLeast());
                    }
                    // Streamed row by row (MySQL Connector/J's streaming result set), not
                    // buffered: a launch to millions holds one member at a time.
                    query.setFetchSize(Integer.MIN_VALUE);
                    query.map(
                                    (rs, ctx) ->
                                            new String[] {
                                                rs.getString(1),
                                                rs.getString(2),
                                                rs.getString(3),
                                                rs.getString(4),
                                                rs.getBoolean(5) ? "reachable" : null
                                            })
                            .forEach(
                                    row -> {
                                        Member member =
                                                member(
                                                        row,
                                                        rules,
                                                        tenantZone,
                                                        asOf,
                                                        model,
                                                        dueFrom,
                                                        dueTo);
                                        if (member != null) {
                                            matching[0]++;
                                            if (row[4] != null) {
                                                members.accept(member);
                                            }
                                        }
                                    });
                });
        return matching[0];
    }

    private static Member member(
            String[] row,
            CampaignRequest.Audience rules,
            ZoneId tenantZone,
            Instant asOf,
            RecommendationModel model,
            Instant dueFrom,
            Instant dueTo) {
        String customerId = row[0];
        ZoneId zone = zone(row[2], tenantZone);
        String locale = row[3];
        if (rules.locales() != null
                && !rules.locales().isEmpty()
                && !localeMatches(locale, rules.locales())) {
            return null;
        }
        if (rules.timeZones() != null
                && !rules.timeZones().isEmpty()
                && rules.timeZones().stream()
                        .noneMatch(
                                wanted ->
                                        ZoneId.of(wanted).normalized().equals(zone.normalized()))) {
            return null;
        }
        RecommendationModel.Timing due = null;
        if (rules.repeatDueWithinDays() != null) {
            due =
                    earliestDue(
                            model,
                            customerId,
                            asOf,
                            asOf.plus(Duration.ofDays(rules.repeatDueWithinDays())));
            if (due == null) {
                return null;
            }
        }
        if (dueTo != null) {
            due = earliestDue(model, customerId, dueFrom, dueTo);
            if (due == null) {
                return null;
            }
        }
        return new Member(customerId, row[1], zone, locale, due);
    }

    /** The customer's earliest repeat purchase due in [from, to), or null. */
    static RecommendationModel.Timing earliestDue(
            RecommendationModel model, String customerId, Instant from, Instant to) {
        if (model == null) {
            return null;
        }
        return model.timings(customerId).values().stream()
                .filter(timing -> !Double.isNaN(timing.gapDays()))
                .filter(timing -> timing.confidence() >= MIN_TIMING_CONFIDENCE)
                .filter(timing -> !timing.due().isBefore(from) && timing.due().isBefore(to))
                .min(
                        Comparator.comparing(RecommendationModel.Timing::due)
                                .thenComparing(RecommendationModel.Timing::productId))
                .orElse(null);
    }

    static boolean localeMatches(String locale, List<String> wanted) {
        if (locale == null) {
            return false;
        }
        String normalized = locale.replace('_', '-').toLowerCase(Locale.ROOT);
        for (String rule : wanted) {
            String prefix = rule.replace('_', '-').toLowerCase(Locale.ROOT);
            if (normalized.equals(prefix) || normalized.startsWith(prefix + "-")) {
                return true;
            }
        }
        return false;
    }

    public static ZoneId zone(String customerZone, ZoneId tenantZone) {
        if (customerZone == null) {
            return tenantZone;
        }
        try {
            return ZoneId.of(customerZone);
        } catch (java.time.DateTimeException e) {
            return tenantZone;
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
