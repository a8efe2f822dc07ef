package io.hilal.core.campaigns;

import io.hilal.core.events.EventType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntPredicate;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads when a tenant's customers opened and clicked emails and placed orders over the past year,
 * in each customer's local hour, and fits {@link BestHours} on it: the tenant's and every time
 * zone's pattern come from all its customers, not only a campaign's audience.
 */
public final class ActivityHours {
    static final Duration LOOKBACK = Duration.ofDays(365);

    private final Jdbi jdbi;

    public ActivityHours(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The fitted model and each active customer's hours. */
    public record Learned(BestHours model, Map<String, BestHours.Activity> customers) {
        /** A customer's best hour among those allowed; one without activity gets their zone's. */
        public OptionalInt bestHour(String customerId, ZoneId zone, IntPredicate allowed) {
            BestHours.Activity activity = customers.get(customerId);
            if (activity == null) {
                activity = new BestHours.Activity(zone.getId(), new int[BestHours.HOURS]);
            }
            return model.bestHour(activity, allowed);
        }
    }

    public Learned learn(String tenantId, ZoneId tenantZone, Instant now) {
        Map<String, BestHours.Activity> customers = new HashMap<>();
        // One id string a time zone, shared by its customers' activities, not one each.
        Map<String, String> zoneIds = new HashMap<>();
        jdbi.useHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT e.customer_id, c.time_zone, e.occurred_at"
                                                + " FROM events e JOIN customers c"
                                                + " ON c.tenant_id = e.tenant_id"
                                                + " AND c.customer_id = e.customer_id"
                                                + " WHERE e.tenant_id = :tenantId"
                                                + " AND e.type IN (<types>)"
                                                + " AND e.occurred_at >= :since"
                                                + " AND e.occurred_at < :now")
                                .bind("tenantId", tenantId)
                                .bindList(
                                        "types",
                                        EventType.EMAIL_OPENED,
                                        EventType.EMAIL_CLICKED,
                                        EventType.ORDER_COMPLETED)
                                .bind("since", now.minus(LOOKBACK))
                                .bind("now", now)
                                // Streamed row by row (MySQL Connector/J's streaming result set),
                                // not buffered: the heap holds the customers' hours, not the rows.
                                .setFetchSize(Integer.MIN_VALUE)
                                .map(
                                        (rs, ctx) -> {
                                            String customerId = rs.getString(1);
                                            ZoneId zone =
                                                    AudienceService.zone(
                                                            rs.getString(2), tenantZone);
                                            BestHours.Activity activity =
                                                    customers.computeIfAbsent(
                                                            customerId,
                                                            id ->
                                                                    new BestHours.Activity(
                                                                            zoneIds.computeIfAbsent(
                                                                                    zone.getId(),
                                                                                    z -> z),
                                                                            new int
                                                                                    [BestHours
                                                                                            .HOURS]));
                                            BestHours.add(
                                                    activity.hours(),
                                                    // Stored as UTC wall-clock time.
                                                    rs.getObject(3, LocalDateTime.class)
                                                            .toInstant(ZoneOffset.UTC),
                                                    zone);
                                            return customerId;
                                        })
                                .forEach(id -> {}));
        return new Learned(BestHours.fit(customers.values()), customers);
    }
}
