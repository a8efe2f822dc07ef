package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LateSendsTest {
    private static final Instant NOW = Instant.parse("2026-04-06T12:00:00Z");
    private static final ZoneId RIYADH = ZoneId.of("Asia/Riyadh");

    @ParameterizedTest(name = "{0}, planned {1}, valid for {2} or until {3}: {4}")
    @CsvSource(
            nullValues = "NULL",
            value = {
                // policy, sendAt, validFor, validUntil, expected send (NULL: none)
                "NULL, 2026-04-06T07:00:00Z, PT6H, NULL, NULL",
                "skip, 2026-04-06T07:00:00Z, P2D, NULL, NULL",
                "send_now, 2026-04-06T07:00:00Z, P2D, NULL, 2026-04-06T12:00:00Z",
                // 07:00 UTC is 10:00 in Riyadh: the next 10:00 there is tomorrow's.
                "next_day, 2026-04-06T07:00:00Z, P2D, NULL, 2026-04-07T07:00:00Z",
                // Three days late: the next 10:00 still ahead, not three days in the past.
                "next_day, 2026-04-03T07:00:00Z, PT6H, NULL, 2026-04-07T07:00:00Z",
                // An absolute end: send now only inside it, next day never after it.
                "send_now, 2026-04-06T07:00:00Z, NULL, 2026-04-06T11:00:00Z, NULL",
                "send_now, 2026-04-06T07:00:00Z, NULL, 2026-04-06T18:00:00Z, 2026-04-06T12:00:00Z",
                "next_day, 2026-04-06T07:00:00Z, NULL, 2026-04-06T18:00:00Z, NULL",
                "next_day, 2026-04-06T07:00:00Z, NULL, 2026-04-09T00:00:00Z, 2026-04-07T07:00:00Z",
            })
    void decidesWhatALaunchDoesWithASendWhoseTimeHasPassed(
            String policy, Instant sendAt, String validFor, Instant validUntil, Instant expected) {
        Duration validity = validFor == null ? null : Duration.parse(validFor);
        SendTimes.Slot slot =
                new SendTimes.Slot(sendAt, validity == null ? validUntil : sendAt.plus(validity));
        SendTimes.Slot moved = LateSends.apply(policy, slot, NOW, RIYADH, validity);
        if (expected == null) {
            assertThat(moved).isNull();
        } else {
            assertThat(moved.sendAt()).isEqualTo(expected);
            assertThat(moved.validUntil()).isAfter(moved.sendAt());
        }
    }
}
