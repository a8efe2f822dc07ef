package io.hilal.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.ScheduleDates;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StudioEstimateTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 5, 1);

    static Stream<Arguments> notes() {
        return Stream.of(
                Arguments.of(
                        schedule("at", null, null),
                        new ScheduleDates(
                                List.of(LocalDate.of(2026, 6, 2)), LocalDate.of(2026, 6, 2), false),
                        "A launch today sends on Tue 2 June 2026 at 10:00."),
                Arguments.of(
                        schedule("at", null, null),
                        new ScheduleDates(
                                List.of(LocalDate.of(2026, 4, 2)), LocalDate.of(2026, 4, 2), false),
                        "A launch today would send on Thu 2 April 2026 at 10:00, which has passed."),
                Arguments.of(
                        schedule("anchor", "white-friday", null),
                        new ScheduleDates(List.of(), null, true),
                        "This shop has no date named 'white-friday': add it under PUT"
                                + " /v1/calendar-dates/{name} or choose another."),
                Arguments.of(
                        schedule("repeat_due", null, 14),
                        new ScheduleDates(List.of(), null, false),
                        "Each customer gets the email at 10:00 on the day their restock falls"
                                + " due, from today to Fri 15 May 2026; customers with no restock"
                                + " due in that window get nothing."));
    }

    @ParameterizedTest
    @MethodSource("notes")
    void saysTheScheduleInASentence(
            CampaignRequest.Schedule schedule, ScheduleDates dates, String note) {
        assertThat(StudioEstimate.scheduleNote(schedule, dates, TODAY)).isEqualTo(note);
    }

    private static CampaignRequest.Schedule schedule(
            String type, String tenantDate, Integer windowDays) {
        return new CampaignRequest.Schedule(
                type,
                null,
                LocalTime.of(10, 0),
                null,
                tenantDate == null
                        ? null
                        : new CampaignRequest.Anchor(null, null, null, tenantDate),
                0,
                windowDays,
                "P2D",
                null);
    }
}
