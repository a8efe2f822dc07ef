package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.campaigns.sending.SendPolicy;
import io.hilal.core.error.ConflictException;
import io.hilal.core.reco.RecommendationModel;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendTimesTest {
    private static CampaignRequest schedule(CampaignRequest.Schedule schedule) {
        return new CampaignRequest(
                        "x",
                        null,
                        null,
                        new CampaignRequest.Offer("s", "h", "t", null, null),
                        schedule,
                        null)
                .withDefaults();
    }

    private static CampaignRequest.Schedule eid(Integer hijriYear, int offsetDays) {
        return new CampaignRequest.Schedule(
                "anchor",
                null,
                LocalTime.of(10, 0),
                null,
                new CampaignRequest.Anchor("eid_al_fitr", hijriYear, null, null),
                offsetDays,
                null,
                "P3D",
                null);
    }

    @Test
    void eidPlusSevenDaysAtTenIsTenInEachCustomersOwnTimeZone() {
        SendTimes times = new SendTimes(schedule(eid(1432, 7)), LocalDate.of(2011, 8, 1), Map.of());
        assertThat(times.anchorDate()).isEqualTo(LocalDate.of(2011, 8, 30));
        SendTimes.Slot riyadh = times.slot(ZoneId.of("Asia/Riyadh"), null);
        assertThat(riyadh.sendAt()).isEqualTo(Instant.parse("2011-09-06T07:00:00Z"));
        assertThat(riyadh.validUntil()).isEqualTo(Instant.parse("2011-09-09T07:00:00Z"));
        assertThat(times.slot(ZoneId.of("Europe/London"), null).sendAt())
                .isEqualTo(Instant.parse("2011-09-06T09:00:00Z"));
    }

    @Test
    void withoutAHijriYearTheNextEidWhoseSendDateIsAheadIsUsed() {
        // Three days after Eid al-Fitr 1432: its + 7 days is still ahead.
        assertThat(
                        new SendTimes(schedule(eid(null, 7)), LocalDate.of(2011, 9, 2), Map.of())
                                .anchorDate())
                .isEqualTo(LocalDate.of(2011, 8, 30));
        // Ten days after: the next year's Eid (1433 AH = 2012-08-19).
        assertThat(
                        new SendTimes(schedule(eid(null, 7)), LocalDate.of(2011, 9, 9), Map.of())
                                .anchorDate())
                .isEqualTo(LocalDate.of(2012, 8, 19));
    }

    @Test
    void aTenantDateAnchorsTheScheduleAndAnUnknownOneIsAConflict() {
        CampaignRequest.Schedule founders =
                new CampaignRequest.Schedule(
                        "anchor",
                        null,
                        LocalTime.of(9, 30),
                        "Asia/Dubai",
                        new CampaignRequest.Anchor(null, null, null, "founders-day"),
                        -1,
                        null,
                        null,
                        Instant.parse("2026-05-01T00:00:00Z"));
        SendTimes times =
                new SendTimes(
                        schedule(founders),
                        LocalDate.of(2026, 1, 1),
                        Map.of("founders-day", LocalDate.of(2026, 4, 10)));
        SendTimes.Slot slot = times.slot(ZoneId.of("Europe/London"), null);
        assertThat(slot.sendAt()).isEqualTo(Instant.parse("2026-04-09T05:30:00Z"));
        assertThat(slot.validUntil()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
        assertThatThrownBy(
                        () -> new SendTimes(schedule(founders), LocalDate.of(2026, 1, 1), Map.of()))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void aRepeatDueScheduleSendsOnTheDueDayAndSkipsCustomersWithNothingDue() {
        CampaignRequest.Schedule repeat =
                new CampaignRequest.Schedule(
                        "repeat_due", null, LocalTime.of(10, 0), null, null, null, 14, null, null);
        SendTimes times = new SendTimes(schedule(repeat), LocalDate.of(2026, 3, 1), Map.of());
        RecommendationModel.Timing due =
                new RecommendationModel.Timing(
                        "p1", Instant.parse("2026-02-03T08:00:00Z"), 3, 30, 0.8);
        assertThat(times.slot(ZoneId.of("UTC"), due).sendAt())
                .isEqualTo(Instant.parse("2026-03-05T10:00:00Z"));
        assertThat(times.slot(ZoneId.of("UTC"), null)).isNull();
    }

    @Test
    void aLocalTimeInADaylightSavingGapMovesForward() {
        CampaignRequest.Schedule at =
                new CampaignRequest.Schedule(
                        "at",
                        LocalDate.of(2026, 3, 29),
                        LocalTime.of(1, 30),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
        assertThat(
                        new SendTimes(schedule(at), LocalDate.of(2026, 3, 1), Map.of())
                                .slot(ZoneId.of("Europe/London"), null)
                                .sendAt())
                .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    }

    @Test
    void quietHoursSpanningMidnightEndAtTheirLocalEnd() {
        CampaignRequest.QuietHours quiet =
                new CampaignRequest.QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0));
        ZoneId riyadh = ZoneId.of("Asia/Riyadh");
        assertThat(SendPolicy.quietHoursEnd(quiet, Instant.parse("2026-03-01T19:00:00Z"), riyadh))
                .isEqualTo(Instant.parse("2026-03-02T05:00:00Z"));
        assertThat(SendPolicy.quietHoursEnd(quiet, Instant.parse("2026-03-02T02:00:00Z"), riyadh))
                .isEqualTo(Instant.parse("2026-03-02T05:00:00Z"));
        assertThat(SendPolicy.quietHoursEnd(quiet, Instant.parse("2026-03-02T09:00:00Z"), riyadh))
                .isNull();
    }
}
