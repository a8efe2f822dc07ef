package io.hilal.core.campaigns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.campaigns.sending.SendState;
import io.hilal.core.error.ConflictException;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.lift.CustomerTally;
import io.hilal.core.lift.Estimate;
import io.hilal.core.lift.LiftAnalysis;
import io.hilal.core.lift.LiftReportDao;
import io.hilal.core.lift.LiftReportService;
import io.hilal.core.lift.LiftStatistics;
import io.hilal.core.lift.Look;
import io.hilal.core.lift.MetricLift;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Did sending at each customer's best hour help? Within a best-time campaign's treated customers
 * (every ledger state but HELD_OUT, intention-to-treat), the random share kept at the schedule's
 * local time ({@link SendTimeArms}) is compared with the rest: customers who clicked the campaign's
 * email, and the lift report's order metrics (share who ordered, orders and revenue per customer in
 * the window, CUPED-adjusted), with the same statistics as the lift report: always-valid intervals
 * while a window is open, the fixed-horizon one at the final look, and "not enough data" below the
 * same minimum group sizes.
 */
public final class SendTimeComparison {
    /** One arm: its customers, those who clicked, those who ordered in the window. */
    public record Arm(long customers, long clickers, long buyers) {}

    /** A best-time minus local-time difference with the look's interval. */
    public record Difference(
            double bestTime,
            double fixedTime,
            double difference,
            double low,
            double high,
            double pValue) {
        static Difference of(Estimate estimate) {
            return new Difference(
                    estimate.treated(),
                    estimate.holdout(),
                    estimate.difference(),
                    estimate.low(),
                    estimate.high(),
                    estimate.pValue());
        }
    }

    /** The comparison as served; differences are null with "not enough data". */
    public record Report(
            String campaignId,
            int windowDays,
            Instant computedAt,
            String look,
            double intervalConfidence,
            double fixedTimeShare,
            Arm bestTime,
            Arm fixedTime,
            String notEnoughData,
            Difference clickRate,
            Difference orderRate,
            Difference ordersPerCustomer,
            Difference revenuePerCustomer,
            String verdict) {}

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final LiftReportService.Options options;

