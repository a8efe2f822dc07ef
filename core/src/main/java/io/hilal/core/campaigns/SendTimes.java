package io.hilal.core.campaigns;

import io.hilal.core.calendar.IslamicHoliday;
import io.hilal.core.calendar.LocalSchedule;
import io.hilal.core.error.ConflictException;
import io.hilal.core.reco.RecommendationModel;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves a campaign's schedule into each customer's send time and validity end. Calendar dates
 * are resolved once per launch (in the tenant's time zone, "today" decides which Eid is next); the
 * local time is applied in each customer's own zone, so "Eid al-Fitr + 7 days at 10:00" is 10:00 in
 * Riyadh for a Riyadh customer and 10:00 in London for a London one.
 */
public final class SendTimes {
    private final CampaignRequest.Schedule schedule;
    private final Duration validFor;
    private final LocalDate anchorDate;
    private final LocalDate today;
    private final ZoneId fixedZone;

    /** A customer's planned send, or why they have none. */
    public record Slot(Instant sendAt, Instant validUntil) {}

    /**
     * @param today the launch date in the tenant's time zone
     * @param tenantDates the tenant's named calendar dates
     */
    public SendTimes(
            CampaignRequest definition, LocalDate today, Map<String, LocalDate> tenantDates) {
        this.schedule = definition.schedule();
        this.validFor = definition.validity();
        this.today = today;
        this.fixedZone = schedule.timeZone() == null ? null : ZoneId.of(schedule.timeZone());
        this.anchorDate =
                switch (schedule.type()) {
                    case CampaignRequest.AT -> schedule.date();
                    case CampaignRequest.ANCHOR -> anchor(schedule, today, tenantDates);
                    default -> null;
                };
    }

    /** The holiday a schedule names ("eid_al_fitr", any case), or null. */
    public static IslamicHoliday holiday(String name) {
        try {
            return IslamicHoliday.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static LocalDate anchor(
            CampaignRequest.Schedule schedule,
            LocalDate today,
            Map<String, LocalDate> tenantDates) {
        CampaignRequest.Anchor anchor = schedule.anchor();
        int offset = schedule.offsetDays() == null ? 0 : schedule.offsetDays();
        if (anchor.holiday() != null) {
            IslamicHoliday holiday = holiday(anchor.holiday());
            // The next occurrence whose send date is not yet past: a week after an Eid that was
            // three days ago is still ahead.
            return anchor.hijriYear() != null
                    ? holiday.inHijriYear(anchor.hijriYear())
                    : holiday.nextOnOrAfter(today.minusDays(offset));
        }
        if (anchor.date() != null) {
            return anchor.date();
        }
        LocalDate date = tenantDates.get(anchor.tenantDate());
        if (date == null) {
            throw new ConflictException(
                    "unknown_calendar_date",
                    "The schedule names calendar date '"
                            + anchor.tenantDate()
                            + "', which this tenant has not defined");
        }
        return date;
    }

    /** The calendar date the schedule is anchored to (null for repeat_due). */
    public LocalDate anchorDate() {
        return anchorDate;
    }

    /**
     * A customer's slot: their zone decides the instant. For repeat_due, {@code timing} is the
     * customer's earliest restock due within the window, and a customer with none gets no slot.
     */
    public Slot slot(ZoneId customerZone, RecommendationModel.Timing timing) {
        return slot(customerZone, timing, schedule.localTime());
    }

    /** {@link #slot(ZoneId, RecommendationModel.Timing)} at another local time of the same day. */
    public Slot slot(ZoneId customerZone, RecommendationModel.Timing timing, LocalTime localTime) {
        ZoneId zone = fixedZone == null ? customerZone : fixedZone;
        Instant sendAt;
        if (CampaignRequest.REPEAT_DUE.equals(schedule.type())) {
            if (timing == null) {
                return null;
            }
            LocalDate due = LocalDate.ofInstant(timing.due(), zone);
            sendAt =
                    new LocalSchedule(due.isBefore(today) ? today : due, 0, localTime)
                            .instantIn(zone);
        } else {
            int offset = schedule.offsetDays() == null ? 0 : schedule.offsetDays();
            sendAt = new LocalSchedule(anchorDate, offset, localTime).instantIn(zone);
        }
        Instant validUntil = validFor == null ? schedule.validUntil() : sendAt.plus(validFor);
        return new Slot(sendAt, validUntil);
    }

    /** The last day (in the tenant's zone) whose restocks a repeat_due schedule covers. */
    public LocalDate windowEnd() {
        return today.plusDays(schedule.windowDays() == null ? 0 : schedule.windowDays());
    }

    public LocalDate today() {
        return today;
    }
}
