package io.hilal.core.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface EventDao {
    /** An events row; the payload is the validated event as JSON. */
    record EventRow(
            String messageId,
            String type,
            String customerId,
            String anonymousId,
            String productId,
            String orderId,
            Instant occurredAt,
            Instant receivedAt,
            String payload) {}

    /** An order_lines row; refunds have negative quantities. */
    record LineRow(
            String messageId,
            int lineNo,
            String customerId,
            String orderId,
            String productId,
            int quantity,
            BigDecimal unitPrice,
            String currency,
            Instant occurredAt) {}

    /** Events and distinct orders per calendar month (UTC), for the overview. */
    record MonthCount(String month, long events, long orders) {}

    String INSERT_EVENT =
            "INSERT INTO events (tenant_id, message_id, type, customer_id, anonymous_id,"
                    + " product_id, order_id, occurred_at, received_at, payload)"
                    + " VALUES (:tenantId, :e.messageId, :e.type, :e.customerId, :e.anonymousId,"
                    + " :e.productId, :e.orderId, :e.occurredAt, :e.receivedAt, :e.payload)";

    String INSERT_LINE =
            "INSERT INTO order_lines (tenant_id, message_id, line_no, customer_id, order_id,"
                    + " product_id, quantity, unit_price, currency, occurred_at)"
                    + " VALUES (:tenantId, :l.messageId, :l.lineNo, :l.customerId, :l.orderId,"
                    + " :l.productId, :l.quantity, :l.unitPrice, :l.currency, :l.occurredAt)";

    @SqlQuery("SELECT message_id FROM events WHERE tenant_id = :tenantId AND message_id IN (<ids>)")
    List<String> existingMessageIds(
            @Bind("tenantId") String tenantId, @BindList("ids") Collection<String> messageIds);

    /**
     * The stored lines of these customers' orders with these ids, oldest first; the caller keeps
     * the (customer, order) pairs it asked about.
     */
    @SqlQuery(
            "SELECT message_id, line_no, customer_id, order_id, product_id, quantity, unit_price,"
                    + " currency, occurred_at FROM order_lines WHERE tenant_id = :tenantId"
                    + " AND customer_id IN (<customerIds>) AND order_id IN (<orderIds>)"
                    + " ORDER BY occurred_at, message_id, line_no")
    @RegisterConstructorMapper(LineRow.class)
    List<LineRow> orderLines(
            @Bind("tenantId") String tenantId,
            @BindList("customerIds") Collection<String> customerIds,
            @BindList("orderIds") Collection<String> orderIds);

    @SqlBatch(INSERT_EVENT)
    void insertEvents(@Bind("tenantId") String tenantId, @BindMethods("e") List<EventRow> events);

    @SqlBatch(INSERT_LINE)
    void insertLines(@Bind("tenantId") String tenantId, @BindMethods("l") List<LineRow> lines);

    /** Newest first; the page after (occurredAt, messageId) when those are given. */
    @SqlQuery(
            "SELECT message_id, type, customer_id, anonymous_id, product_id, order_id,"
                    + " occurred_at, received_at, payload FROM events"
                    + " WHERE tenant_id = :tenantId AND customer_id = :customerId"
                    + " AND (:beforeAt IS NULL OR occurred_at < :beforeAt"
                    + " OR (occurred_at = :beforeAt AND message_id < :beforeId))"
                    + " ORDER BY occurred_at DESC, message_id DESC LIMIT :limit")
    @RegisterConstructorMapper(EventRow.class)
    List<EventRow> customerPage(
            @Bind("tenantId") String tenantId,
            @Bind("customerId") String customerId,
            @Bind("beforeAt") Instant beforeAt,
            @Bind("beforeId") String beforeId,
            @Bind("limit") int limit);

    @SqlUpdate("DELETE FROM events WHERE tenant_id = :tenantId AND customer_id = :customerId")
    int deleteForCustomer(@Bind("tenantId") String tenantId, @Bind("customerId") String customerId);

    @SqlUpdate("DELETE FROM order_lines WHERE tenant_id = :tenantId AND customer_id = :customerId")
    int deleteLinesForCustomer(
            @Bind("tenantId") String tenantId, @Bind("customerId") String customerId);

    @SqlQuery("SELECT COUNT(*) FROM events WHERE tenant_id = :tenantId")
    long count(@Bind("tenantId") String tenantId);

    @SqlQuery(
            "SELECT COUNT(DISTINCT order_id) FROM events"
                    + " WHERE tenant_id = :tenantId AND type = 'order_completed'")
    long countOrders(@Bind("tenantId") String tenantId);

    @SqlQuery(
            "SELECT DATE_FORMAT(occurred_at, '%Y-%m') AS month, COUNT(*) AS events,"
                    + " COUNT(DISTINCT CASE WHEN type = 'order_completed' THEN order_id END) AS orders"
                    + " FROM events WHERE tenant_id = :tenantId"
                    + " GROUP BY DATE_FORMAT(occurred_at, '%Y-%m') ORDER BY month")
    @RegisterConstructorMapper(MonthCount.class)
    List<MonthCount> countByMonth(@Bind("tenantId") String tenantId);
}
