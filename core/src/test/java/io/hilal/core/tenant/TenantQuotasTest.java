package io.hilal.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.error.FieldError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantQuotasTest {
    @ParameterizedTest(name = "{0}, {1}, {2}, {3}: {4}")
    @CsvSource(
            nullValues = "null",
            value = {
                "null, null, null, null, ''",
                "1, 1, 1, 1, ''",
                "0, null, null, null, ingestEventsPerSecond",
                "null, -5, null, null, storedEvents",
                "null, null, 0, 0, sendsPerDay trainingSecondsPerDay",
                "1000000000001, null, null, null, ingestEventsPerSecond"
            })
    void everyQuotaSetIsPositiveAndBounded(
            Long ingest, Long stored, Long sends, Long training, String failing) {
        assertThat(new TenantQuotas(ingest, stored, sends, training).check().errors())
                .extracting(FieldError::field)
                .containsExactly(failing.isEmpty() ? new String[0] : failing.split(" "));
    }
}
