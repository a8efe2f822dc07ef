package io.hilal.core.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hilal.core.lift.LiftAnalysis;
import io.hilal.core.lift.LiftVerdict;
import io.hilal.core.lift.MetricLift;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The program report from real customers and order lines with a known effect: 1,000 customers, a
 * 20% program holdout; 60% of those who may be emailed and 30% of those held out order once (2 ×
 * 25) in the 50 days after the start, half of everyone ordered 40 days before it; ten customers
 * join 45 days in. Another tenant's lines name the same customer ids and must change nothing.
 */
class ProgramLiftServiceIT {
    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant NOW = START.plus(Duration.ofDays(65));
    static final String TENANT = "ten_program";
    static final String OTHER = "ten_program_other";
    static final int CUSTOMERS = 1000;
    static Jdbi jdbi;
    static ProgramHoldout holdout;

    @BeforeAll
    static void shop() {
        jdbi = TestDatabase.newJdbi();
        jdbi.useHandle(
                handle -> {
                    for (String tenant : List.of(TENANT, OTHER)) {
                        handle.execute(
                                "INSERT INTO tenants (tenant_id, name, time_zone, created_at)"
                                        + " VALUES (?, ?, 'UTC', ?)",
                                tenant,
                                tenant,
                                START.minus(Duration.ofDays(200)));
                    }
                });
        holdout =
                new ProgramHoldoutService(jdbi, Clock.fixed(START, ZoneOffset.UTC))
                        .put(TENANT, 0.2);
        jdbi.useHandle(
                handle -> {
                    var customers =
                            handle.prepareBatch(
                                    "INSERT INTO customers (tenant_id, customer_id, created_at,"
                                            + " updated_at) VALUES (?, ?, ?, ?)");
                    var lines =
                            handle.prepareBatch(
                                    "INSERT INTO order_lines (tenant_id, message_id, line_no,"
                                            + " customer_id, order_id, product_id, quantity,"
                                            + " unit_price, currency, occurred_at) VALUES (?, ?, 0,"
                                            + " ?, ?, 'p', ?, ?, 'USD', ?)");
                    for (int i = 0; i < CUSTOMERS + 10; i++) {
                        String id = "c" + i;
                        Instant created =
                                i < CUSTOMERS
                                        ? START.minus(Duration.ofDays(100))
                                        : START.plus(Duration.ofDays(45));
                        customers.add(TENANT, id, created, created);
                        if (i >= CUSTOMERS) {
                            continue;
                        }
                        if (buys(i)) {
                            lines.add(
                                    TENANT,
                                    "m" + i,
                                    id,
                                    "o" + i,
                                    2,
                                    25.0,
                                    START.plus(Duration.ofDays(1 + i % 50)));
                        }
                        if (i % 2 == 0) {
                            lines.add(
                                    TENANT,
                                    "pre" + i,
                                    id,
                                    "q" + i,
                                    1,
                                    30.0,
                                    START.minus(Duration.ofDays(40)));
                        }
                        lines.add(
                                OTHER,
                                "x" + i,
                                id,
                                "x" + i,
                                50,
                                999.0,
                                START.plus(Duration.ofDays(2)));
                    }
                    customers.execute();
                    lines.execute();
                });
    }

    /** 60% of those who may be emailed order, 30% of those held out. */
    static boolean buys(int i) {
        return i % 10 < (holdout.heldOut("c" + i) ? 3 : 6);
    }

    private static ProgramLiftService service(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new ProgramLiftService(
                jdbi,
                clock,
                new ProgramHoldoutService(jdbi, clock),
                LiftAnalysis.Settings.defaults());
    }

    @Test
    void comparesEveryoneWhoMayBeEmailedWithTheHoldoutThroughEveryThirtyDaysAndNow() {
        ProgramLiftService.Report report = service(NOW).report(TENANT);

        assertThat(report.on()).isTrue();
        assertThat(report.startedAt()).isEqualTo(START);
        assertThat(report.intervalConfidence()).isCloseTo(0.99, within(1e-12));
        assertThat(report.overTime())
                .extracting(ProgramLiftService.Point::through)
                .containsExactly(
                        START.plus(Duration.ofDays(30)), START.plus(Duration.ofDays(60)), NOW);
        assertThat(report.overTime())
                .extracting(ProgramLiftService.Point::days)
                .containsExactly(30, 60, 65);
        long held = 0;
        for (int i = 0; i < CUSTOMERS; i++) {
            held += holdout.heldOut("c" + i) ? 1 : 0;
        }
        ProgramLiftService.Point first = report.overTime().get(0);
        assertThat(first.holdoutCustomers() + first.emailedCustomers()).isEqualTo(CUSTOMERS);
        assertThat(first.holdoutCustomers()).isEqualTo(held);
        // The ten who joined 45 days in count from the second look on.
        ProgramLiftService.Point latest = report.latest();
        assertThat(latest.holdoutCustomers() + latest.emailedCustomers()).isEqualTo(CUSTOMERS + 10);
        assertThat(latest.notEnoughData()).isNull();
        assertThat(latest.orderRate().low()).isPositive();
        assertThat(report.verdict())
                .startsWith(
                        "Over 65 days, the email program raised the share of customers who"
                                + " ordered: the 99% always-valid interval (");
    }

