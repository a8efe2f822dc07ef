package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.calendar.IslamicHoliday;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScheduleDatesTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 5, 1);
    private static final Map<String, LocalDate> TENANT =
            Map.of("summer-sale", LocalDate.of(2026, 7, 1));

    static Stream<Arguments> schedules() {
        // Umm al-Qura: Eid al-Fitr 1447 = 2026-03-20, 1448 = 2027-03-09; Eid al-Adha 1447 =
        // 2026-05-27, 1448 = 2027-05-16; 1451/1452 fall in 2030 twice.
        return Stream.of(
                Arguments.of(
                        "a fixed date",
                        schedule("at", LocalDate.of(2026, 6, 2), null, 0),
                        List.of(LocalDate.of(2026, 6, 2)),
                        LocalDate.of(2026, 6, 2),
                        false),
                Arguments.of(
                        "Eid al-Fitr + 7: this year's is past, the next is in 2027",
                        schedule("anchor", null, anchor("eid_al_fitr", null, null, null), 7),
                        List.of(LocalDate.of(2026, 3, 27), LocalDate.of(2027, 3, 16)),
                        LocalDate.of(2027, 3, 16),
                        false),
                Arguments.of(
                        "Eid al-Adha - 3: this year's is ahead",
                        schedule("anchor", null, anchor("eid_al_adha", null, null, null), -3),
                        List.of(LocalDate.of(2026, 5, 24), LocalDate.of(2027, 5, 13)),
                        LocalDate.of(2026, 5, 24),
                        false),
                Arguments.of(
                        "a Hijri year pins one date",
                        schedule("anchor", null, anchor("eid_al_fitr", 1448, null, null), 0),
                        List.of(LocalDate.of(2027, 3, 9)),
                        LocalDate.of(2027, 3, 9),
                        false),
                Arguments.of(
                        "a tenant date with an offset",
                        schedule("anchor", null, anchor(null, null, null, "summer-sale"), 2),
                        List.of(LocalDate.of(2026, 7, 3)),
                        LocalDate.of(2026, 7, 3),
                        false),
                Arguments.of(
                        "an unknown tenant date",
                        schedule("anchor", null, anchor(null, null, null, "nope"), 0),
                        List.of(),
                        null,
                        true),
                Arguments.of(
                        "a Gregorian anchor date",
                        schedule(
                                "anchor",
                                null,
                                anchor(null, null, LocalDate.of(2026, 9, 1), null),
                                -1),
                        List.of(LocalDate.of(2026, 8, 31)),
                        LocalDate.of(2026, 8, 31),
                        false),
                Arguments.of(
                        "restock due has no calendar date",
                        schedule("repeat_due", null, null, null),
                        List.of(),
                        null,
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void resolvesTheGregorianDatesOfThisYearAndNext(
            String name,
            CampaignRequest.Schedule schedule,
            List<LocalDate> dates,
            LocalDate next,
            boolean unknown) {
        ScheduleDates resolved = ScheduleDates.of(schedule, TODAY, TENANT);
        assertThat(resolved.dates()).containsExactlyElementsOf(dates);
        assertThat(resolved.next()).isEqualTo(next);
        assertThat(resolved.unknownTenantDate()).isEqualTo(unknown);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void theNextDateIsTheOneALaunchTodayWouldUse(
            String name,
            CampaignRequest.Schedule schedule,
            List<LocalDate> dates,
            LocalDate next,
            boolean unknown) {
        if (next == null) {
            return;
        }
        SendTimes times =
                new SendTimes(
                        new CampaignRequest("n", null, 0.1, null, schedule, null), TODAY, TENANT);
        assertThat(
                        times.anchorDate()
                                .plusDays(
                                        schedule.offsetDays() == null ? 0 : schedule.offsetDays()))
                .isEqualTo(next);
    }

    @org.junit.jupiter.api.Test
    void aGregorianYearCanHoldTheSameHolidayTwice() {
        // Eid al-Fitr 1454 and 1455: 3 January and 23 December 2033.
        assertThat(ScheduleDates.occurrences(IslamicHoliday.EID_AL_FITR, 0, 2033, 2033))
                .containsExactly(LocalDate.of(2033, 1, 3), LocalDate.of(2033, 12, 23));
    }

    private static CampaignRequest.Schedule schedule(
            String type, LocalDate date, CampaignRequest.Anchor anchor, Integer offset) {
        return new CampaignRequest.Schedule(
                type, date, LocalTime.of(10, 0), null, anchor, offset, 7, "P2D", null);
    }

    private static CampaignRequest.Anchor anchor(
            String holiday, Integer hijriYear, LocalDate date, String tenantDate) {
        return new CampaignRequest.Anchor(holiday, hijriYear, date, tenantDate);
    }
}
