package io.hilal.core.lift;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The send ledger and purchases as lift reports read them, and the stored reports. */
public interface LiftReportDao {
    /**
     * One ledger row: who, in which run, planned for when, where the send stands, and when the row
     * last changed (the report's {@code sendsUpdatedThrough} is the newest of these).
     */
    record LedgerRow(
            String customerId,
            String runId,
            String state,
            Instant sendAt,
            String variant,
            Double variantShare,
            Instant variantAt,
            Instant updatedAt) {}

    /** Customers who clicked an email of the campaign, by the variant their send carried. */
    @SqlQuery(
            "SELECT s.variant, COUNT(DISTINCT s.customer_id) AS clickers FROM campaign_sends s"
                    + " WHERE s.tenant_id = :tenantId AND s.campaign_id = :campaignId"
                    + " AND s.variant IS NOT NULL AND EXISTS(SELECT 1 FROM events e"
                    + " WHERE e.tenant_id = s.tenant_id AND e.customer_id = s.customer_id"
                    + " AND e.type = 'email_clicked'"
                    + " AND JSON_VALUE(e.payload, '$.context.campaignId') = s.campaign_id"
                    + " AND JSON_VALUE(e.payload, '$.properties.runId') = s.run_id)"
                    + " GROUP BY s.variant")
    @KeyColumn("variant")
    @ValueColumn("clickers")
    Map<String, Long> variantClickers(
            @Bind("tenantId") String tenantId, @Bind("campaignId") String campaignId);

    /**
     * An order or refund line of an assigned customer, and when it reached the database (the
     * report's {@code dataReceivedThrough} is the newest of these).
     */
    record PurchaseLine(
            String customerId,
            String orderId,
            long quantity,
            double unitPrice,
            String currency,
            Instant occurredAt,
            Instant receivedAt) {}

    /** A campaign with a ledger, and the span of its planned sends. */
    record LedgerCampaign(
            String tenantId, String campaignId, Instant firstSendAt, Instant lastSendAt) {}

    /**
     * The newest stored report's state, to decide whether it needs recomputing: its window, and the
     * newest purchase received and ledger change it saw.
     */
    record Latest(
            LiftReport.Status status,
            Instant computedAt,
            Instant windowClosesAt,
            Instant firstSendAt,
            Instant dataReceivedThrough,
            Instant sendsUpdatedThrough) {}

    /** A report to store: the full JSON and its headline numbers. */
    record Stored(
            String campaignId,
            int windowDays,
            Instant computedAt,
            String status,
            Instant windowClosesAt,
            long treatedCustomers,
            long holdoutCustomers,
            Double repeatDifference,
            Double repeatLow,
            Double repeatHigh,
            Double repeatPValue,
            Double ordersDifference,
            Double ordersLow,
            Double ordersHigh,
            Double ordersPValue,
            Double revenueDifference,
            Double revenueLow,
            Double revenueHigh,
            Double revenuePValue,
            Double incrementalRevenue,
            Double incrementalRevenueLow,
            Double incrementalRevenueHigh,
            Double sampleRatioPValue,
            boolean sampleRatioMismatch,
            Instant firstSendAt,
            Instant dataReceivedThrough,
            Instant sendsUpdatedThrough,
            String report) {}

    /**
     * The holdout share a campaign of the campaigns API was planned with; empty for a campaign
     * known only from the ledger.
     */
    /** Whether the ledger's campaign id is a journey's (its holdout grows as customers enter). */
    @SqlQuery(
            "SELECT EXISTS(SELECT 1 FROM campaigns WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND kind = 'journey')")
    boolean isJourney(@Bind("tenantId") String tenantId, @Bind("campaignId") String campaignId);

