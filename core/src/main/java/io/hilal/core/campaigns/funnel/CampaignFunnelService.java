package io.hilal.core.campaigns.funnel;

import io.hilal.core.campaigns.CampaignDao;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.lift.LiftReportDao;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Works out a campaign's {@link CampaignFunnel} from the ledger, the bounces and complaints, the
 * email's engagement events (tagged with the campaign) and the customers' order lines. Customers in
 * several runs are counted in their first run, as the lift report counts them.
 */
public final class CampaignFunnelService {
    private static final String HELD_OUT = "HELD_OUT";

    private final Jdbi jdbi;
    private final Clock clock;

    public CampaignFunnelService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The funnel of a campaign of this tenant; 404 for an unknown id or another tenant's. */
    public CampaignFunnel funnel(String tenantId, String campaignId, int windowDays) {
        Instant now = clock.instant();
        return jdbi.inTransaction(
                handle -> {
                    Map<String, Long> states = states(handle, tenantId, campaignId);
                    if (states.isEmpty()
                            && handle.attach(CampaignDao.class)
                                    .find(tenantId, campaignId)
                                    .isEmpty()) {
                        throw new NotFoundException("No such campaign");
                    }
                    Map<String, Long> mail = mailEvents(handle, tenantId, campaignId);
                    Map<String, Long> engaged = engagement(handle, tenantId, campaignId);
                    Outcomes outcomes =
                            outcomes(
                                    handle, tenantId, campaignId, Duration.ofDays(windowDays), now);
                    long heldOut = states.getOrDefault(HELD_OUT, 0L);
                    long all = states.values().stream().mapToLong(Long::longValue).sum();
                    return new CampaignFunnel(
                            campaignId,
                            windowDays,
                            all - heldOut,
                            heldOut,
                            states.getOrDefault("PLANNED", 0L)
                                    + states.getOrDefault("DEFERRED", 0L)
                                    + states.getOrDefault("SENDING", 0L),
                            states.getOrDefault("SENT", 0L),
                            states.getOrDefault("FAILED", 0L),
                            mail.getOrDefault("bounce", 0L),
                            failedOrBounced(handle, tenantId, campaignId),
                            mail.getOrDefault("complaint", 0L),
                            states.getOrDefault("SUPPRESSED", 0L),
                            states.getOrDefault("EXPIRED", 0L),
                            states.getOrDefault("UNKNOWN_INFLIGHT", 0L),
                            engaged.getOrDefault("email_clicked", 0L),
                            engaged.getOrDefault("email_unsubscribed", 0L),
                            engaged.getOrDefault("product_rated", 0L),
                            outcomes.treated().arm(),
                            outcomes.heldOut().arm(),
                            List.copyOf(outcomes.currencies()));
                });
    }

    private static Map<String, Long> states(Handle handle, String tenantId, String campaignId) {
        return counts(
                handle,
                "SELECT state, COUNT(*) FROM campaign_sends WHERE tenant_id = :tenantId"
                        + " AND campaign_id = :campaignId GROUP BY state",
                tenantId,
                campaignId);
    }

    /** Customers (or addresses, for a notification tied to no customer) per kind. */
    private static Map<String, Long> mailEvents(Handle handle, String tenantId, String campaignId) {
        return counts(
                handle,
                "SELECT kind, COUNT(DISTINCT COALESCE(customer_id, email)) FROM mail_events"
                        + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                        + " AND permanent GROUP BY kind",
                tenantId,
                campaignId);
    }

    private static long failedOrBounced(Handle handle, String tenantId, String campaignId) {
        return handle.createQuery(
                        "SELECT COUNT(*) FROM (SELECT customer_id FROM campaign_sends"
                                + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                                + " AND state = 'FAILED' UNION SELECT COALESCE(customer_id, email)"
                                + " FROM mail_events WHERE tenant_id = :tenantId"
                                + " AND campaign_id = :campaignId AND kind = 'bounce'"
                                + " AND permanent) failed")
                .bind("tenantId", tenantId)
                .bind("campaignId", campaignId)
                .mapTo(Long.class)
                .one();
    }

