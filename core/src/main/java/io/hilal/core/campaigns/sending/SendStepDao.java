package io.hilal.core.campaigns.sending;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.jdbc.JdbcConnection;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The statements of one sending step of {@link SendLedger#settleAndClaim}, in two round trips: lock
 * the next recipients and read what their checks need; then record how the last step's sends ended,
 * claim the new ones, count the sent ones for the tenant's daily cap and commit. Between steps it
 * lists the run's due sends and reads its campaign's status, on the same connection. Every round
 * trip to the server is a wake-up on each side, which on a busy machine costs far more than the
 * statements a step runs (a round trip with a trivial statement cost the server about 0.6 ms of CPU
 * in the sending benchmark: BENCHMARKS.md), so a round trip carries several statements, separated
 * by semicolons (the driver's {@code allowMultiQueries}, which {@link io.hilal.core.db.JdbcUrls}
 * sets). The server runs them one after the other and stops at the first that fails. The statements
 * every step runs, whose IN lists bind one value per recipient, are plain JDBC on the step's
 * handle's connection (inside its transaction): through Jdbi each value went through its argument
 * lookup and the list through its template engine, which in JFR cost more than the driver's own
 * work. Settling sends one by one, rarer, stays on Jdbi's fluent API (a SqlObject would build a
 * handler for each of its methods on every new handle, and a step opens one per commit).
 */
final class SendStepDao implements AutoCloseable {
    private static final String DUE_SQL =
            "SELECT customer_id FROM campaign_sends FORCE INDEX (ix_campaign_sends_open)"
                    + " WHERE tenant_id = ? AND campaign_id = ? AND run_id = ? AND due_at <= ?"
                    + " AND state IN ('PLANNED', 'DEFERRED') AND valid_until > ?"
                    + " ORDER BY due_at, customer_id LIMIT ?";

    /**
     * {@link #DUE_SQL} for one worker's share ({@link SendPartition}): the same ordered walk of the
     * open index, skipping the other shares' sends (CRC32 is in MySQL and MariaDB alike).
     */
    private static final String DUE_SHARE_SQL =
            "SELECT customer_id FROM campaign_sends FORCE INDEX (ix_campaign_sends_open)"
                    + " WHERE tenant_id = ? AND campaign_id = ? AND run_id = ? AND due_at <= ?"
                    + " AND state IN ('PLANNED', 'DEFERRED') AND valid_until > ?"
                    + " AND MOD(CRC32(customer_id), ?) = ?"
                    + " ORDER BY due_at, customer_id LIMIT ?";

