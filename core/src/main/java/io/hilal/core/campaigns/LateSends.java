package io.hilal.core.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * What a launch does with a send whose time has already passed, by the campaign's late policy (see
 * {@link CampaignRequest#LATE_SKIP}): nothing ({@code skip}), the same local time on the next day
 * still ahead ({@code next_day}), or now ({@code send_now}). Without this, a send planned for 10:00
 * in Riyadh launched at 15:00 would go out five hours late. A moved send keeps its validity rule
 * and is dropped if it could not go out inside it.
 */
public final class LateSends {
    private LateSends() {}

    /**
     * The slot to plan instead of {@code slot} (whose time is before {@code now}), or null for no
     * send. {@code zone} is the zone of the local time; {@code validFor} the schedule's validity
     * (null: {@code slot}'s absolute end stays).
     */
    public static SendTimes.Slot apply(
            String policy, SendTimes.Slot slot, Instant now, ZoneId zone, Duration validFor) {
        String chosen = policy == null ? CampaignRequest.LATE_SKIP : policy;
        SendTimes.Slot moved =
                switch (chosen) {
                    case CampaignRequest.LATE_SEND_NOW ->
                            new SendTimes.Slot(now, slot.validUntil());
                    case CampaignRequest.LATE_NEXT_DAY -> nextDay(slot, now, zone, validFor);
                    default -> null;
                };
        return moved == null || !moved.validUntil().isAfter(moved.sendAt()) ? null : moved;
    }

    private static SendTimes.Slot nextDay(
            SendTimes.Slot slot, Instant now, ZoneId zone, Duration validFor) {
        ZonedDateTime at = slot.sendAt().atZone(zone);
        do {
            at = at.plusDays(1);
        } while (!at.toInstant().isAfter(now));
        Instant sendAt = at.toInstant();
        return new SendTimes.Slot(
                sendAt, validFor == null ? slot.validUntil() : sendAt.plus(validFor));
    }
}