    @SqlQuery(
            "SELECT holdout_share FROM campaigns"
                    + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId")
    Optional<Double> plannedHoldoutShare(
            @Bind("tenantId") String tenantId, @Bind("campaignId") String campaignId);

    @SqlQuery(
            "SELECT customer_id, run_id, state, send_at, variant, variant_share, variant_at,"
                    + " updated_at FROM campaign_sends"
                    + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " ORDER BY customer_id, send_at, run_id")
    @RegisterConstructorMapper(LedgerRow.class)
    List<LedgerRow> ledger(
            @Bind("tenantId") String tenantId, @Bind("campaignId") String campaignId);

    /** Order and refund lines of the campaign's customers in {@code [from, to)}. */
    @SqlQuery(
            "SELECT l.customer_id, l.order_id, l.quantity, l.unit_price, l.currency, l.occurred_at,"
                    + " l.received_at FROM order_lines l WHERE l.tenant_id = :tenantId"
                    + " AND l.occurred_at >= :from AND l.occurred_at < :to"
                    + " AND l.customer_id IN (SELECT s.customer_id FROM campaign_sends s"
                    + " WHERE s.tenant_id = :tenantId AND s.campaign_id = :campaignId)")
    @RegisterConstructorMapper(PurchaseLine.class)
    void purchases(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("from") Instant from,
            @Bind("to") Instant to,
            Consumer<PurchaseLine> consumer);

    /**
     * When the newest order line of the campaign's customers with {@code occurred_at} in {@code
     * [from, to)} reached the database (database time, as stored).
     */
    @SqlQuery(
            "SELECT MAX(l.received_at) FROM order_lines l WHERE l.tenant_id = :tenantId"
                    + " AND l.occurred_at >= :from AND l.occurred_at < :to"
                    + " AND l.customer_id IN (SELECT s.customer_id FROM campaign_sends s"
                    + " WHERE s.tenant_id = :tenantId AND s.campaign_id = :campaignId)")
    Optional<Instant> receivedThrough(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("from") Instant from,
            @Bind("to") Instant to);

    /** The newest change to the campaign's ledger: a send settling moves it. */
    @SqlQuery(
            "SELECT MAX(updated_at) FROM campaign_sends"
                    + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId")
    Optional<Instant> sendsUpdatedThrough(
            @Bind("tenantId") String tenantId, @Bind("campaignId") String campaignId);

    /** Every campaign with a ledger, across tenants: only the worker's daily job asks this. */
    @SqlQuery(
            "SELECT tenant_id, campaign_id, MIN(send_at) AS first_send_at,"
                    + " MAX(send_at) AS last_send_at FROM campaign_sends"
                    + " GROUP BY tenant_id, campaign_id ORDER BY tenant_id, campaign_id")
    @RegisterConstructorMapper(LedgerCampaign.class)
    List<LedgerCampaign> campaigns();

    /** Stores a report; a second computation in the same millisecond replaces the first. */
    @SqlUpdate(
            "REPLACE INTO lift_reports (tenant_id, campaign_id, window_days, computed_at, status,"
                    + " window_closes_at, treated_customers, holdout_customers,"
                    + " repeat_rate_difference, repeat_rate_low, repeat_rate_high,"
                    + " repeat_rate_p_value, orders_difference, orders_low, orders_high,"
                    + " orders_p_value, revenue_difference, revenue_low, revenue_high,"
                    + " revenue_p_value, incremental_revenue, incremental_revenue_low,"
                    + " incremental_revenue_high, sample_ratio_p_value, sample_ratio_mismatch,"
                    + " first_send_at, data_received_through, sends_updated_through,"
                    + " report) VALUES (:tenantId, :r.campaignId, :r.windowDays, :r.computedAt,"
                    + " :r.status, :r.windowClosesAt, :r.treatedCustomers, :r.holdoutCustomers,"
                    + " :r.repeatDifference, :r.repeatLow, :r.repeatHigh, :r.repeatPValue,"
                    + " :r.ordersDifference, :r.ordersLow, :r.ordersHigh, :r.ordersPValue,"
                    + " :r.revenueDifference, :r.revenueLow, :r.revenueHigh, :r.revenuePValue,"
                    + " :r.incrementalRevenue, :r.incrementalRevenueLow,"
                    + " :r.incrementalRevenueHigh, :r.sampleRatioPValue, :r.sampleRatioMismatch,"
                    + " :r.firstSendAt, :r.dataReceivedThrough, :r.sendsUpdatedThrough,"
                    + " :r.report)")
    void insert(@Bind("tenantId") String tenantId, @BindMethods("r") Stored report);

    @SqlQuery(
            "SELECT report FROM lift_reports WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND window_days = :windowDays"
                    + " ORDER BY computed_at DESC LIMIT 1")
    Optional<String> latestReport(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("windowDays") int windowDays);

    @SqlQuery(
            "SELECT status, computed_at, window_closes_at, first_send_at,"
                    + " data_received_through, sends_updated_through FROM lift_reports"
                    + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " AND window_days = :windowDays ORDER BY computed_at DESC LIMIT 1")
    @RegisterConstructorMapper(Latest.class)
    Optional<Latest> latest(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("windowDays") int windowDays);

    /** Every stored report's headline numbers, oldest first per campaign and window. */
    @SqlQuery(
            "SELECT * FROM lift_reports WHERE tenant_id = :tenantId"
                    + " AND (:campaignId IS NULL OR campaign_id = :campaignId)"
                    + " AND (:windowDays IS NULL OR window_days = :windowDays)"
                    + " ORDER BY campaign_id, window_days, computed_at")
    @RegisterRowMapper(SummaryMapper.class)
    List<LiftSummary> summaries(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("windowDays") Integer windowDays);

    /** Maps a stored row's headline columns. */
    final class SummaryMapper implements RowMapper<LiftSummary> {
        @Override
        public LiftSummary map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new LiftSummary(
                    rs.getString("campaign_id"),
                    rs.getInt("window_days"),
                    instant(rs, "computed_at"),
                    LiftReport.Status.valueOf(rs.getString("status")),
                    instant(rs, "window_closes_at"),
                    rs.getLong("treated_customers"),
                    rs.getLong("holdout_customers"),
                    headline(rs, "repeat_rate", true),
                    headline(rs, "orders", true),
                    headline(rs, "revenue", true),
                    headline(rs, "incremental_revenue", false),
                    nullable(rs, "sample_ratio_p_value"),
                    rs.getBoolean("sample_ratio_mismatch"));
        }

        private static LiftSummary.Headline headline(
                ResultSet rs, String prefix, boolean withPValue) throws SQLException {
            Double difference = nullable(rs, withPValue ? prefix + "_difference" : prefix);
            if (difference == null) {
                return null;
            }
            return new LiftSummary.Headline(
                    difference,
                    rs.getDouble(prefix + "_low"),
                    rs.getDouble(prefix + "_high"),
                    withPValue ? nullable(rs, prefix + "_p_value") : null);
        }

        private static Double nullable(ResultSet rs, String column) throws SQLException {
            double value = rs.getDouble(column);
            return rs.wasNull() ? null : value;
        }

        private static Instant instant(ResultSet rs, String column) throws SQLException {
            java.time.LocalDateTime value = rs.getObject(column, java.time.LocalDateTime.class);
            return value == null ? null : value.toInstant(java.time.ZoneOffset.UTC);
        }
    }
}
