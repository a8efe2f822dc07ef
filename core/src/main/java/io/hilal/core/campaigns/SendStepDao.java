package io.hilal.core.campaigns;

import io.hilal.core.db.HilalJdbi;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The statements of one sending step of {@link SendLedger#settleAndClaim}: record how the last
 * step's sends ended (and count the sent ones for the tenant's daily cap), lock and check the next
 * recipients, claim them; and between steps, list the run's due sends and read its campaign's
 * status, on the same connection. The statements every step runs, whose IN lists bind one value per
 * recipient, are plain JDBC on the step's handle's connection (inside its transaction): through
 * Jdbi each value went through its argument lookup and the list through its template engine, which
 * in JFR cost more than the driver's own work. Settling sends one by one, rarer, stays on Jdbi's
 * fluent API (a SqlObject would build a handler for each of its methods on every new handle, and a
 * step opens one per commit).
 */
final class SendStepDao implements AutoCloseable {
    /** Statements kept prepared at most: a few shapes, each at a few IN-list lengths. */
    private static final int MAX_PREPARED = 32;

    private final Handle handle;

    /**
     * The statements prepared on this handle's connection, by SQL: a step's statements differ only
     * by the length of their IN lists, and most steps are full, so a pipeline prepares each once.
     */
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    SendStepDao(Handle handle) {
        this.handle = handle;
    }

