package io.hilal.core.campaigns;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface SendLedgerDao {
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
                    + " message_id, send_at, valid_until, attempts, updated_at)"
                    + " VALUES (:tenantId, :campaignId, :runId, :r.customerId, :r.state, :r.messageId,"
                    + " :r.sendAt, :r.validUntil, 0, :r.now)"
                    + " ON DUPLICATE KEY UPDATE customer_id = customer_id")
    void plan(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @BindMethods("r") List<Row> rows);

    @SqlQuery(
            "SELECT customer_id FROM campaign_sends WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId"
                    + " AND state IN ('PLANNED', 'DEFERRED') AND send_at <= :now"
                    + " AND (next_attempt_at IS NULL OR next_attempt_at <= :now)"
                    + " AND valid_until > :now ORDER BY send_at, customer_id LIMIT :limit")
    List<String> due(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("now") Instant now,
            @Bind("limit") int limit);

    /**
     * Moves a row from one state to another only if it is still in the first: the compare-and-set
     * that lets several workers race for a send and exactly one win it.
     */
    @SqlUpdate(
            "UPDATE campaign_sends SET state = :to, reason = :reason, worker = :worker,"
                    + " attempts = attempts + CASE WHEN :to = 'SENDING' THEN 1 ELSE 0 END,"
                    + " sent_at = CASE WHEN :to = 'SENT' THEN :now ELSE sent_at END,"
                    + " updated_at = :now WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " AND run_id = :runId AND customer_id = :customerId AND state = :from")
    int transition(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("customerId") String customerId,
            @Bind("from") String from,
            @Bind("to") String to,
            @Bind("reason") String reason,
            @Bind("worker") String worker,
            @Bind("now") Instant now);

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

    /** A send that may be claimed, with what the checks before sending need of its recipient. */
    record Candidate(
            String customerId,
            String messageId,
            Instant validUntil,
            String email,
            String timeZone,
            String emailConsent) {}

    /**
     * Locks the still claimable (PLANNED or DEFERRED) sends among {@code customerIds} together with
     * their customers' rows. Every claim locks the customer first, whatever the campaign, so two
     * workers sending two campaigns to one customer take turns: the second one's frequency-cap
     * count, read after the lock, sees the first one's claim.
     */
    @SqlQuery(
            "SELECT s.customer_id, s.message_id, s.valid_until, c.email, c.time_zone,"
                    + " c.email_consent FROM campaign_sends s LEFT JOIN customers c"
                    + " ON c.tenant_id = s.tenant_id AND c.customer_id = s.customer_id"
                    + " WHERE s.tenant_id = :tenantId AND s.campaign_id = :campaignId"
                    + " AND s.run_id = :runId AND s.customer_id IN (<ids>)"
                    + " AND s.state IN ('PLANNED', 'DEFERRED') ORDER BY s.customer_id FOR UPDATE")
    @org.jdbi.v3.sqlobject.config.RegisterConstructorMapper(Candidate.class)
    List<Candidate> lockClaimable(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @BindList("ids") Collection<String> customerIds);

    @SqlQuery("SELECT email FROM suppressions WHERE tenant_id = :tenantId AND email IN (<emails>)")
    List<String> suppressedAmong(
            @Bind("tenantId") String tenantId, @BindList("emails") Collection<String> emails);

    /** A campaign email a customer got (or may have got) recently, for the frequency cap. */
    record RecentSend(String customerId, Instant at) {}

    /**
     * The campaign emails {@code customerIds} got, or may have got, since {@code since}, other than
     * this run's: SENT, SENDING (in flight now) and UNKNOWN_INFLIGHT all count against a cap.
     */
    @SqlQuery(
            "SELECT customer_id, COALESCE(sent_at, updated_at) AS at FROM campaign_sends"
                    + " WHERE tenant_id = :tenantId AND customer_id IN (<ids>)"
                    + " AND state IN ('SENT', 'SENDING', 'UNKNOWN_INFLIGHT')"
                    + " AND COALESCE(sent_at, updated_at) > :since"
                    + " AND NOT (campaign_id = :campaignId AND run_id = :runId)")
    @org.jdbi.v3.sqlobject.config.RegisterConstructorMapper(RecentSend.class)
    List<RecentSend> recentSendsOf(
            @Bind("tenantId") String tenantId,
            @BindList("ids") Collection<String> customerIds,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("since") Instant since);

    /** Claims sends locked by {@link #lockClaimable}, all in one statement. */
    @SqlUpdate(
            "UPDATE campaign_sends SET state = 'SENDING', worker = :worker,"
                    + " attempts = attempts + 1, updated_at = :now WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId"
                    + " AND customer_id IN (<ids>) AND state IN ('PLANNED', 'DEFERRED')")
    int claimAll(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @BindList("ids") Collection<String> customerIds,
            @Bind("worker") String worker,
            @Bind("now") Instant now);

    /** Records the relay's acceptance of sends this worker claimed, all in one statement. */
    @SqlUpdate(
            "UPDATE campaign_sends SET state = 'SENT', reason = NULL, sent_at = :now,"
                    + " updated_at = :now WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " AND run_id = :runId AND customer_id IN (<ids>) AND state = 'SENDING'"
                    + " AND worker = :worker")
    int sentAll(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @BindList("ids") Collection<String> customerIds,
            @Bind("worker") String worker,
            @Bind("now") Instant now);

    /**
     * Settles sends one by one (FAILED, SUPPRESSED, DEFERRED, EXPIRED): from SENDING when this
     * worker claimed them ({@code claimed}), else from PLANNED or DEFERRED.
     */
    @SqlBatch(
            "UPDATE campaign_sends SET state = :o.state, reason = :o.reason,"
                    + " next_attempt_at = CASE WHEN :o.state = 'DEFERRED' THEN :o.nextAttempt"
                    + " ELSE next_attempt_at END, worker = :worker, updated_at = :now"
                    + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId AND run_id = :runId"
                    + " AND customer_id = :o.customerId AND (CASE WHEN :claimed THEN state ="
                    + " 'SENDING' AND worker = :worker ELSE state IN ('PLANNED', 'DEFERRED') END)")
    int[] settle(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @BindMethods("o") List<SendLedger.Outcome> outcomes,
            @Bind("claimed") boolean claimed,
            @Bind("worker") String worker,
            @Bind("now") Instant now);

    @SqlQuery(
            "SELECT COUNT(*) FROM campaign_sends WHERE tenant_id = :tenantId AND sent_at >= :since")
    long sentSince(@Bind("tenantId") String tenantId, @Bind("since") Instant since);

    @SqlQuery(
            "SELECT COUNT(*) FROM campaign_sends WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId"
                    + " AND state IN ('PLANNED', 'DEFERRED', 'SENDING')")
    long unfinished(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId);

    /** SENDING rows of workers whose heartbeat stopped before {@code cutoff} (or never came). */
    @SqlUpdate(
            "UPDATE campaign_sends SET state = :to, reason = 'worker stopped while sending',"
                    + " updated_at = :now WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " AND run_id = :runId AND state = 'SENDING' AND worker NOT IN (SELECT"
                    + " worker_id FROM campaign_workers WHERE heartbeat_at >= :cutoff)")
    int recoverDead(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("to") String to,
            @Bind("cutoff") Instant cutoff,
            @Bind("now") Instant now);

    @SqlUpdate(
            "INSERT INTO campaign_workers (worker_id, started_at, heartbeat_at) VALUES (:worker,"
                    + " :now, :now) ON DUPLICATE KEY UPDATE heartbeat_at = VALUES(heartbeat_at)")
    void heartbeat(@Bind("worker") String worker, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM campaign_workers WHERE heartbeat_at < :before")
    int forgetWorkers(@Bind("before") Instant before);

    @SqlUpdate(
            "UPDATE campaign_sends SET state = 'EXPIRED', reason = 'offer ended before it could be"
                    + " sent', updated_at = :now WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " AND run_id = :runId AND state IN ('PLANNED', 'DEFERRED') AND valid_until <= :now")
    int expire(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("now") Instant now);

    /** After a crash: whatever a dead worker was sending has an unknown fate. */
    @SqlUpdate(
            "UPDATE campaign_sends SET state = 'UNKNOWN_INFLIGHT', reason = 'worker stopped while"
                    + " sending', updated_at = :now WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND run_id = :runId AND state = 'SENDING'"
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

    @SqlUpdate(
            "INSERT INTO suppressions (tenant_id, email, reason, created_at)"
                    + " VALUES (:tenantId, :email, :reason, :now)"
                    + " ON DUPLICATE KEY UPDATE email = email")
    void suppress(
            @Bind("tenantId") String tenantId,
            @Bind("email") String email,
            @Bind("reason") String reason,
            @Bind("now") Instant now);

    @SqlQuery(
            "SELECT COUNT(*) > 0 FROM suppressions WHERE tenant_id = :tenantId AND email = :email")
    boolean suppressed(@Bind("tenantId") String tenantId, @Bind("email") String email);
}
