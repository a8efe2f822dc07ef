package io.hilal.core.program;

import io.hilal.core.lift.CustomerTally;
import io.hilal.core.lift.Estimate;
import io.hilal.core.lift.LiftAnalysis;
import io.hilal.core.lift.LiftVerdict;
import io.hilal.core.lift.Look;
import io.hilal.core.lift.MetricLift;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * What the whole email program did, for a shop too small for per-campaign lift: every customer of
 * the tenant not in the program holdout (who may be emailed: intention-to-treat) against those in
 * it (whom nothing emails), on the lift report's metrics and with its code ({@link LiftAnalysis}:
 * share who ordered as the primary metric, orders and revenue per customer as gated secondaries,
 * capped and CUPED-adjusted with up to 180 days before the holdout started) since the holdout
 * started. The program never ends, so every look is interim: each shows the always-valid confidence
 * sequence a campaign's interim look shows, tuned once per holdout (to the customers the shop had
 * when it started), so the cumulative answer every 30 days since the start, and now, may all be
 * looked at.
 */
public final class ProgramLiftService {
    /** Points of the history, one per 30 days (the newest kept), plus now. */
    static final int PERIOD_DAYS = 30;

    static final int MAX_POINTS = 12;

    /** The longest pre-period read for the covariates. */
    static final Duration MAX_PRE = Duration.ofDays(180);

    /**
     * One metric: customers who may be emailed minus the program holdout, with the look's
     * always-valid interval, its p-value and (secondary metrics) the multiplicity-adjusted one.
     */
    public record Difference(
            double emailed,
            double holdout,
            double difference,
            double low,
            double high,
            double pValue,
            Double adjustedPValue) {
        static Difference of(MetricLift metric) {
            Estimate e = metric.estimate();
            return new Difference(
                    e.treated(),
                    e.holdout(),
                    e.difference(),
                    e.low(),
                    e.high(),
                    e.pValue(),
                    metric.primary() ? null : metric.adjustedPValue());
        }
    }

    /** The cumulative comparison from the start through one instant. */
    public record Point(
            Instant through,
            int days,
            long emailedCustomers,
            long holdoutCustomers,
            String notEnoughData,
            Difference orderRate,
            Difference ordersPerCustomer,
            Difference revenuePerCustomer) {}

    /** The program's report: its settings, the newest point, and every point over time. */
    public record Report(
            boolean on,
            double share,
            Instant startedAt,
            Instant computedAt,
            double intervalConfidence,
            Point latest,
            List<Point> overTime,
            String verdict) {}

    private record Customer(String customerId, Instant createdAt) {}

    private record Line(
            String customerId, String orderId, long quantity, double price, Instant at) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final ProgramHoldoutService holdouts;
    private final LiftAnalysis.Settings settings;

