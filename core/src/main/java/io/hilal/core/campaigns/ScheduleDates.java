package io.hilal.core.campaigns;

import io.hilal.core.calendar.IslamicHoliday;
import java.time.LocalDate;
import java.time.chrono.HijrahDate;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Gregorian dates a schedule stands for, as a marketer checks them before launching: for a
 * holiday anchor, every occurrence (offset applied) in this Gregorian year and the next (a
 * Gregorian year can hold the same Islamic holiday twice), and the one a launch today would use.
 * Pure: "today" and the tenant's own dates are given.
 *
 * @param dates the send dates in this year and next (one for a fixed date; none for repeat_due)
 * @param next the date a launch today would send on (as {@link SendTimes} resolves it), or null
 *     (repeat_due, or a tenant date that does not exist)
 * @param unknownTenantDate the schedule names a tenant date the tenant has not defined
 */
public record ScheduleDates(List<LocalDate> dates, LocalDate next, boolean unknownTenantDate) {

    public static ScheduleDates of(
            CampaignRequest.Schedule schedule,
            LocalDate today,
            Map<String, LocalDate> tenantDates) {
        int offset = schedule.offsetDays() == null ? 0 : schedule.offsetDays();
        if (CampaignRequest.AT.equals(schedule.type()) && schedule.date() != null) {
            return new ScheduleDates(List.of(schedule.date()), schedule.date(), false);
        }
        CampaignRequest.Anchor anchor = schedule.anchor();
        if (!CampaignRequest.ANCHOR.equals(schedule.type()) || anchor == null) {
            return new ScheduleDates(List.of(), null, false);
        }
        if (anchor.holiday() != null) {
            IslamicHoliday holiday = SendTimes.holiday(anchor.holiday());
            if (holiday == null) {
                return new ScheduleDates(List.of(), null, false);
            }
            if (anchor.hijriYear() != null) {
                LocalDate date = holiday.inHijriYear(anchor.hijriYear()).plusDays(offset);
                return new ScheduleDates(List.of(date), date, false);
            }
            return new ScheduleDates(
                    occurrences(holiday, offset, today.getYear(), today.getYear() + 1),
                    holiday.nextOnOrAfter(today.minusDays(offset)).plusDays(offset),
                    false);
        }
        LocalDate base =
                anchor.date() != null ? anchor.date() : tenantDates.get(anchor.tenantDate());
        if (base == null) {
            return new ScheduleDates(List.of(), null, true);
        }
        LocalDate date = base.plusDays(offset);
        return new ScheduleDates(List.of(date), date, false);
    }

    /** The holiday's dates plus {@code offset} days that fall in Gregorian years first..last. */
    static List<LocalDate> occurrences(IslamicHoliday holiday, int offset, int first, int last) {
        int hijriYear = HijrahDate.from(LocalDate.of(first, 1, 1)).get(ChronoField.YEAR);
        List<LocalDate> dates = new ArrayList<>();
        // An offset of up to a year either way moves a date at most two Hijri years over.
        for (int year = hijriYear - 2; year <= hijriYear + (last - first) + 3; year++) {
            LocalDate date = holiday.inHijriYear(year).plusDays(offset);
            if (date.getYear() >= first && date.getYear() <= last) {
                dates.add(date);
            }
        }
        return dates;
    }
}
