package io.hilal.core.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JourneyEntriesTest {
    private static final Instant NOW = Instant.parse("2026-04-06T12:00:00Z");

    @ParameterizedTest(name = "{0} occurred, received {1}, delay {2}, valid {3}: {4} {5}")
    @CsvSource({
        // occurred (min before now), received (min before now), delay, validFor, run, send at
        "30, 30, PT1H, P1D, d20260406, 2026-04-06T12:30:00Z",
        "90, 90, PT1H, P1D, d20260406, 2026-04-06T11:30:00Z",
        // A client clock ahead of ours: the trigger is the receipt.
        "-10, 1, PT1H, P1D, d20260406, 2026-04-06T12:59:00Z",
        // The day is the trigger's (UTC): the evening before is another entry.
        "780, 780, PT4H, P1D, d20260405, 2026-04-06T03:00:00Z",
        // The email could only go out after its validity: no entry at all.
        "1800, 1800, PT1H, PT6H, , ",
        "120, 120, PT1H, PT1H, , ",
    })
    void anEventEntersAtItsTriggerPlusTheDelayWhileTheEmailCanStillGo(
            long occurredMinutesAgo,
            long receivedMinutesAgo,
            String delay,
            String validFor,
            String run,
            String sendAt) {
        Optional<JourneyEntries.Entry> entry =
                JourneyEntries.onEvent(
                        Duration.parse(delay),
                        Duration.parse(validFor),
                        NOW.minus(Duration.ofMinutes(occurredMinutesAgo)),
                        NOW.minus(Duration.ofMinutes(receivedMinutesAgo)),
                        NOW);
        if (run == null) {
            assertThat(entry).isEmpty();
            return;
        }
        assertThat(entry).isPresent();
        assertThat(entry.get().runId()).isEqualTo(run);
        assertThat(entry.get().sendAt()).isEqualTo(Instant.parse(sendAt));
        assertThat(entry.get().validUntil())
                .isEqualTo(Instant.parse(sendAt).plus(Duration.parse(validFor)));
        assertThat(entry.get().triggeredAt()).isBeforeOrEqualTo(NOW);
    }

    @ParameterizedTest(name = "last order {0} days ago, win-back after {1}: {2}")
    @CsvSource({
        "60, P60D, d2026-02-05",
        "61, P60D, d2026-02-04",
        // Not lapsed yet.
        "59, P60D, ",
        // Lapsed so long ago that the email is past its two days of validity.
        "62, P60D, ",
    })
    void winBackEntersOncePerLapseOnTheDayTheDelayIsUp(int daysAgo, String delay, String run) {
        Optional<JourneyEntries.Entry> entry =
                JourneyEntries.lapsed(
                        Duration.parse(delay),
                        Duration.ofDays(2),
                        NOW.minus(Duration.ofDays(daysAgo)),
                        NOW);
        if (run == null) {
            assertThat(entry).isEmpty();
            return;
        }
        assertThat(entry.get().runId()).isEqualTo("l" + run.substring(1).replace("-", ""));
        assertThat(entry.get().sendAt())
                .isEqualTo(NOW.minus(Duration.ofDays(daysAgo)).plus(Duration.parse(delay)));
    }

    @ParameterizedTest(name = "due in {0} h, lead {1}: send {2}")
    @CsvSource({
        "48, P1D, 2026-04-07T12:00:00Z",
        // The lead has passed: now.
        "12, P1D, 2026-04-06T12:00:00Z",
        "-24, PT0S, 2026-04-06T12:00:00Z",
    })
    void restockSendsTheLeadBeforeTheDueDateOrNow(long dueInHours, String lead, String sendAt) {
        Instant due = NOW.plus(Duration.ofHours(dueInHours));
        JourneyEntries.Entry entry =
                JourneyEntries.due(Duration.parse(lead), Duration.ofDays(1), due, NOW)
                        .orElseThrow();
        assertThat(entry.sendAt()).isEqualTo(Instant.parse(sendAt));
        assertThat(entry.triggeredAt()).isEqualTo(NOW);
        assertThat(entry.runId()).startsWith("r");
    }
}
