package io.hilal.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.generic.GenericType;
import org.junit.jupiter.api.Test;

/**
 * Upgrading a database with a ledger in flight: version 11 lists waiting sends by {@code due_at},
 * which it must fill in for the rows already there, or they would never go out.
 */
class LedgerMigrationIT {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final Instant NOW = Instant.parse("2026-04-07T10:00:00Z");

    @Test
    void versions11And12KeepAnExistingLedgerSendingAndItsDailyCountRight() {
        String schema =
                "hilal_upgrade_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        TestDatabase.server().createSchema(schema);
        DataSource dataSource = TestDatabase.dataSource(TestDatabase.server().jdbcUrl(schema));
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .target("10")
                .load()
                .migrate();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(dataSource));
        insert(jdbi, "planned", "PLANNED", NOW.minusSeconds(60), null);
        insert(jdbi, "deferred-due", "DEFERRED", NOW.minusSeconds(600), NOW.minusSeconds(30));
        insert(jdbi, "deferred-later", "DEFERRED", NOW.minusSeconds(600), NOW.plusSeconds(3600));
        insert(jdbi, "sending", "SENDING", NOW.minusSeconds(120), null);
        insert(jdbi, "sent", "SENT", NOW.minusSeconds(120), null);
        // Sent ten minutes ago by the real clock, which the migration's count of recent sends
        // reads.
        jdbi.useHandle(
                handle ->
                        handle.createUpdate(
                                        "UPDATE campaign_sends SET sent_at = :sentAt"
                                                + " WHERE customer_id = 'sent'")
                                .bind("sentAt", Instant.now().minusSeconds(600))
                                .execute());
        insert(jdbi, "held-out", "HELD_OUT", NOW.minusSeconds(120), null);

        Migrations.migrate(dataSource);

        Map<String, Instant> dueAt =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery("SELECT customer_id, due_at FROM campaign_sends")
                                        .setMapKeyColumn("customer_id")
                                        .setMapValueColumn("due_at")
                                        .collectInto(new GenericType<Map<String, Instant>>() {}));
        assertThat(dueAt)
                .containsEntry("planned", NOW.minusSeconds(60))
                .containsEntry("deferred-due", NOW.minusSeconds(30))
                .containsEntry("deferred-later", NOW.plusSeconds(3600))
                .containsEntry("sending", NOW.minusSeconds(120))
                .containsEntry("sent", null)
                .containsEntry("held-out", null);
        SendLedger ledger = new SendLedger(jdbi, Clock.fixed(NOW, ZoneOffset.UTC), "example.com");
        assertThat(ledger.dueWithoutExpiring(new SendLedger.Run("t", "c", "r"), 10))
                .containsExactly("planned", "deferred-due");
        assertThat(ledger.counts(new SendLedger.Run("t", "c", "r")))
                .containsEntry("SENDING", 1L)
                .containsEntry("SENT", 1L);
        assertThat(ledger.sentSince("t", Instant.now().minusSeconds(86400))).isEqualTo(1);
    }

    private static void insert(
            Jdbi jdbi, String customerId, String state, Instant sendAt, Instant nextAttemptAt) {
        jdbi.useHandle(
                handle ->
                        handle.createUpdate(
                                        "INSERT INTO campaign_sends (tenant_id, campaign_id, run_id,"
                                                + " customer_id, state, message_id, send_at,"
                                                + " next_attempt_at, valid_until, attempts,"
                                                + " updated_at) VALUES ('t', 'c', 'r', :customerId,"
                                                + " :state, :customerId, :sendAt, :nextAttemptAt,"
                                                + " :validUntil, 0, :sendAt)")
                                .bind("customerId", customerId)
                                .bind("state", state)
                                .bind("sendAt", sendAt)
                                .bindByType("nextAttemptAt", nextAttemptAt, Instant.class)
                                .bind("validUntil", NOW.plusSeconds(86400))
                                .execute());
    }
}
