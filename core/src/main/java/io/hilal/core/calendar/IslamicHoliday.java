package io.hilal.core.calendar;

import java.time.LocalDate;
import java.time.chrono.HijrahDate;
import java.time.temporal.ChronoField;

/**
 * The Islamic calendar dates campaigns are anchored to, computed with the JDK's Umm al-Qura
 * calendar ({@link HijrahDate}). Local moon sightings can move a holiday by a day; a tenant that
 * follows them can define its own dates instead.
 */
public enum IslamicHoliday {
    RAMADAN_START(9, 1),
    EID_AL_FITR(10, 1),
    EID_AL_ADHA(12, 10),
    ISLAMIC_NEW_YEAR(1, 1);

    private final int month;
    private final int day;

    IslamicHoliday(int month, int day) {
        this.month = month;
        this.day = day;
    }

    /** The Gregorian date of this holiday in Hijri year {@code hijriYear}. */
    public LocalDate inHijriYear(int hijriYear) {
        return LocalDate.from(HijrahDate.of(hijriYear, month, day));
    }

    /**
     * The first occurrence on or after {@code from}. Hijri years are about 11 days shorter than
     * Gregorian ones, so a Gregorian year can hold the same holiday twice (2030 has two Eid
     * al-Fitrs); "next" is what a schedule needs.
     */
    public LocalDate nextOnOrAfter(LocalDate from) {
        int hijriYear = HijrahDate.from(from).get(ChronoField.YEAR);
        LocalDate candidate = inHijriYear(hijriYear);
        return candidate.isBefore(from) ? inHijriYear(hijriYear + 1) : candidate;
    }
}