    /**
     * The first {@code limit} sends of a run that may go now, by when they became due: one ordered,
     * limited walk of {@code ix_campaign_sends_open} from its oldest entry. The sends in flight
     * (SENDING) are in it too, and skipped: at most the senders' concurrency. Deferred sends whose
     * next attempt is still ahead are past the walk's end, never read.
     */
    List<String> due(String tenantId, String campaignId, String runId, Instant now, int limit) {
        String sql =
                "SELECT customer_id FROM campaign_sends FORCE INDEX (ix_campaign_sends_open)"
                        + " WHERE tenant_id = ? AND campaign_id = ? AND run_id = ? AND due_at <= ?"
                        + " AND state IN ('PLANNED', 'DEFERRED') AND valid_until > ?"
                        + " ORDER BY due_at, customer_id LIMIT ?";
        try {
            PreparedStatement statement = prepare(sql);
            int at = setRun(statement, 1, tenantId, campaignId, runId);
            setInstant(statement, at++, now);
            setInstant(statement, at++, now);
            statement.setInt(at, limit);
            List<String> due = new ArrayList<>(limit);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    due.add(rs.getString(1));
                }
            }
            return due;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** The campaign's status (its wire name), or null when there is no such campaign. */
    String campaignStatus(String tenantId, String campaignId) {
        String sql = "SELECT status FROM campaigns WHERE tenant_id = ? AND campaign_id = ?";
        try {
            PreparedStatement statement = prepare(sql);
            statement.setString(1, tenantId);
            statement.setString(2, campaignId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failed(sql, e);
        }
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
        String sql =
                "SELECT s.customer_id, s.message_id, s.valid_until, c.email, c.time_zone,"
                        + " c.email_consent FROM campaign_sends s FORCE INDEX (PRIMARY)"
                        + " LEFT JOIN customers c"
                        + " ON c.tenant_id = s.tenant_id AND c.customer_id = s.customer_id"
                        + " WHERE s.tenant_id = ? AND s.campaign_id = ? AND s.run_id = ?"
                        + " AND s.customer_id IN ("
                        + placeholders(customerIds.size())
                        + ") AND s.state IN ('PLANNED', 'DEFERRED') ORDER BY s.customer_id"
                        + " FOR UPDATE";
        try {
            PreparedStatement statement = prepare(sql);
            int at = 1;
            statement.setString(at++, tenantId);
            statement.setString(at++, campaignId);
            statement.setString(at++, runId);
            setAll(statement, at, customerIds);
            List<Candidate> candidates = new ArrayList<>(customerIds.size());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    candidates.add(
                            new Candidate(
                                    rs.getString(1),
                                    rs.getString(2),
                                    instant(rs, 3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6)));
                }
            }
            return candidates;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    List<String> suppressedAmong(String tenantId, Collection<String> emails) {
        String sql =
                "SELECT email FROM suppressions WHERE tenant_id = ? AND email IN ("
                        + placeholders(emails.size())
                        + ")";
        try {
            PreparedStatement statement = prepare(sql);
            statement.setString(1, tenantId);
            setAll(statement, 2, emails);
            List<String> suppressed = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    suppressed.add(rs.getString(1));
                }
            }
            return suppressed;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
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
        // This run's own rows are skipped here, not in SQL: "NOT (campaign_id = ? AND run_id = ?)"
        // is a disjunction, which the server planned as a union of primary-key ranges at every
        // step. (They are PLANNED or DEFERRED while being claimed, so none is read anyway.)
        String sql =
                "SELECT customer_id, COALESCE(sent_at, updated_at) AS at, campaign_id, run_id"
                        + " FROM campaign_sends FORCE INDEX (ix_campaign_sends_customer)"
                        + " WHERE tenant_id = ? AND customer_id IN ("
                        + placeholders(customerIds.size())
                        + ") AND state IN ('SENT', 'SENDING', 'UNKNOWN_INFLIGHT')"
                        + " AND COALESCE(sent_at, updated_at) > ?";
        try {
            PreparedStatement statement = prepare(sql);
            statement.setString(1, tenantId);
            int at = setAll(statement, 2, customerIds);
            setInstant(statement, at, since);
            List<RecentSend> recent = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (!(campaignId.equals(rs.getString(3)) && runId.equals(rs.getString(4)))) {
                        recent.add(new RecentSend(rs.getString(1), instant(rs, 2)));
                    }
                }
            }
            return recent;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /**
     * Records the relay's acceptance of the sends this worker claimed in its last step: SENDING →
     * SENT; returns how many. A send that is no longer this worker's (recovery took it while this
     * worker seemed dead) is left as it is.
     */
    int sent(
            String tenantId,
            String campaignId,
            String runId,
            List<String> customerIds,
            String worker,
            Instant now) {
        String sql =
                "UPDATE campaign_sends FORCE INDEX (PRIMARY) SET state = 'SENT', reason = NULL,"
                        + " due_at = NULL, sent_at = ?, updated_at = ?"
                        + " WHERE tenant_id = ? AND campaign_id = ? AND run_id = ?"
                        + " AND customer_id IN ("
                        + placeholders(customerIds.size())
                        + ") AND state = 'SENDING' AND worker = ?";
        try {
            PreparedStatement statement = prepare(sql);
            int at = 1;
            setInstant(statement, at++, now);
            setInstant(statement, at++, now);
            at = setRun(statement, at, tenantId, campaignId, runId);
            at = setAll(statement, at, customerIds);
            statement.setString(at, worker);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** Counts {@code sends} more emails of the tenant in the quarter hour from {@code quarter}. */
    void countSent(String tenantId, Instant quarter, int sends) {
        String sql =
                "INSERT INTO tenant_sends (tenant_id, quarter_start, sends) VALUES (?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE sends = sends + ?";
        try {
            PreparedStatement statement = prepare(sql);
            statement.setString(1, tenantId);
            setInstant(statement, 2, quarter);
            statement.setInt(3, sends);
            statement.setInt(4, sends);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /**
     * Claims the sends {@link #lockClaimable} locked in this transaction and found PLANNED or
     * DEFERRED: they are SENDING, this worker's. The lock is what keeps their state; the statement
     * repeats no check of it, so its WHERE clause is one list of primary keys, the cheapest kind
     * for the server to plan.
     */
    void claim(
            String tenantId,
            String campaignId,
            String runId,
            List<String> customerIds,
            String worker,
            Instant now) {
        String sql =
                "UPDATE campaign_sends FORCE INDEX (PRIMARY) SET state = 'SENDING',"
                        + " attempts = attempts + 1, worker = ?, updated_at = ?"
                        + " WHERE tenant_id = ? AND campaign_id = ? AND run_id = ?"
                        + " AND customer_id IN ("
                        + placeholders(customerIds.size())
                        + ")";
        try {
            PreparedStatement statement = prepare(sql);
            int at = 1;
            statement.setString(at++, worker);
            setInstant(statement, at++, now);
            at = setRun(statement, at, tenantId, campaignId, runId);
            setAll(statement, at, customerIds);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
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
                                + " :nextAttempt ELSE next_attempt_at END, due_at = CASE WHEN"
                                + " :state = 'DEFERRED' THEN GREATEST(send_at, :nextAttempt) END,"
                                + " worker = :worker,"
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

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            if (prepared.size() >= MAX_PREPARED) {
                close();
            }
            statement = handle.getConnection().prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    /** Closes the statements this step prepared. */
    @Override
    public void close() {
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                // Its connection is going back to the pool, or is broken: nothing to keep.
            }
        }
        prepared.clear();
    }

    /** {@code n} JDBC placeholders for an IN list; NULL (matching nothing) when {@code n} is 0. */
    private static String placeholders(int n) {
        if (n == 0) {
            return "NULL";
        }
        StringBuilder marks = new StringBuilder(n * 2);
        for (int i = 0; i < n; i++) {
            marks.append(i == 0 ? "?" : ",?");
        }
        return marks.toString();
    }

    /** Binds a run's key from position {@code at}; returns the next free position. */
    private static int setRun(
            PreparedStatement statement, int at, String tenantId, String campaignId, String runId)
            throws SQLException {
        statement.setString(at++, tenantId);
        statement.setString(at++, campaignId);
        statement.setString(at++, runId);
        return at;
    }

    /** Binds {@code values} from position {@code at}; returns the next free position. */
    private static int setAll(PreparedStatement statement, int at, Collection<String> values)
            throws SQLException {
        for (String value : values) {
            statement.setString(at++, value);
        }
        return at;
    }

    /** An instant as a UTC {@code DATETIME}, as {@link io.hilal.core.db.HilalJdbi} binds them. */
    private static void setInstant(PreparedStatement statement, int at, Instant value)
            throws SQLException {
        statement.setObject(at, HilalJdbi.toUtc(value), Types.TIMESTAMP);
    }

    private static UnableToExecuteStatementException failed(String sql, SQLException e) {
        return new UnableToExecuteStatementException(sql, e, null);
    }

    /** A UTC {@code DATETIME} column, read as {@link io.hilal.core.db.HilalJdbi} reads them. */
    private static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