    public SendTimeComparison(
            Jdbi jdbi, ObjectMapper mapper, Clock clock, LiftReportService.Options options) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
        this.options = options;
    }

    /** The comparison; 404 for no such campaign, 409 {@code not_best_time} for a local-time one. */
    public Report compare(String tenantId, String campaignId, int windowDays) {
        if (jdbi.withExtension(CampaignDao.class, dao -> dao.find(tenantId, campaignId))
                .isEmpty()) {
            throw new NotFoundException("campaign", campaignId);
        }
        return ifBestTime(tenantId, campaignId, windowDays)
                .orElseThrow(
                        () ->
                                new ConflictException(
                                        "not_best_time",
                                        "Campaign "
                                                + campaignId
                                                + " sends at its schedule's local time; only a"
                                                + " best_time campaign compares send times"));
    }

    /**
     * The comparison, or empty for a campaign at its local time or one this tenant's campaigns do
     * not hold (the dashboard also lists campaigns known only by their ledger).
     */
    public java.util.Optional<Report> ifBestTime(
            String tenantId, String campaignId, int windowDays) {
        java.util.Optional<CampaignDao.CampaignRow> found =
                jdbi.withExtension(CampaignDao.class, dao -> dao.find(tenantId, campaignId));
        if (found.isEmpty()) {
            return java.util.Optional.empty();
        }
        CampaignDao.CampaignRow campaign = found.get();
        SendTimeArms arms = SendTimeArms.of(campaign.salt(), definition(campaign).schedule());
        if (arms == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(report(tenantId, campaignId, windowDays, arms));
    }

    private Report report(String tenantId, String campaignId, int windowDays, SendTimeArms arms) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Duration window = Duration.ofDays(windowDays);
        Duration pre = Duration.ofDays(options.preDays());
        LiftReportDao dao = jdbi.onDemand(LiftReportDao.class);
        Map<String, Integer> index = new HashMap<>();
        List<CustomerTally> tallies = new ArrayList<>();
        List<Boolean> fixed = new ArrayList<>();
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        long assigned = 0;
        String previous = null;
        // Ordered by customer, then send time: a customer's first row is their assignment.
        for (LiftReportDao.LedgerRow row : dao.ledger(tenantId, campaignId)) {
            if (row.customerId().equals(previous)) {
                continue;
            }
            previous = row.customerId();
            if (SendState.HELD_OUT.name().equals(row.state())) {
                continue;
            }
            assigned++;
            first = row.sendAt().isBefore(first) ? row.sendAt() : first;
            last = row.sendAt().isAfter(last) ? row.sendAt() : last;
            if (row.sendAt().isAfter(now)) {
                continue; // not due yet: nothing to measure
            }
            index.put(row.customerId(), tallies.size());
            Instant end = row.sendAt().plus(window);
            tallies.add(
                    new CustomerTally(
                            row.sendAt().minus(pre), row.sendAt(), end.isBefore(now) ? end : now));
            fixed.add(arms.fixedTime(row.customerId()));
        }
        Instant closesAt = assigned == 0 ? now : last.plus(window);
        boolean closed = !now.isBefore(closesAt);
        if (!tallies.isEmpty()) {
            dao.purchases(
                    tenantId,
                    campaignId,
                    first.minus(pre),
                    closesAt.isBefore(now) ? closesAt : now,
                    line -> {
                        Integer i = index.get(line.customerId());
                        if (i != null) {
                            tallies.get(i)
                                    .add(
                                            line.orderId(),
                                            line.quantity(),
                                            line.unitPrice(),
                                            line.occurredAt());
                        }
                    });
        }
        Set<String> clickers = clickers(tenantId, campaignId);
        boolean[] fixedArm = new boolean[fixed.size()];
        long[] customers = new long[2];
        long[] clicked = new long[2];
        List<String> measured = new ArrayList<>(index.keySet());
        for (String customerId : measured) {
            int i = index.get(customerId);
            fixedArm[i] = fixed.get(i);
            int arm = fixedArm[i] ? 1 : 0;
            customers[arm]++;
            clicked[arm] += clickers.contains(customerId) ? 1 : 0;
        }
        LiftAnalysis.Settings settings = options.analysis();
        Look look;
        if (closed) {
            look = settings.finalLook(windowDays);
        } else {
            long elapsedDays =
                    first.isAfter(now)
                            ? 1
                            : (Duration.between(first, now).toMinutes() + 1439) / 1440;
            int ofDays = (int) Math.max(1, (Duration.between(first, closesAt).toHours() + 23) / 24);
            look =
                    settings.interim(
                            (int) Math.max(1, Math.min(ofDays, elapsedDays)),
                            ofDays,
                            Math.max(1, assigned));
        }
        LiftAnalysis.Result orders =
                tallies.isEmpty()
                        ? null
                        : LiftAnalysis.analyze(
                                CustomerTally.outcomes(tallies), fixedArm, settings, look);
        String notEnough =
                orders == null
                        ? "No customer's send is due yet."
                        : orders.enoughData() ? null : orders.notEnoughData();
        Arm best = new Arm(customers[0], clicked[0], orders == null ? 0 : orders.treatedBuyers());
        Arm atLocalTime =
                new Arm(customers[1], clicked[1], orders == null ? 0 : orders.holdoutBuyers());
        Difference clickRate = null;
        Difference orderRate = null;
        Difference perCustomer = null;
        Difference revenue = null;
        String verdict;
        if (notEnough == null) {
            clickRate = Difference.of(clickRate(best, atLocalTime, look));
            orderRate = Difference.of(estimate(orders.repeatRate()));
            perCustomer = Difference.of(estimate(orders.ordersPerCustomer()));
            revenue = Difference.of(estimate(orders.revenuePerCustomer()));
            verdict = verdict(clickRate, orderRate);
        } else {
            verdict = "Not enough data yet to compare best time with local time. " + notEnough;
        }
        return new Report(
                campaignId,
                windowDays,
                now,
                closed ? "FINAL" : "INTERIM",
                look.intervalConfidence(),
                arms.fixedShare(),
                best,
                atLocalTime,
                notEnough,
                clickRate,
                orderRate,
                perCustomer,
                revenue,
                verdict);
    }

    private static Estimate estimate(MetricLift metric) {
        return metric.estimate();
    }

    /** The share who clicked, best time minus local time, as the look allows. */
    static Estimate clickRate(Arm best, Arm fixed, Look look) {
        double p1 = (double) best.clickers() / best.customers();
        double p0 = (double) fixed.clickers() / fixed.customers();
        double se = Math.sqrt(p1 * (1 - p1) / best.customers() + p0 * (1 - p0) / fixed.customers());
        return LiftStatistics.atLook(
                p1, p0, se, Double.POSITIVE_INFINITY, best.customers() + fixed.customers(), look);
    }

    private static String verdict(Difference clicks, Difference orders) {
        return String.format(
                java.util.Locale.ROOT,
                "Best time minus local time: click rate %+.1f points (%+.1f to %+.1f), order rate"
                        + " %+.1f points (%+.1f to %+.1f)%s",
                100 * clicks.difference(),
                100 * clicks.low(),
                100 * clicks.high(),
                100 * orders.difference(),
                100 * orders.low(),
                100 * orders.high(),
                orders.low() > 0
                        ? ": the best time brought more orders."
                        : orders.high() < 0
                                ? ": the local time brought more orders."
                                : "; no difference in orders shown yet.");
    }

    /** Customers who clicked this campaign's email (its links tag each click with it). */
    private Set<String> clickers(String tenantId, String campaignId) {
        return new HashSet<>(
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT DISTINCT e.customer_id FROM events e"
                                                        + " WHERE e.tenant_id = :tenantId"
                                                        + " AND e.type = 'email_clicked'"
                                                        + " AND e.customer_id IN (SELECT"
                                                        + " s.customer_id FROM campaign_sends s"
                                                        + " WHERE s.tenant_id = :tenantId"
                                                        + " AND s.campaign_id = :campaignId)"
                                                        + " AND JSON_VALUE(e.payload,"
                                                        + " '$.context.campaignId')"
                                                        + " = :campaignId")
                                        .bind("tenantId", tenantId)
                                        .bind("campaignId", campaignId)
                                        .mapTo(String.class)
                                        .list()));
    }

    private CampaignRequest definition(CampaignDao.CampaignRow row) {
        try {
            return mapper.readValue(row.definition(), CampaignRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored campaign definition always parses", e);
        }
    }
}
