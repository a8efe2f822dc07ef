package io.hilal.service.platform.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OutageLogTest {
    private Instant now = Instant.parse("2026-12-06T10:00:00Z");
    private final OutageLog log =
            new OutageLog(
                    new Clock() {
                        @Override
                        public ZoneId getZone() {
                            return ZoneOffset.UTC;
                        }

                        @Override
                        public Clock withZone(ZoneId zone) {
                            return this;
                        }

                        @Override
                        public Instant instant() {
                            return now;
                        }
                    });

    @Test
    void theFirstFailureIsLoggedAtOnceAndTheNextOnesOnceAWindowWithTheirCount() {
        assertThat(log.failure()).isEqualTo(1);
        for (int i = 0; i < 999; i++) {
            assertThat(log.failure()).isZero();
        }

        now = now.plus(OutageLog.EVERY);

        assertThat(log.failure()).as("this one and the 999 left unlogged").isEqualTo(1_000);
        assertThat(log.failure()).isZero();
    }

    @Test
    void aNewOutageLongAfterTheLastIsLoggedAtOnce() {
        log.failure();
        now = now.plus(Duration.ofHours(1));

        assertThat(log.failure()).isEqualTo(1);
    }
}