    /**
     * Customers per engagement event of this campaign's emails: the links tag each event with the
     * campaign; a thumbs-up is not "Not for me".
     */
    private static Map<String, Long> engagement(Handle handle, String tenantId, String campaignId) {
        return counts(
                handle,
                "SELECT e.type, COUNT(DISTINCT e.customer_id) FROM events e"
                        + " WHERE e.tenant_id = :tenantId"
                        + " AND e.type IN ('email_clicked', 'email_unsubscribed', 'product_rated')"
                        + " AND e.customer_id IN (SELECT s.customer_id FROM campaign_sends s"
                        + " WHERE s.tenant_id = :tenantId AND s.campaign_id = :campaignId)"
                        + " AND JSON_VALUE(e.payload, '$.context.campaignId') = :campaignId"
                        + " AND (e.type <> 'product_rated'"
                        + " OR JSON_VALUE(e.payload, '$.rating') = 'down')"
                        + " GROUP BY e.type",
                tenantId,
                campaignId);
    }

    private static Map<String, Long> counts(
            Handle handle, String sql, String tenantId, String campaignId) {
        Map<String, Long> counts = new HashMap<>();
        handle.createQuery(sql)
                .bind("tenantId", tenantId)
                .bind("campaignId", campaignId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
        return counts;
    }

    /** One arm's running totals. */
    private static final class Tally {
        long customers;
        final Set<String> buyers = new HashSet<>();
        final Set<String> orders = new HashSet<>();
        BigDecimal revenue = BigDecimal.ZERO;

        CampaignFunnel.Arm arm() {
            return new CampaignFunnel.Arm(
                    customers,
                    buyers.size(),
                    orders.size(),
                    revenue.setScale(2, RoundingMode.HALF_UP),
                    customers == 0 ? null : (double) buyers.size() / customers,
                    customers == 0
                            ? null
                            : revenue.divide(
                                    BigDecimal.valueOf(customers), 2, RoundingMode.HALF_UP));
        }
    }

    private record Outcomes(Tally treated, Tally heldOut, TreeSet<String> currencies) {}

    /** A customer's window, from their first planned send, and their arm. */
    private record Window(Instant from, Instant to, boolean heldOut) {}

    private static Outcomes outcomes(
            Handle handle, String tenantId, String campaignId, Duration window, Instant now) {
        LiftReportDao dao = handle.attach(LiftReportDao.class);
        Map<String, Window> windows = new HashMap<>();
        Outcomes outcomes = new Outcomes(new Tally(), new Tally(), new TreeSet<>());
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        String previous = null;
        // Ordered by customer, then send time: a customer's first row is their assignment.
        for (LiftReportDao.LedgerRow row : dao.ledger(tenantId, campaignId)) {
            if (row.customerId().equals(previous)) {
                continue;
            }
            previous = row.customerId();
            if (row.sendAt().isAfter(now)) {
                continue; // not due yet: nothing to measure
            }
            boolean heldOut = HELD_OUT.equals(row.state());
            Instant to = min(row.sendAt().plus(window), now);
            windows.put(row.customerId(), new Window(row.sendAt(), to, heldOut));
            (heldOut ? outcomes.heldOut() : outcomes.treated()).customers++;
            first = row.sendAt().isBefore(first) ? row.sendAt() : first;
            last = to.isAfter(last) ? to : last;
        }
        if (windows.isEmpty()) {
            return outcomes;
        }
        List<LiftReportDao.PurchaseLine> lines = new ArrayList<>();
        dao.purchases(tenantId, campaignId, first, last, lines::add);
        for (LiftReportDao.PurchaseLine line : lines) {
            Window customer = windows.get(line.customerId());
            if (customer == null
                    || line.occurredAt().isBefore(customer.from())
                    || !line.occurredAt().isBefore(customer.to())) {
                continue;
            }
            Tally tally = customer.heldOut() ? outcomes.heldOut() : outcomes.treated();
            if (line.quantity() > 0) {
                tally.buyers.add(line.customerId());
                tally.orders.add(line.customerId() + "\n" + line.orderId());
            }
            tally.revenue =
                    tally.revenue.add(
                            BigDecimal.valueOf(line.unitPrice())
                                    .multiply(BigDecimal.valueOf(line.quantity())));
            if (line.currency() != null) {
                outcomes.currencies().add(line.currency());
            }
        }
        return outcomes;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