    @Test
    void isTheLiftAnalysisAtAnInterimLookOnTheSameCustomers() {
        ProgramLiftService.Point latest = service(NOW).report(TENANT).latest();
        int n = CUSTOMERS + 10;
        double[] orders = new double[n];
        double[] revenue = new double[n];
        double[] preOrders = new double[n];
        double[] preRevenue = new double[n];
        boolean[] heldOut = new boolean[n];
        // In customer id order, as the service reads them (c0, c1, c10, c100, …): the order does
        // not change a mean or a variance, only the arrays' layout.
        for (int i = 0; i < n; i++) {
            heldOut[i] = holdout.heldOut("c" + i);
            if (i < CUSTOMERS && buys(i)) {
                orders[i] = 1;
                revenue[i] = 50;
            }
            if (i < CUSTOMERS && i % 2 == 0) {
                preOrders[i] = 1;
                preRevenue[i] = 30;
            }
        }
        LiftAnalysis.Settings settings = LiftAnalysis.Settings.defaults();
        LiftAnalysis.Result expected =
                LiftAnalysis.analyze(
                        new LiftAnalysis.Outcomes(orders, revenue, preOrders, preRevenue),
                        heldOut,
                        settings,
                        settings.interim(65, 65, CUSTOMERS));
        same(latest.orderRate(), expected.repeatRate());
        same(latest.ordersPerCustomer(), expected.ordersPerCustomer());
        same(latest.revenuePerCustomer(), expected.revenuePerCustomer());
        // Always-valid: wider than the single look's fixed-horizon interval on the same data.
        MetricLift once =
                LiftAnalysis.analyze(
                                new LiftAnalysis.Outcomes(orders, revenue, preOrders, preRevenue),
                                heldOut,
                                settings)
                        .repeatRate();
        assertThat(latest.orderRate().high() - latest.orderRate().low())
                .isGreaterThan(once.estimate().high() - once.estimate().low());
    }

    private static void same(ProgramLiftService.Difference actual, MetricLift expected) {
        assertThat(actual.difference()).isCloseTo(expected.estimate().difference(), within(1e-9));
        assertThat(actual.low()).isCloseTo(expected.estimate().low(), within(1e-9));
        assertThat(actual.high()).isCloseTo(expected.estimate().high(), within(1e-9));
        assertThat(actual.pValue()).isCloseTo(expected.estimate().pValue(), within(1e-9));
    }

    @Test
    void aTenantWithoutAProgramHoldoutHasNoReport() {
        ProgramLiftService.Report report = service(NOW).report(OTHER);
        assertThat(report.on()).isFalse();
        assertThat(report.overTime()).isEmpty();
        assertThat(report.verdict()).startsWith("No program holdout");
    }

    @Test
    void aShopWithTooFewCustomersGetsNotEnoughDataWithTheGroupSizes() {
        ProgramLiftService.Report report = service(START.plus(Duration.ofHours(12))).report(TENANT);
        // Twelve hours in, no one has ordered yet.
        assertThat(report.latest().notEnoughData())
                .isEqualTo(
                        LiftVerdict.programTooFew(
                                100,
                                10,
                                report.latest().emailedCustomers(),
                                report.latest().holdoutCustomers(),
                                0,
                                0))
                .startsWith(
                        "Each group needs at least 10 customers who ordered since the program"
                                + " holdout started; may be emailed has 0, program holdout 0.")
                .doesNotContain("treated")
                .doesNotContain("arm");
        assertThat(report.latest().orderRate()).isNull();
        assertThat(report.verdict())
                .isEqualTo(
                        "Not enough data yet for the email program as a whole. "
                                + report.latest().notEnoughData());
    }
}
