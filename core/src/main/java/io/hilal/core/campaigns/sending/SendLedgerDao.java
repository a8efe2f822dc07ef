package io.hilal.core.campaigns.sending;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The statements of the send ledger, used only by {@link SendLedger}. */
interface SendLedgerDao {
    /** A ledger row to insert. */
    record Row(
            String customerId,
            String state,
            String messageId,
            Instant sendAt,
            Instant validUntil,
            Instant now) {}

    /** Planning twice is harmless: an existing row (whatever its state) is left alone. */
    @SqlBatch(
            "INSERT INTO campaign_sends (tenant_id, campaign_id, run_id, customer_id, state,"
                    + " message_id, send_at, due_at, valid_until, attempts, updated_at)"
                    + " VALUES (:tenantId, :campaignId, :runId, :r.customerId, :r.state,"
                    + " :r.messageId, :r.sendAt, CASE WHEN :r.state = 'PLANNED' THEN :r.sendAt END,"
                    + " :r.validUntil, 0, :r.now)"
                    + " ON DUPLICATE KEY UPDATE customer_id = customer_id")
    void plan(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @BindMethods("r") List<Row> rows);

    /** Claims a planned or deferred send: the compare-and-set that lets one worker win it. */
    @SqlUpdate(
            "UPDATE campaign_sends SET state = 'SENDING', worker = :worker,"
                    + " attempts = attempts + 1, updated_at = :now WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId"
                    + " AND customer_id = :customerId AND state IN ('PLANNED', 'DEFERRED')")
    int claim(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("customerId") String customerId,
            @Bind("worker") String worker,
            @Bind("now") Instant now);

    /**
     * The tenant's emails sent since {@code since}, a quarter-hour boundary (as every local
     * midnight is): see {@link SendLedger#quarterOf}.
     */
    @SqlQuery(
            "SELECT COALESCE(SUM(sends), 0) FROM tenant_sends WHERE tenant_id = :tenantId"
                    + " AND quarter_start >= :since")
    long sentSince(@Bind("tenantId") String tenantId, @Bind("since") Instant since);

    /** The tenants with counts of quarter hours before {@code before}. */
    @SqlQuery("SELECT DISTINCT tenant_id FROM tenant_sends WHERE quarter_start < :before")
    List<String> tenantsWithSendCountsBefore(@Bind("before") Instant before);

    /**
     * Forgets the tenant's counts of quarter hours before {@code before}: no day's cap reads them.
     */
    @SqlUpdate("DELETE FROM tenant_sends WHERE tenant_id = :tenantId AND quarter_start < :before")
    int forgetSendCounts(@Bind("tenantId") String tenantId, @Bind("before") Instant before);

    /** Sends not yet ended (PLANNED, DEFERRED, SENDING): the entries of the open index. */
    @SqlQuery(
            "SELECT COUNT(*) FROM campaign_sends WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId AND due_at IS NOT NULL")
    long unfinished(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId);

    /**
     * SENDING rows of workers whose heartbeat stopped before {@code cutoff} (or never came). A send
     * was due when it was claimed, so only the open sends due by {@code dueBy} are read: the
     * present plus an allowance for clocks that disagree, not a run's sends waiting for weeks.
     */
    @SqlUpdate(
            "UPDATE campaign_sends FORCE INDEX (ix_campaign_sends_open) SET state = :to,"
                    + " reason = 'worker stopped while sending',"
                    + " due_at = CASE WHEN :to = 'PLANNED' THEN due_at END, updated_at = :now"
                    + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " AND run_id = :runId AND due_at <= :dueBy AND state = 'SENDING'"
                    + " AND worker NOT IN (SELECT worker_id FROM campaign_workers"
                    + " WHERE heartbeat_at >= :cutoff)")
    int recoverDead(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("to") String to,
            @Bind("cutoff") Instant cutoff,
            @Bind("dueBy") Instant dueBy,
            @Bind("now") Instant now);

    /**
     * The workers of the SENDING rows {@link #recoverDead} would take, one row per send, locked: so
     * that recovery can say whose sends it marked.
     */
    @SqlQuery(
            "SELECT worker FROM campaign_sends FORCE INDEX (ix_campaign_sends_open)"
                    + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " AND run_id = :runId AND due_at <= :dueBy AND state = 'SENDING'"
                    + " AND worker NOT IN (SELECT worker_id FROM campaign_workers"
                    + " WHERE heartbeat_at >= :cutoff) FOR UPDATE")
    List<String> deadWorkersSends(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("cutoff") Instant cutoff,
            @Bind("dueBy") Instant dueBy);

