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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The statements of one sending step of {@link SendLedger#settleAndClaim}: lock the next
 * recipients, read what their checks need (one statement), record how the last step's sends ended
 * and claim the new ones (one statement), count the sent ones for the tenant's daily cap; and
 * between steps, list the run's due sends and read its campaign's status, on the same connection.
 * Every statement is a round trip to the server and a wake-up on each side, which on a busy machine
 * cost about as much as the rows a step touches: so the step has as few as it can. The statements
 * every step runs, whose IN lists bind one value per recipient, are plain JDBC on the step's
 * handle's connection (inside its transaction): through Jdbi each value went through its argument
 * lookup and the list through its template engine, which in JFR cost more than the driver's own
 * work. Settling sends one by one, rarer, stays on Jdbi's fluent API (a SqlObject would build a
 * handler for each of its methods on every new handle, and a step opens one per commit).
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

    /** A campaign email a customer got (or may have got) recently, for the frequency cap. */
    record RecentSend(String customerId, Instant at) {}

    /** What the checks before sending read after the lock: suppressed addresses, recent emails. */
    record CheckReads(Set<String> suppressed, List<RecentSend> recent) {}

    /**
     * In one statement: which of {@code emails} are on the tenant's suppression list, and, unless
     * {@code since} is null (no frequency cap), the campaign emails {@code customerIds} got, or may
     * have got, since {@code since}, other than this run's: SENT, SENDING (in flight now) and
     * UNKNOWN_INFLIGHT all count against a cap. Both are plain reads, made once the step holds its
     * locks; as one statement they cost one round trip to the server instead of two.
     */
    CheckReads checkReads(
            String tenantId,
            Collection<String> emails,
            Collection<String> customerIds,
            String campaignId,
            String runId,
            Instant since) {
        boolean capped = since != null && !customerIds.isEmpty();
        if (emails.isEmpty() && !capped) {
            return new CheckReads(Set.of(), List.of());
        }
        // This run's own rows are skipped here, not in SQL: "NOT (campaign_id = ? AND run_id = ?)"
        // is a disjunction, which the server planned as a union of primary-key ranges at every
        // step. (They are PLANNED or DEFERRED while being claimed, so none is read anyway.)
        String recentSql =
                "SELECT customer_id, COALESCE(sent_at, updated_at) AS at, campaign_id, run_id"
                        + " FROM campaign_sends FORCE INDEX (ix_campaign_sends_customer)"
                        + " WHERE tenant_id = ? AND customer_id IN ("
                        + placeholders(customerIds.size())
                        + ") AND state IN ('SENT', 'SENDING', 'UNKNOWN_INFLIGHT')"
                        + " AND COALESCE(sent_at, updated_at) > ?";
        // A suppressed address comes back as a row with no time.
        String suppressedSql =
                "SELECT email, NULL, NULL, NULL FROM suppressions WHERE tenant_id = ?"
                        + " AND email IN ("
                        + placeholders(emails.size())
                        + ")";
        String sql;
        if (!capped) {
            sql = suppressedSql;
        } else if (emails.isEmpty()) {
            sql = recentSql;
        } else {
            sql = recentSql + " UNION ALL " + suppressedSql;
        }
        try {
            PreparedStatement statement = prepare(sql);
            int at = 1;
            if (capped) {
                statement.setString(at++, tenantId);
                at = setAll(statement, at, customerIds);
                setInstant(statement, at++, since);
            }
            if (!emails.isEmpty()) {
                statement.setString(at++, tenantId);
                setAll(statement, at, emails);
            }
            Set<String> suppressed = new HashSet<>();
            List<RecentSend> recent = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
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
            return new CheckReads(suppressed, recent);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /**
     * Records the relay's acceptance of the sends this worker claimed in its last step ({@code
     * sent}: SENDING → SENT, and out of the listing index) and claims the sends {@link
     * #lockClaimable} locked in this transaction and found PLANNED or DEFERRED ({@code claimed}:
     * SENDING, this worker's), in one statement; returns how many it marked SENT. A sent send that
     * is no longer this worker's SENDING one (recovery took it while this worker seemed dead) is
     * left as it is, unless this step claims it again. The claimed ones' lock is what keeps their
     * state, so the statement repeats no check of it; its rows are one list of primary keys, the
     * cheapest kind for the server to plan.
     *
     * <p>A row's state says which it is (a claimed send is PLANNED or DEFERRED, a sent one
     * SENDING); the state is assigned last, as both MySQL and MariaDB evaluate a single-table
     * UPDATE's assignments from left to right, so every test of it before reads the old state.
     */
    int sentAndClaim(
            String tenantId,
            String campaignId,
            String runId,
            List<String> sent,
            List<String> claimed,
            String worker,
            Instant now) {
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
                        + ") OR state = 'SENDING' AND worker = ?)";
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
            statement.setString(at, worker);
            return statement.executeUpdate() - claimed.size();
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
