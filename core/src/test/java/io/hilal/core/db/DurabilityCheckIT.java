package io.hilal.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class DurabilityCheckIT {
    private final Jdbi jdbi = TestDatabase.newJdbi();

    @Test
    void findsNoRiskOnADurableServer() {
        assertThat(DurabilityCheck.risks(jdbi)).isEmpty();
    }

    @Test
    void reportsALazyLogFlush() {
        jdbi.useHandle(h -> h.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 2"));
        try {
            assertThat(DurabilityCheck.risks(jdbi))
                    .singleElement()
                    .asString()
                    .startsWith("innodb_flush_log_at_trx_commit=2");
        } finally {
            jdbi.useHandle(h -> h.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 1"));
        }
    }
}
