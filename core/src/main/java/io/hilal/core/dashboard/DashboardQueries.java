package io.hilal.core.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The read-only queries behind the dashboard's pages that no other feature needs: daily event
 * counts, the repeat-purchase rate, and the campaign send ledger summed by state. Every query is
 * scoped by the tenant id it is given first.
 */
public interface DashboardQueries {
    /** Events and distinct orders on one UTC day ({@code yyyy-MM-dd}). */
    record DayCount(String day, long events, long orders) {}

    /** Customers with at least one order, and those with two or more. */
    record RepeatCount(long buyers, long repeaters) {}

    /** How many ledger rows of one campaign are in one state. */
    record StateCount(String campaignId, String state, long sends) {}

    /** A send still waiting to go out. */
    record QueuedSend(String runId, String customerId, Instant sendAt, Instant validUntil) {}

    /** One ledger row as the lift computation sees it: group, send time, first purchase after. */
    record Exposure(boolean heldOut, Instant sendAt, Instant firstPurchaseAt) {}

    @SqlQuery("SELECT MAX(occurred_at) FROM events WHERE tenant_id = :tenantId")
    Optional<Instant> latestEvent(@Bind("tenantId") String tenantId);

    @SqlQuery(
            "SELECT DATE_FORMAT(occurred_at, '%Y-%m-%d') AS day, COUNT(*) AS events,"
                    + " COUNT(DISTINCT CASE WHEN type = 'order_completed' THEN order_id END)"
                    + " AS orders"
                    + " FROM events WHERE tenant_id = :tenantId"
                    + " AND occurred_at >= :from AND occurred_at < :to"
                    + " GROUP BY DATE_FORMAT(occurred_at, '%Y-%m-%d') ORDER BY day")
    @RegisterConstructorMapper(DayCount.class)
    List<DayCount> eventsPerDay(
            @Bind("tenantId") String tenantId, @Bind("from") Instant from, @Bind("to") Instant to);

    @SqlQuery(
            "SELECT COUNT(*) AS buyers, COALESCE(SUM(orders >= 2), 0) AS repeaters FROM ("
                    + " SELECT customer_id, COUNT(DISTINCT order_id) AS orders FROM events"
                    + " WHERE tenant_id = :tenantId AND type = 'order_completed'"
                    + " AND customer_id IS NOT NULL GROUP BY customer_id) per_customer")
    @RegisterConstructorMapper(RepeatCount.class)
    RepeatCount repeatCount(@Bind("tenantId") String tenantId);

    @SqlQuery(
            "SELECT campaign_id, state, COUNT(*) AS sends FROM campaign_sends"
                    + " WHERE tenant_id = :tenantId GROUP BY campaign_id, state"
                    + " ORDER BY campaign_id, state")
    @RegisterConstructorMapper(StateCount.class)
    List<StateCount> ledgerCounts(@Bind("tenantId") String tenantId);

    /** A campaign worker as its heartbeat row shows it. */
    record Worker(String workerId, Instant startedAt, Instant heartbeatAt) {}

    /**
     * The workers that wrote a heartbeat lately (they are forgotten after a week), latest first.
     */
    @SqlQuery(
            "SELECT worker_id, started_at, heartbeat_at FROM campaign_workers"
                    + " ORDER BY heartbeat_at DESC, worker_id LIMIT :limit")
    @RegisterConstructorMapper(Worker.class)
    List<Worker> workers(@Bind("limit") int limit);

    /** How many of a tenant's sends a worker has in flight (SENDING). */
    record InFlight(String worker, long sends) {}

    @SqlQuery(
            "SELECT worker, COUNT(*) AS sends FROM campaign_sends"
                    + " FORCE INDEX (ix_campaign_sends_open) WHERE tenant_id = :tenantId"
                    + " AND due_at IS NOT NULL AND state = 'SENDING' GROUP BY worker")
    @RegisterConstructorMapper(InFlight.class)
    List<InFlight> inFlight(@Bind("tenantId") String tenantId);

    /** Sends of unknown fate (a worker stopped while sending them) nobody decided on yet. */
    record UnknownSends(
            String campaignId, String runId, String worker, long sends, Instant since) {}

    @SqlQuery(
            "SELECT campaign_id, run_id, worker, COUNT(*) AS sends, MIN(updated_at) AS since"
                    + " FROM campaign_sends WHERE tenant_id = :tenantId"
                    + " AND state = 'UNKNOWN_INFLIGHT' AND fate_closed_at IS NULL"
                    + " GROUP BY campaign_id, run_id, worker ORDER BY campaign_id, run_id, worker")
    @RegisterConstructorMapper(UnknownSends.class)
    List<UnknownSends> undecidedUnknown(@Bind("tenantId") String tenantId);

    @SqlQuery(
            "SELECT run_id, customer_id, send_at, valid_until FROM campaign_sends"
                    + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " AND state IN ('PLANNED', 'DEFERRED')"
                    + " ORDER BY send_at, customer_id LIMIT :limit")
    @RegisterConstructorMapper(QueuedSend.class)
    List<QueuedSend> outbox(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("limit") int limit);

    /**
     * Every send of a campaign due by {@code until}, held out or not, with the customer's first
     * purchase after the send time: what repeat-purchase lift is measured on.
     */
    @SqlQuery(
            "SELECT s.state = 'HELD_OUT' AS held_out, s.send_at,"
                    + " (SELECT MIN(o.occurred_at) FROM order_lines o"
                    + "   WHERE o.tenant_id = s.tenant_id AND o.customer_id = s.customer_id"
                    + "   AND o.occurred_at > s.send_at AND o.quantity > 0) AS first_purchase_at"
                    + " FROM campaign_sends s"
                    + " WHERE s.tenant_id = :tenantId AND s.campaign_id = :campaignId"
                    + " AND s.send_at <= :until")
    @RegisterConstructorMapper(Exposure.class)
    List<Exposure> exposures(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("until") Instant until);
}