    @SqlQuery(
            "SELECT run_id, worker, COUNT(*) AS sends, MIN(updated_at) AS since"
                    + " FROM campaign_sends WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND state = 'UNKNOWN_INFLIGHT'"
                    + " AND fate_closed_at IS NULL GROUP BY run_id, worker ORDER BY run_id, worker")
    @RegisterConstructorMapper(SendLedger.UnknownSends.class)
    List<SendLedger.UnknownSends> undecidedUnknown(
            @Bind("tenantId") String tenantId, @Bind("campaignId") String campaignId);

    /**
     * The marketer's decision to send a campaign's sends of unknown fate again: PLANNED and due
     * now, so the next sender claims them under every rule a send passes (an offer that ended
     * meanwhile expires them). Their Message-ID stays, so a relay or inbox that got the first copy
     * can recognise the second.
     */
    @SqlUpdate(
            "UPDATE campaign_sends SET state = 'PLANNED', due_at = :now,"
                    + " reason = 'sent again: fate unknown after a worker stopped',"
                    + " updated_at = :now WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " AND state = 'UNKNOWN_INFLIGHT' AND fate_closed_at IS NULL")
    int resendUnknown(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("now") Instant now);

    /** The runs that {@link #resendUnknown} would give sends back to. */
    @SqlQuery(
            "SELECT DISTINCT run_id FROM campaign_sends WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND state = 'UNKNOWN_INFLIGHT'"
                    + " AND fate_closed_at IS NULL")
    List<String> runsWithUndecidedUnknown(
            @Bind("tenantId") String tenantId, @Bind("campaignId") String campaignId);

    /**
     * The marketer's decision to leave a campaign's sends of unknown fate as they are: they stay
     * UNKNOWN_INFLIGHT (they may have gone out, and count so against frequency caps), decided.
     */
    @SqlUpdate(
            "UPDATE campaign_sends SET fate_closed_at = :now, updated_at = :now"
                    + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " AND state = 'UNKNOWN_INFLIGHT' AND fate_closed_at IS NULL")
    int closeUnknown(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("now") Instant now);

    @SqlUpdate(
            "UPDATE campaign_sends FORCE INDEX (ix_campaign_sends_open) SET state = 'EXPIRED',"
                    + " reason = 'offer ended before it could be sent', due_at = NULL,"
                    + " updated_at = :now WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId AND due_at IS NOT NULL"
                    + " AND state IN ('PLANNED', 'DEFERRED') AND valid_until <= :now")
    int expire(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("now") Instant now);

    /** Due sends the tenant's daily quota holds back until {@code until}: see SendLedger. */
    @SqlUpdate(
            "UPDATE campaign_sends FORCE INDEX (ix_campaign_sends_open) SET state = 'DEFERRED',"
                    + " next_attempt_at = :until, due_at = :until, reason = :reason,"
                    + " updated_at = :now WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId AND due_at <= :now"
                    + " AND state IN ('PLANNED', 'DEFERRED') AND valid_until > :until")
    int deferForQuota(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("now") Instant now,
            @Bind("until") Instant until,
            @Bind("reason") String reason);

    /** Due sends the quota holds back past the end of their offer. */
    @SqlUpdate(
            "UPDATE campaign_sends FORCE INDEX (ix_campaign_sends_open) SET state = 'EXPIRED',"
                    + " reason = :reason, due_at = NULL, updated_at = :now"
                    + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " AND run_id = :runId AND due_at <= :now"
                    + " AND state IN ('PLANNED', 'DEFERRED') AND valid_until <= :until")
    int expireForQuota(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("now") Instant now,
            @Bind("until") Instant until,
            @Bind("reason") String reason);

    /** After a crash: whatever a dead worker was sending has an unknown fate. */
    @SqlUpdate(
            "UPDATE campaign_sends FORCE INDEX (ix_campaign_sends_open) SET"
                    + " state = 'UNKNOWN_INFLIGHT', reason = 'worker stopped while sending',"
                    + " due_at = NULL, updated_at = :now WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId AND due_at IS NOT NULL"
                    + " AND state = 'SENDING'"
                    + " AND (:worker IS NULL OR worker = :worker)")
    int markInflightUnknown(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("worker") String worker,
            @Bind("now") Instant now);

    @SqlQuery(
            "SELECT state, COUNT(*) AS sends FROM campaign_sends WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId GROUP BY state")
    @KeyColumn("state")
    @ValueColumn("sends")
    Map<String, Long> countByState(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId);

    @SqlQuery(
            "SELECT message_id FROM campaign_sends WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId AND customer_id = :customerId")
    String messageId(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("customerId") String customerId);

    /** The offer variant chosen for a send, with its segment and the share it was chosen at. */
    @SqlUpdate(
            "UPDATE campaign_sends SET variant = :variant, variant_segment = :segment,"
                    + " variant_share = :share, variant_at = :now WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId"
                    + " AND customer_id = :customerId")
    int recordVariant(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("customerId") String customerId,
            @Bind("variant") String variant,
            @Bind("segment") String segment,
            @Bind("share") double share,
            @Bind("now") Instant now);

    /** Cancelling: what has not gone out yet will not go out. */
    @SqlUpdate(
            "UPDATE campaign_sends SET state = 'EXPIRED', reason = 'campaign cancelled',"
                    + " due_at = NULL, updated_at = :now WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND state IN ('PLANNED', 'DEFERRED')")
    int expireUnsent(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("now") Instant now);

    /**
     * The exit: each order takes its customer out of the journeys entered before it that still have
     * an email to send, marking the entries exited; one per customer and journey run, the count a
     * pass reports. The customer is named on both joined tables so that each side is read through
     * its customer index, not the tenant's whole range. {@link #expireExitedSends} then cancels
     * those emails.
     */
    @SqlBatch(
            "UPDATE journey_entries e JOIN campaign_sends s ON s.tenant_id = e.tenant_id"
                    + " AND s.campaign_id = e.journey_id AND s.run_id = e.run_id"
                    + " AND s.customer_id = e.customer_id SET e.exited_at = :now"
                    + " WHERE e.tenant_id = :tenantId AND e.customer_id = :x.customerId"
                    + " AND s.tenant_id = :tenantId AND s.customer_id = :x.customerId"
                    + " AND s.state IN ('PLANNED', 'DEFERRED') AND e.triggered_at < :x.at"
                    + " AND e.exited_at IS NULL")
    int[] exitJourneys(
            @Bind("tenantId") String tenantId,
            @BindMethods("x") List<SendLedger.JourneyExit> orders,
            @Bind("now") Instant now);

    /** Browse abandonment also ends with a cart add: its entries, as {@link #exitJourneys}. */
    @SqlBatch(
            "UPDATE journey_entries e JOIN campaign_sends s ON s.tenant_id = e.tenant_id"
                    + " AND s.campaign_id = e.journey_id AND s.run_id = e.run_id"
                    + " AND s.customer_id = e.customer_id JOIN journeys j ON j.tenant_id ="
                    + " e.tenant_id AND j.journey_id = e.journey_id SET e.exited_at = :now"
                    + " WHERE e.tenant_id = :tenantId AND e.customer_id = :x.customerId"
                    + " AND s.tenant_id = :tenantId AND s.customer_id = :x.customerId"
                    + " AND j.kind = 'browse_abandonment'"
                    + " AND s.state IN ('PLANNED', 'DEFERRED') AND e.triggered_at < :x.at"
                    + " AND e.exited_at IS NULL")
    int[] exitBrowseJourneys(
            @Bind("tenantId") String tenantId,
            @BindMethods("x") List<SendLedger.JourneyExit> cartAdds,
            @Bind("now") Instant now);

    /**
     * The exited entries' emails not yet gone out: expired with the reason (an order, or a cart add
     * for browse abandonment), never sent.
     */
    @SqlBatch(
            "UPDATE campaign_sends s JOIN journey_entries e ON e.tenant_id = s.tenant_id"
                    + " AND e.journey_id = s.campaign_id AND e.run_id = s.run_id"
                    + " AND e.customer_id = s.customer_id SET s.state = 'EXPIRED',"
                    + " s.reason = :reason, s.due_at = NULL, s.updated_at = :now"
                    + " WHERE s.tenant_id = :tenantId AND s.customer_id = :x.customerId"
                    + " AND e.tenant_id = :tenantId AND e.customer_id = :x.customerId"
                    + " AND s.state IN ('PLANNED', 'DEFERRED') AND e.triggered_at < :x.at"
                    + " AND e.exited_at IS NOT NULL")
    int[] expireExitedSends(
            @Bind("tenantId") String tenantId,
            @BindMethods("x") List<SendLedger.JourneyExit> exits,
            @Bind("reason") String reason,
            @Bind("now") Instant now);
}
