package io.hilal.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.error.NotFoundException;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class TenantUsageServiceIT {
    private static final Instant NOW = Instant.parse("2026-04-06T12:00:00Z");

    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final TenantService tenants = new TenantService(jdbi, Clock.fixed(NOW, ZoneOffset.UTC));
    private final TenantUsageService usage =
            new TenantUsageService(jdbi, tenants, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void countsWhatATenantStoresAndPerDayItsSendsAndTrainingNeverAnotherTenants() {
        String souq = tenants.createTenant("Souq", "Asia/Riyadh").tenant().tenantId();
        String other = tenants.createTenant("Other", "UTC").tenant().tenantId();
        for (String tenant : new String[] {souq, other}) {
            customer(tenant, "c-1");
            send(tenant, "c-1", "SENT", "2026-04-05T09:00:00Z");
            training(tenant, "r-1", "2026-04-05T03:00:00Z", "2026-04-05T03:00:42.500Z");
        }
        customer(souq, "c-2");
        send(souq, "c-2", "SENT", "2026-04-05T10:00:00Z");
        send(souq, "c-3", "SENT", "2026-04-06T08:00:00Z");
        send(souq, "c-4", "HELD_OUT", null);
        send(souq, "c-5", "SENT", "2026-03-01T08:00:00Z");
        training(souq, "r-2", "2026-04-06T03:00:00Z", "2026-04-06T03:00:10Z");

        TenantUsage usage = this.usage.usage(souq, 3);

        assertThat(usage.from()).isEqualTo(LocalDate.parse("2026-04-04"));
        assertThat(usage.to()).isEqualTo(LocalDate.parse("2026-04-06"));
        assertThat(usage.stored().customers()).isEqualTo(2);
        assertThat(usage.days())
                .extracting(TenantUsage.Day::sends)
                .as("the held-out send and the one before the period do not count")
                .containsExactly(0L, 2L, 1L);
        assertThat(usage.days())
                .extracting(TenantUsage.Day::trainingRuns)
                .containsExactly(0L, 1L, 1L);
        assertThat(usage.days().get(1).trainingSeconds()).isEqualTo(42.5);
    }

    @Test
    void anUnknownTenantIsNotFound() {
        assertThatThrownBy(() -> usage.usage("ten_missing", 30))
                .isInstanceOf(NotFoundException.class);
    }

    private void customer(String tenant, String customer) {
        jdbi.useHandle(
                handle ->
                        handle.execute(
                                "INSERT INTO customers (tenant_id, customer_id, created_at,"
                                        + " updated_at) VALUES (?, ?, ?, ?)",
                                tenant,
                                customer,
                                NOW,
                                NOW));
    }

    private void send(String tenant, String customer, String state, String sentAt) {
        jdbi.useHandle(
                handle ->
                        handle.execute(
                                "INSERT INTO campaign_sends (tenant_id, campaign_id, run_id,"
                                        + " customer_id, state, message_id, send_at, valid_until,"
                                        + " attempts, updated_at, sent_at)"
                                        + " VALUES (?, 'cmp', 'run', ?, ?, ?, ?, ?, 1, ?, ?)",
                                tenant,
                                customer,
                                state,
                                "<" + tenant + customer + "@test>",
                                NOW,
                                NOW,
                                NOW,
                                sentAt == null ? null : Instant.parse(sentAt)));
    }

    private void training(String tenant, String request, String started, String finished) {
        jdbi.useHandle(
                handle ->
                        handle.execute(
                                "INSERT INTO training_requests (tenant_id, request_id, status,"
                                        + " requested_at, started_at, finished_at)"
                                        + " VALUES (?, ?, 'DONE', ?, ?, ?)",
                                tenant,
                                request,
                                Instant.parse(started),
                                Instant.parse(started),
                                Instant.parse(finished)));
    }
}
