package io.hilal.core.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * "A date plus N days, at a local time": resolved once per customer, in the customer's own time
 * zone, so "Eid al-Fitr + 7 days at 10:00" reaches Riyadh at 10:00 Riyadh time and London at 10:00
 * London time. A local time that does not exist (a DST gap) moves forward by the gap.
 */
public record LocalSchedule(LocalDate anchor, int offsetDays, LocalTime localTime) {

    public LocalDate date() {
        return anchor.plusDays(offsetDays);
    }

    public Instant instantIn(ZoneId zone) {
        return ZonedDateTime.of(date(), localTime, zone).toInstant();
    }
}
