package io.hilal.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainingQuotaTest {
    @ParameterizedTest(name = "quota {0}, used {1}: {2}")
    @CsvSource(
            nullValues = "null",
            value = {
                "null, 1e9, true",
                "60, 0, true",
                "60, 59.9, true",
                "60, 60, false",
                "60, 3600, false"
            })
    void aRunMayStartWhileTodaysTimeIsUnderTheQuota(Long quota, double used, boolean may) {
        assertThat(TrainingQuota.mayStart(quota, used)).isEqualTo(may);
    }

    @ParameterizedTest(name = "{0}: {1} s")
    @CsvSource({
        "2026-12-06T12:00:00Z, 43200",
        "2026-12-06T23:59:59.500Z, 1",
        "2026-12-06T00:00:00Z, 86400"
    })
    void theQuotaIsWholeAgainAtTheNextUtcMidnight(Instant now, long seconds) {
        assertThat(TrainingQuota.secondsUntilTomorrow(now)).isEqualTo(seconds);
    }
}
