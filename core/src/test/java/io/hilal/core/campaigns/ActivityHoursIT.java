package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tenant's year of opens, clicks and orders, read (streamed) into each customer's hours. */
class ActivityHoursIT {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final ZoneId RIYADH = ZoneId.of("Asia/Riyadh");

    private final Jdbi jdbi = TestDatabase.newJdbi();
    private String tenantId;
    private String otherTenant;
    private int events;

    @BeforeEach
    void data() {
        TenantService tenants = new TenantService(jdbi, Clock.fixed(NOW, ZoneOffset.UTC));
        tenantId = tenants.createTenant("shop", "Asia/Riyadh").tenant().tenantId();
        otherTenant = tenants.createTenant("other", "UTC").tenant().tenantId();
        customer(tenantId, "amina", "Asia/Riyadh");
        customer(tenantId, "bilal", "Asia/Riyadh");
        customer(tenantId, "chen", "Europe/London");
        customer(tenantId, "dara", null);
        customer(otherTenant, "amina", "UTC");
        // 14:00 UTC is 17:00 in Riyadh, 14:00 in London.
        for (int day = 1; day <= 3; day++) {
            Instant at = NOW.minus(Duration.ofDays(day * 30L)).minusSeconds(22 * 3600);
            event(tenantId, "amina", "order_completed", at);
            event(tenantId, "bilal", "email_opened", at);
            event(tenantId, "chen", "email_clicked", at);
            event(tenantId, "dara", "email_opened", at.plusSeconds(3600));
            event(otherTenant, "amina", "order_completed", at.plusSeconds(7200));
        }
        // Not activity, too old, or after "now": none counts.
        event(tenantId, "amina", "product_viewed", NOW.minus(Duration.ofDays(2)));
        event(tenantId, "amina", "order_completed", NOW.minus(Duration.ofDays(400)));
        event(tenantId, "amina", "order_completed", NOW.plus(Duration.ofDays(1)));
    }

    @Test
    void eachCustomersEventsInTheirLocalHourSharingTheirZonesId() {
        ActivityHours.Learned learned = new ActivityHours(jdbi).learn(tenantId, RIYADH, NOW);

        Map<String, BestHours.Activity> customers = learned.customers();
        assertThat(customers).containsOnlyKeys("amina", "bilal", "chen", "dara");
        assertThat(customers.get("amina").hours()[17]).isEqualTo(3);
        assertThat(customers.get("amina").total()).isEqualTo(3);
        assertThat(customers.get("bilal").hours()[17]).isEqualTo(3);
        assertThat(customers.get("chen").hours()[14]).isEqualTo(3);
        // No zone of her own: the tenant's.
        assertThat(customers.get("dara").zone()).isEqualTo("Asia/Riyadh");
        assertThat(customers.get("dara").hours()[18]).isEqualTo(3);
        assertThat(customers.get("chen").zone()).isEqualTo("Europe/London");
        // One string a zone, not one a customer: a large tenant's hours stay compact.
        assertThat(customers.get("amina").zone()).isSameAs(customers.get("bilal").zone());
        assertThat(learned.bestHour("amina", RIYADH, h -> true)).hasValue(17);
        assertThat(learned.bestHour("chen", ZoneId.of("Europe/London"), h -> true)).hasValue(14);
    }

    private void customer(String tenant, String id, String zone) {
        jdbi.useHandle(
                handle ->
                        handle.createUpdate(
                                        "INSERT INTO customers (tenant_id, customer_id, email,"
                                                + " time_zone, email_consent, created_at,"
                                                + " updated_at) VALUES (:t, :id, :email, :zone,"
                                                + " 'granted', :now, :now)")
                                .bind("t", tenant)
                                .bind("id", id)
                                .bind("email", id + "@example.invalid")
                                .bind("zone", zone)
                                .bind("now", NOW)
                                .execute());
    }

    private void event(String tenant, String customer, String type, Instant at) {
        String messageId = "e-" + events++;
        jdbi.useHandle(
                handle ->
                        handle.createUpdate(
                                        "INSERT INTO events (tenant_id, message_id, type,"
                                                + " customer_id, occurred_at, received_at,"
                                                + " payload) VALUES (:t, :m, :type, :c, :at,"
                                                + " :at, '{}')")
                                .bind("t", tenant)
                                .bind("m", messageId)
                                .bind("type", type)
                                .bind("c", customer)
                                .bind("at", at)
                                .execute());
    }
}
