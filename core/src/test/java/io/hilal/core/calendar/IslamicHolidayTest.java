package io.hilal.core.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IslamicHolidayTest {
    @ParameterizedTest(name = "{0} {1} AH is {2}")
    @CsvSource({
        "EID_AL_FITR, 1432, 2011-08-30",
        "EID_AL_FITR, 1447, 2026-03-20",
        "EID_AL_ADHA, 1447, 2026-05-27",
        "RAMADAN_START, 1447, 2026-02-18",
    })
    void mapsHijriDatesToUmmAlQuraGregorianDates(
            IslamicHoliday holiday, int year, LocalDate expected) {
        assertThat(holiday.inHijriYear(year)).isEqualTo(expected);
    }

    @Test
    void findsTheNextOccurrenceAcrossHijriYears() {
        assertThat(IslamicHoliday.EID_AL_FITR.nextOnOrAfter(LocalDate.of(2026, 3, 20)))
                .isEqualTo(LocalDate.of(2026, 3, 20));
        assertThat(IslamicHoliday.EID_AL_FITR.nextOnOrAfter(LocalDate.of(2026, 3, 21)))
                .isEqualTo(LocalDate.of(2027, 3, 9));
    }

    @Test
    void resolvesAPostEidScheduleInEachCustomersOwnTimeZone() {
        LocalSchedule schedule =
                new LocalSchedule(
                        IslamicHoliday.EID_AL_FITR.inHijriYear(1432), 7, LocalTime.of(10, 0));
        assertThat(schedule.date()).isEqualTo(LocalDate.of(2011, 9, 6));
        assertThat(schedule.instantIn(ZoneId.of("Asia/Riyadh")))
                .isEqualTo(Instant.parse("2011-09-06T07:00:00Z"));
        assertThat(schedule.instantIn(ZoneId.of("Europe/London")))
                .isEqualTo(Instant.parse("2011-09-06T09:00:00Z"));
    }
}
