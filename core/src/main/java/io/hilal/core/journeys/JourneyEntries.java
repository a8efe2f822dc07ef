package io.hilal.core.journeys;

import io.hilal.core.events.EventType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * When a customer enters a journey and when its email is planned: pure rules, no I/O. A customer
 * enters a journey at most once per trigger day (per lapse for win-back, per due date for restock):
 * the day is the entry's run, and the ledger's key (run, customer) makes a second entry that day a
 * no-op. An entry whose email could only go out after its validity ends is not made at all (events
 * ingested late, a history backfill), for the treated and the held-out alike.
 */
public final class JourneyEntries {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private JourneyEntries() {}

    /** A planned entry: its run, trigger, send time and validity end. */
    public record Entry(String runId, Instant triggeredAt, Instant sendAt, Instant validUntil) {}

    /** The event types that put a customer into a journey of {@code kind}. */
    public static List<String> triggers(JourneyKind kind) {
        return switch (kind) {
            case ABANDONED_CART -> List.of(EventType.PRODUCT_ADDED_TO_CART);
            case BROWSE_ABANDONMENT -> List.of(EventType.PRODUCT_VIEWED);
            case CROSS_SELL -> List.of(EventType.ORDER_COMPLETED);
            case WIN_BACK, RESTOCK_DUE -> List.of();
        };
    }

    /**
     * The event types after the trigger that take a customer out (an order always; a cart add also
     * ends browse abandonment).
     */
    public static List<String> exits(JourneyKind kind) {
        return kind == JourneyKind.BROWSE_ABANDONMENT
                ? List.of(EventType.ORDER_COMPLETED, EventType.PRODUCT_ADDED_TO_CART)
                : List.of(EventType.ORDER_COMPLETED);
    }

    /**
     * The entry of an event-triggered journey for an event that happened at {@code occurredAt} and
     * was received at {@code receivedAt}; empty when the email could no longer go out in time. A
     * client clock ahead of ours does not push the trigger past the receipt.
     */
    public static Optional<Entry> onEvent(
            Duration delay,
            Duration validFor,
            Instant occurredAt,
            Instant receivedAt,
            Instant now) {
        Instant trigger = occurredAt.isAfter(receivedAt) ? receivedAt : occurredAt;
        return entry("d" + DAY.format(trigger), trigger, trigger.plus(delay), validFor, now);
    }

    /**
     * Win-back: the last order at {@code lastOrderAt}, none since; the email {@code delay} after.
     */
    public static Optional<Entry> lapsed(
            Duration delay, Duration validFor, Instant lastOrderAt, Instant now) {
        Instant trigger = lastOrderAt.plus(delay);
        if (trigger.isAfter(now)) {
            return Optional.empty();
        }
        return entry("l" + DAY.format(lastOrderAt), trigger, trigger, validFor, now);
    }

    /**
     * Restock: a repeat purchase due at {@code due}; the email {@code lead} before it, or now if
     * that has passed. The trigger is the planning itself: an order from then on is the exit.
     */
    public static Optional<Entry> due(Duration lead, Duration validFor, Instant due, Instant now) {
        Instant sendAt = due.minus(lead);
        if (sendAt.isBefore(now)) {
            sendAt = now;
        }
        return entry("r" + DAY.format(due), now, sendAt, validFor, now);
    }

    private static Optional<Entry> entry(
            String runId, Instant trigger, Instant sendAt, Duration validFor, Instant now) {
        Instant validUntil = sendAt.plus(validFor);
        if (!validUntil.isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(new Entry(runId, trigger, sendAt, validUntil));
    }
}
