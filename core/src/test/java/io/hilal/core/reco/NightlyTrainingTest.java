package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NightlyTrainingTest {
    static final Instant STARTED = Instant.parse("2026-12-06T02:00:00Z");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("never trained, no events", null, null, true),
                Arguments.of("never trained, events", null, STARTED, true),
                Arguments.of("trained, no events at all", STARTED, null, false),
                Arguments.of(
                        "nothing since, sales in the run's trend week, which age out",
                        STARTED,
                        STARTED.minusSeconds(1),
                        true),
                Arguments.of(
                        "nothing since, the newest sale on the trend week's first moment",
                        STARTED,
                        STARTED.minus(Duration.ofDays(7)),
                        true),
                Arguments.of(
                        "nothing since, nothing in the run's trend week",
                        STARTED,
                        STARTED.minus(Duration.ofDays(7)).minusSeconds(1),
                        false),
                Arguments.of("an event as the run started", STARTED, STARTED, true),
                Arguments.of("an event since", STARTED, STARTED.plusSeconds(3600), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void retrainsOnNewDataAndWhileTrendsAge(
            String name, Instant lastTrainingStarted, Instant lastEventReceived, boolean due) {
        assertThat(NightlyTraining.due(lastTrainingStarted, lastEventReceived)).isEqualTo(due);
    }
}