    private static final String STATUS_SQL =
            "SELECT status FROM campaigns WHERE tenant_id = ? AND campaign_id = ?";

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
     * Refuses a connection that cannot send several statements at once: the sender's steps need one
     * from the sender's own pool ({@code Database.senderJdbi()}, {@code JdbcUrls.forSender}), which
     * no other connection is.
     */
    static void requireMultiQueries(Handle handle) {
        try {
            boolean allowed =
                    handle.getConnection()
                            .unwrap(JdbcConnection.class)
                            .getPropertySet()
                            .getBooleanProperty(PropertyKey.allowMultiQueries)
                            .getValue();
            if (!allowed) {
                throw new IllegalStateException(
                        "The campaign sender's steps need a connection of the sender's own pool"
                                + " (Database.senderJdbi(), JdbcUrls.forSender), which sends"
                                + " several statements per round trip; this one does not");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Not a MySQL Connector/J connection", e);
        }
    }

    /**
     * The first {@code limit} sends of a run that may go now, by when they became due: one ordered,
     * limited walk of {@code ix_campaign_sends_open} from its oldest entry. The sends in flight
     * (SENDING) are in it too, and skipped: at most the senders' concurrency. Deferred sends whose
     * next attempt is still ahead are past the walk's end, never read.
     */
    List<String> due(
            String tenantId,
            String campaignId,
            String runId,
            Instant now,
            int limit,
            SendPartition share) {
        String sql = dueSql(share);
        try {
            PreparedStatement statement = prepare(sql);
            bindDue(statement, 1, tenantId, campaignId, runId, now, limit, share);
            try (ResultSet rs = statement.executeQuery()) {
                return customerIds(rs, limit);
            }
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    private static String dueSql(SendPartition share) {
        return share.whole() ? DUE_SQL : DUE_SHARE_SQL;
    }

    /** The campaign's status (its wire name), or null when there is no such campaign. */
    String campaignStatus(String tenantId, String campaignId) {
        try {
            PreparedStatement statement = prepare(STATUS_SQL);
            statement.setString(1, tenantId);
            statement.setString(2, campaignId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failed(STATUS_SQL, e);
        }
    }

    /**
     * {@link #campaignStatus} and {@link #due}, then COMMIT, in one round trip: a pipeline's
     * listing between its steps.
     */
    SendLedger.Listing statusAndDueAndCommit(
            String tenantId,
            String campaignId,
            String runId,
            Instant now,
            int limit,
            SendPartition share) {
        String sql = STATUS_SQL + "; " + dueSql(share) + "; COMMIT";
        try {
            PreparedStatement statement = prepare(sql);
            statement.setString(1, tenantId);
            statement.setString(2, campaignId);
            bindDue(statement, 3, tenantId, campaignId, runId, now, limit, share);
            statement.execute();
            String status;
            try (ResultSet rs = statement.getResultSet()) {
                status = rs.next() ? rs.getString(1) : null;
            }
            if (!statement.getMoreResults()) {
                throw new SQLException("no result for the due sends");
            }
            List<String> due;
            try (ResultSet rs = statement.getResultSet()) {
                due = customerIds(rs, limit);
            }
            drain(statement);
            return new SendLedger.Listing(status, due);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    private static void bindDue(
            PreparedStatement statement,
            int at,
            String tenantId,
            String campaignId,
            String runId,
            Instant now,
            int limit,
            SendPartition share)
            throws SQLException {
        at = setRun(statement, at, tenantId, campaignId, runId);
        setInstant(statement, at++, now);
        setInstant(statement, at++, now);
        if (!share.whole()) {
            statement.setInt(at++, share.count());
            statement.setInt(at++, share.index());
        }
        statement.setInt(at, limit);
    }

    private static List<String> customerIds(ResultSet rs, int expected) throws SQLException {
        List<String> ids = new ArrayList<>(expected);
        while (rs.next()) {
            ids.add(rs.getString(1));
        }
        return ids;
    }

    /** A send that may be claimed, with what the checks before sending need of its recipient. */
    record Candidate(
            String customerId,
            String messageId,
            Instant validUntil,
            String email,
            String timeZone,
            String emailConsent,
            String locale,
            String attributes) {}

    /** A campaign email a customer got (or may have got) recently, for the frequency cap. */
    record RecentSend(String customerId, Instant at) {}

    /**
     * What a step reads: the sends it locked (the still claimable ones), then, once it holds their
     * locks, the suppressed addresses among their customers' and the recent campaign emails.
     */
    record Locked(List<Candidate> candidates, Set<String> suppressed, List<RecentSend> recent) {}

    /**
     * Locks the still claimable (PLANNED or DEFERRED) sends among {@code customerIds} together with
     * their customers' rows, then reads which of the customers' addresses are on the tenant's
     * suppression list and, unless {@code since} is null (no frequency cap), the campaign emails
     * they got, or may have got, since {@code since}, other than this run's: SENT, SENDING (in
     * flight now) and UNKNOWN_INFLIGHT all count against a cap.
     *
     * <p>Every claim locks the customer first, whatever the campaign, so two workers sending two
     * campaigns to one customer take turns: the second one's frequency-cap count, read after the
     * lock, sees the first one's claim. The two are separate statements, sent together in one round
     * trip: the server runs the plain read only once the locking one holds every lock, so its
     * snapshot (the transaction's first, at REPEATABLE READ as at READ COMMITTED) sees every claim
     * committed before a lock was ours.
     */
    Locked lockAndRead(
            String tenantId,
            String campaignId,
            String runId,
            Collection<String> customerIds,
            Instant since) {
        String ids = placeholders(customerIds.size());
        String lockSql =
                "SELECT s.customer_id, s.message_id, s.valid_until, c.email, c.time_zone,"
                        + " c.email_consent, c.locale, c.attributes"
                        + " FROM campaign_sends s FORCE INDEX (PRIMARY)"
                        + " LEFT JOIN customers c"
                        + " ON c.tenant_id = s.tenant_id AND c.customer_id = s.customer_id"
                        + " WHERE s.tenant_id = ? AND s.campaign_id = ? AND s.run_id = ?"
                        + " AND s.customer_id IN ("
                        + ids
                        + ") AND s.state IN ('PLANNED', 'DEFERRED') ORDER BY s.customer_id"
                        + " FOR UPDATE";
        // This run's own rows are skipped here, not in SQL: "NOT (campaign_id = ? AND run_id = ?)"
        // is a disjunction, which the server planned as a union of primary-key ranges at every
        // step. (They are PLANNED or DEFERRED while being claimed, so none is read anyway.)
        String recentSql =
                "SELECT customer_id, COALESCE(sent_at, updated_at) AS at, campaign_id, run_id"
                        + " FROM campaign_sends FORCE INDEX (ix_campaign_sends_customer)"
                        + " WHERE tenant_id = ? AND customer_id IN ("
                        + ids
                        + ") AND state IN ('SENT', 'SENDING', 'UNKNOWN_INFLIGHT')"
                        + " AND COALESCE(sent_at, updated_at) > ?";
        // A suppressed address comes back as a row with no time. The customers' rows lead the
        // join: a suppression list may be far longer than a step.
        String suppressedSql =
                "SELECT x.email, NULL, NULL, NULL FROM customers c STRAIGHT_JOIN suppressions x"
                        + " ON x.tenant_id = c.tenant_id AND x.email = c.email"
                        + " WHERE c.tenant_id = ? AND c.customer_id IN ("
                        + ids
                        + ")";
        String sql =
                lockSql + "; " + (since == null ? "" : recentSql + " UNION ALL ") + suppressedSql;
        try {
            PreparedStatement statement = prepare(sql);
            int at = setRun(statement, 1, tenantId, campaignId, runId);
            at = setAll(statement, at, customerIds);
            if (since != null) {
                statement.setString(at++, tenantId);
                at = setAll(statement, at, customerIds);
                setInstant(statement, at++, since);
            }
            statement.setString(at++, tenantId);
            setAll(statement, at, customerIds);
            statement.execute();
            List<Candidate> candidates = new ArrayList<>(customerIds.size());
            try (ResultSet rs = statement.getResultSet()) {
                while (rs.next()) {
                    candidates.add(
                            new Candidate(
                                    rs.getString(1),
                                    rs.getString(2),
                                    instant(rs, 3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8)));
                }
            }
            if (!statement.getMoreResults()) {
                throw new SQLException("no result for the reads after the locks");
            }
            Set<String> suppressed = new HashSet<>();
            List<RecentSend> recent = new ArrayList<>();
            try (ResultSet rs = statement.getResultSet()) {
                while (rs.next()) {
                    Instant sent = instant(rs, 2);
                    if (sent == null) {
                        suppressed.add(rs.getString(1));
                    } else if (!(campaignId.equals(rs.getString(3))
                            && runId.equals(rs.getString(4)))) {
                        recent.add(new RecentSend(rs.getString(1), sent));
                    }
                }
            }
            drain(statement);
            return new Locked(candidates, suppressed, recent);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /**
     * Ends the step: records the relay's acceptance of the sends this worker claimed in its last
     * step ({@code sent}: SENDING → SENT, and out of the listing index), claims the sends {@link
     * #lockAndRead} locked in this transaction and found PLANNED or DEFERRED ({@code claimed}:
     * SENDING, this worker's), counts the sent ones for the tenant's daily cap in the quarter hour
     * from {@code quarter}, and commits: one round trip. A sent send that is no longer this
     * worker's SENDING one (recovery took it while this worker seemed dead) is left as it is, and
     * not counted, unless this step claims it again. The claimed ones' lock is what keeps their
     * state, so the statement repeats no check of it; its rows are one list of primary keys, the
     * cheapest kind for the server to plan.
     *
     * <p>A row's state says which it is (a claimed send is PLANNED or DEFERRED, a sent one
     * SENDING); the state is assigned last, as both MySQL and MariaDB evaluate a single-table
     * UPDATE's assignments from left to right, so every test of it before reads the old state. The
     * UPDATE's row count (matched rows: the driver asks for found rows) less the claimed ones is
     * how many it marked SENT. The tenant's counter row, shared by its every sender, is written
     * last, so it stays locked only for the COMMIT.
     */
    void sentClaimedAndCommit(
            String tenantId,
            String campaignId,
            String runId,
            List<String> sent,
            List<String> claimed,
            String worker,
            Instant now,
            Instant quarter) {
        if (sent.isEmpty() && claimed.isEmpty()) {
            try {
                handle.getConnection().commit();
                return;
            } catch (SQLException e) {
                throw failed("COMMIT", e);
            }
        }
        String sql =
                "UPDATE campaign_sends FORCE INDEX (PRIMARY)"
                        + " SET reason = IF(state = 'SENDING', NULL, reason),"
                        + " due_at = IF(state = 'SENDING', NULL, due_at),"
                        + " sent_at = IF(state = 'SENDING', ?, sent_at),"
                        + " attempts = IF(state = 'SENDING', attempts, attempts + 1),"
                        + " worker = ?, updated_at = ?,"
                        + " state = IF(state = 'SENDING', 'SENT', 'SENDING')"
                        + " WHERE tenant_id = ? AND campaign_id = ? AND run_id = ?"
                        + " AND customer_id IN ("
                        + placeholders(sent.size() + claimed.size())
                        + ") AND (customer_id IN ("
                        + placeholders(claimed.size())
                        + ") OR state = 'SENDING' AND worker = ?);"
                        + (sent.isEmpty()
                                ? ""
                                : " SET @hilal_sent = ROW_COUNT() - ?;"
                                        + " INSERT INTO tenant_sends (tenant_id, quarter_start,"
                                        + " sends) VALUES (?, ?, @hilal_sent)"
                                        + " ON DUPLICATE KEY UPDATE sends = sends + @hilal_sent;")
                        + " COMMIT";
        try {
            PreparedStatement statement = prepare(sql);
            int at = 1;
            setInstant(statement, at++, now);
            statement.setString(at++, worker);
            setInstant(statement, at++, now);
            at = setRun(statement, at, tenantId, campaignId, runId);
            at = setAll(statement, at, sent);
            at = setAll(statement, at, claimed);
            at = setAll(statement, at, claimed);
            statement.setString(at++, worker);
            if (!sent.isEmpty()) {
                statement.setInt(at++, claimed.size());
                statement.setString(at++, tenantId);
                setInstant(statement, at, quarter);
            }
            statement.execute();
            drain(statement);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /**
     * Reads the results of a statement's every part to the end, so that any part's failure is
     * thrown here, not left for the next statement.
     */
    private static void drain(PreparedStatement statement) throws SQLException {
        while (statement.getMoreResults() || statement.getUpdateCount() != -1) {
            // nothing to keep
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
