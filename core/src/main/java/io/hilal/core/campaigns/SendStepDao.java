package io.hilal.core.campaigns;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.EmptyHandling;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The statements of one sending step of {@link SendLedger#settleAndClaim}: record how the last
 * step's sends ended, lock and check the next recipients, claim them. Written on Jdbi's fluent API
 * over the step's handle rather than as a SqlObject: attaching a SqlObject builds a handler for
 * each of its methods on every new handle, and a step opens one per commit (in JFR that was a fifth
 * of the step's Jdbi time).
 */
final class SendStepDao {
    private final Handle handle;

    SendStepDao(Handle handle) {
        this.handle = handle;
    }

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
    List<Candidate> lockClaimable(
            String tenantId, String campaignId, String runId, Collection<String> customerIds) {
        return handle.createQuery(
                        "SELECT s.customer_id, s.message_id, s.valid_until, c.email, c.time_zone,"
                                + " c.email_consent FROM campaign_sends s LEFT JOIN customers c"
                                + " ON c.tenant_id = s.tenant_id AND c.customer_id = s.customer_id"
                                + " WHERE s.tenant_id = :tenantId AND s.campaign_id = :campaignId"
                                + " AND s.run_id = :runId AND s.customer_id IN (<ids>)"
                                + " AND s.state IN ('PLANNED', 'DEFERRED') ORDER BY s.customer_id"
                                + " FOR UPDATE")
                .bind("tenantId", tenantId)
                .bind("campaignId", campaignId)
                .bind("runId", runId)
                .bindList("ids", customerIds)
                .map(SendStepDao::candidate)
                .list();
    }

    List<String> suppressedAmong(String tenantId, Collection<String> emails) {
        return handle.createQuery(
                        "SELECT email FROM suppressions WHERE tenant_id = :tenantId"
                                + " AND email IN (<emails>)")
                .bind("tenantId", tenantId)
                .bindList("emails", emails)
                .map((rs, ctx) -> rs.getString(1))
                .list();
    }

    /** A campaign email a customer got (or may have got) recently, for the frequency cap. */
    record RecentSend(String customerId, Instant at) {}

    /**
     * The campaign emails {@code customerIds} got, or may have got, since {@code since}, other than
     * this run's: SENT, SENDING (in flight now) and UNKNOWN_INFLIGHT all count against a cap.
     */
    List<RecentSend> recentSendsOf(
            String tenantId,
            Collection<String> customerIds,
            String campaignId,
            String runId,
            Instant since) {
        return handle.createQuery(
                        "SELECT customer_id, COALESCE(sent_at, updated_at) AS at FROM"
                                + " campaign_sends WHERE tenant_id = :tenantId"
                                + " AND customer_id IN (<ids>)"
                                + " AND state IN ('SENT', 'SENDING', 'UNKNOWN_INFLIGHT')"
                                + " AND COALESCE(sent_at, updated_at) > :since"
                                + " AND NOT (campaign_id = :campaignId AND run_id = :runId)")
                .bind("tenantId", tenantId)
                .bindList("ids", customerIds)
                .bind("since", since)
                .bind("campaignId", campaignId)
                .bind("runId", runId)
                .map((rs, ctx) -> new RecentSend(rs.getString(1), instant(rs, 2)))
                .list();
    }

    /**
     * In one statement: records the relay's acceptance of the sends this worker claimed in its last
     * step ({@code sent}: SENDING → SENT) and claims the sends {@link #lockClaimable} locked in
     * this one ({@code claimed}: PLANNED or DEFERRED → SENDING); either list may be empty. A row is
     * in one list only, and its state says which: the state is assigned last, because MariaDB
     * assigns left to right and the other columns read the old one.
     */
    int sentAndClaim(
            String tenantId,
            String campaignId,
            String runId,
            List<String> sent,
            List<String> claimed,
            String worker,
            Instant now) {
        return handle.createUpdate(
                        "UPDATE campaign_sends SET"
                                + " reason = CASE WHEN state = 'SENDING' THEN NULL ELSE reason END,"
                                + " sent_at = CASE WHEN state = 'SENDING' THEN :now ELSE sent_at END,"
                                + " attempts = attempts + CASE WHEN state = 'SENDING' THEN 0 ELSE 1"
                                + " END, worker = :worker, updated_at = :now,"
                                + " state = CASE WHEN state = 'SENDING' THEN 'SENT' ELSE 'SENDING' END"
                                + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                                + " AND run_id = :runId AND customer_id IN (<ids>) AND (state ="
                                + " 'SENDING' AND worker = :worker AND customer_id IN (<sent>)"
                                + " OR state IN ('PLANNED', 'DEFERRED') AND customer_id IN"
                                + " (<claimed>))")
                .bind("tenantId", tenantId)
                .bind("campaignId", campaignId)
                .bind("runId", runId)
                .bindList("ids", both(sent, claimed))
                .bindList(EmptyHandling.NULL_KEYWORD, "sent", sent)
                .bindList(EmptyHandling.NULL_KEYWORD, "claimed", claimed)
                .bind("worker", worker)
                .bind("now", now)
                .execute();
    }

    /**
     * Settles sends one by one (FAILED, SUPPRESSED, DEFERRED, EXPIRED): from SENDING when this
     * worker claimed them ({@code claimed}), else from PLANNED or DEFERRED.
     */
    void settle(
            String tenantId,
            String campaignId,
            String runId,
            List<SendLedger.Outcome> outcomes,
            boolean claimed,
            String worker,
            Instant now) {
        PreparedBatch batch =
                handle.prepareBatch(
                        "UPDATE campaign_sends SET state = :state, reason = :reason,"
                                + " next_attempt_at = CASE WHEN :state = 'DEFERRED' THEN"
                                + " :nextAttempt ELSE next_attempt_at END, worker = :worker,"
                                + " updated_at = :now WHERE tenant_id = :tenantId"
                                + " AND campaign_id = :campaignId AND run_id = :runId"
                                + " AND customer_id = :customerId AND (CASE WHEN :claimed THEN"
                                + " state = 'SENDING' AND worker = :worker ELSE state IN"
                                + " ('PLANNED', 'DEFERRED') END)");
        for (SendLedger.Outcome outcome : outcomes) {
            batch.bind("state", outcome.state().name())
                    .bind("reason", outcome.reason())
                    .bindByType("nextAttempt", outcome.nextAttempt(), Instant.class)
                    .bind("customerId", outcome.customerId())
                    .bind("claimed", claimed)
                    .bind("worker", worker)
                    .bind("now", now)
                    .bind("tenantId", tenantId)
                    .bind("campaignId", campaignId)
                    .bind("runId", runId)
                    .add();
        }
        batch.execute();
    }

    private static Candidate candidate(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Candidate(
                rs.getString(1),
                rs.getString(2),
                instant(rs, 3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6));
    }

    /** A UTC {@code DATETIME} column, read as {@link io.hilal.core.db.HilalJdbi} reads them. */
    private static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    private static List<String> both(List<String> first, List<String> second) {
        List<String> both = new ArrayList<>(first.size() + second.size());
        both.addAll(first);
        both.addAll(second);
        return both;
    }
}