    public ProgramLiftService(
            Jdbi jdbi,
            Clock clock,
            ProgramHoldoutService holdouts,
            LiftAnalysis.Settings settings) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.holdouts = holdouts;
        this.settings = settings;
    }

    public Report report(String tenantId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        double confidence = 1 - settings.interimAlpha();
        ProgramHoldout holdout = holdouts.get(tenantId);
        if (!holdout.on()) {
            return new Report(
                    false, 0, null, now, confidence, null, List.of(), LiftVerdict.programOff());
        }
        Instant start = holdout.startedAt();
        List<Customer> customers = customers(tenantId);
        // Tuned once per holdout, not per look: a confidence sequence's mixing may not follow
        // the data it covers.
        long tuning = customers.stream().filter(c -> c.createdAt().isBefore(start)).count();
        List<Line> lines = lines(tenantId, start.minus(MAX_PRE), now);
        List<Instant> cuts = new ArrayList<>();
        for (Instant cut = start.plus(Duration.ofDays(PERIOD_DAYS));
                cut.isBefore(now);
                cut = cut.plus(Duration.ofDays(PERIOD_DAYS))) {
            cuts.add(cut);
        }
        cuts.add(now);
        if (cuts.size() > MAX_POINTS) {
            cuts = cuts.subList(cuts.size() - MAX_POINTS, cuts.size());
        }
        List<Point> points = new ArrayList<>();
        for (Instant cut : cuts) {
            points.add(point(holdout, cut, customers, lines, tuning));
        }
        Point latest = points.get(points.size() - 1);
        return new Report(
                true,
                holdout.share(),
                start,
                now,
                confidence,
                latest,
                points,
                latest.notEnoughData() != null
                        ? LiftVerdict.programNotEnoughData(latest.notEnoughData())
                        : LiftVerdict.program(
                                latest.days(),
                                confidence,
                                latest.orderRate().low(),
                                latest.orderRate().high(),
                                claim(latest.ordersPerCustomer()),
                                claim(latest.revenuePerCustomer())));
    }

    /** A secondary metric's effect when its adjusted p-value claims one, else null. */
    private LiftVerdict.Claim claim(Difference metric) {
        if (metric.adjustedPValue() == null
                || metric.adjustedPValue() > 1 - settings.confidence()) {
            return null;
        }
        return new LiftVerdict.Claim(metric.difference() > 0, metric.adjustedPValue());
    }

    /** Everyone who was a customer by {@code cut}, measured from the start through it. */
    private Point point(
            ProgramHoldout holdout,
            Instant cut,
            List<Customer> customers,
            List<Line> lines,
            long tuning) {
        Instant start = holdout.startedAt();
        Duration elapsed = Duration.between(start, cut);
        Duration pre = elapsed.compareTo(MAX_PRE) > 0 ? MAX_PRE : elapsed;
        java.util.Map<String, CustomerTally> tallies = new java.util.LinkedHashMap<>();
        List<Boolean> arms = new ArrayList<>();
        long held = 0;
        for (Customer customer : customers) {
            if (customer.createdAt().isBefore(cut)) {
                tallies.put(customer.customerId(), new CustomerTally(start.minus(pre), start, cut));
                boolean out = holdout.heldOut(customer.customerId());
                arms.add(out);
                held += out ? 1 : 0;
            }
        }
        for (Line line : lines) {
            CustomerTally tally = tallies.get(line.customerId());
            if (tally != null) {
                tally.add(line.orderId(), line.quantity(), line.price(), line.at());
            }
        }
        int days = (int) Math.max(1, (elapsed.toHours() + 23) / 24);
        long emailed = tallies.size() - held;
        if (tallies.isEmpty()) {
            return new Point(cut, days, 0, 0, LiftVerdict.noCustomers(), null, null, null);
        }
        boolean[] heldOut = new boolean[arms.size()];
        for (int i = 0; i < heldOut.length; i++) {
            heldOut[i] = arms.get(i);
        }
        Look look = settings.interim(days, days, Math.max(1, tuning));
        LiftAnalysis.Result result =
                LiftAnalysis.analyze(
                        CustomerTally.outcomes(new ArrayList<>(tallies.values())),
                        heldOut,
                        settings,
                        look);
        if (!result.enoughData()) {
            String tooFew =
                    LiftVerdict.programTooFew(
                            settings.minCustomersPerArm(),
                            settings.minBuyersPerArm(),
                            result.treatedCustomers(),
                            result.holdoutCustomers(),
                            result.treatedBuyers(),
                            result.holdoutBuyers());
            return new Point(cut, days, emailed, held, tooFew, null, null, null);
        }
        return new Point(
                cut,
                days,
                emailed,
                held,
                null,
                Difference.of(result.repeatRate()),
                Difference.of(result.ordersPerCustomer()),
                Difference.of(result.revenuePerCustomer()));
    }

    private List<Customer> customers(String tenantId) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT customer_id, created_at FROM customers"
                                                + " WHERE tenant_id = :tenantId"
                                                + " ORDER BY customer_id")
                                .bind("tenantId", tenantId)
                                .map(
                                        (rs, ctx) ->
                                                new Customer(
                                                        rs.getString(1),
                                                        rs.getObject(2, LocalDateTime.class)
                                                                .toInstant(ZoneOffset.UTC)))
                                .list());
    }

    private List<Line> lines(String tenantId, Instant from, Instant to) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT customer_id, order_id, quantity, unit_price,"
                                                + " occurred_at FROM order_lines"
                                                + " WHERE tenant_id = :tenantId"
                                                + " AND occurred_at >= :from"
                                                + " AND occurred_at < :to")
                                .bind("tenantId", tenantId)
                                .bind("from", from)
                                .bind("to", to)
                                .map(
                                        (rs, ctx) ->
                                                new Line(
                                                        rs.getString(1),
                                                        rs.getString(2),
                                                        rs.getLong(3),
                                                        rs.getObject(4, BigDecimal.class)
                                                                .doubleValue(),
                                                        rs.getObject(5, LocalDateTime.class)
                                                                .toInstant(ZoneOffset.UTC)))
                                .list());
    }
}
