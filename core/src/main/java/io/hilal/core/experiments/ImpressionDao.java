package io.hilal.core.experiments;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.mapper.reflect.JdbiConstructor;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface ImpressionDao {
    /** An impressions row: products and teams only for interleaved lists (tab-separated ids). */
    record Impression(
            String impressionId,
            String experimentId,
            String arm,
            String customerId,
            Instant servedAt,
            String products,
            String teams) {}

    /** An impression_events row: a click or order attributed to a stored impression. */
    record Attribution(
            String messageId,
            String impressionId,
            String experimentId,
            String arm,
            String customerId,
            String type,
            String productId,
            String orderId,
            String team,
            Instant occurredAt) {}

    /**
     * One customer's totals in one arm of an experiment. {@code orders} are the customer's distinct
     * orders after their first exposure, within the experiment's window, whether or not they named
     * an impression; {@code attributedOrders} those that named one. When interleaved, {@code
     * ordersA} and {@code ordersB} are the orders credited to each team ({@link OrderCredit}).
     */
    record CustomerCounts(
            String arm,
            String customerId,
            long impressions,
            long clicks,
            long orders,
            long clicksA,
            long clicksB,
            long attributedOrders,
            long ordersA,
            long ordersB) {

        /** Counts of impressions, clicks and attributed orders only, as {@link #customerCounts}. */
        @JdbiConstructor
        public CustomerCounts(
                String arm,
                String customerId,
                long impressions,
                long clicks,
                long orders,
                long clicksA,
                long clicksB) {
            this(arm, customerId, impressions, clicks, orders, clicksA, clicksB, orders, 0, 0);
        }

        /** These counts with every order after exposure and each team's credited orders. */
        public CustomerCounts withOrders(long allOrders, long creditedA, long creditedB) {
            return new CustomerCounts(
                    arm,
                    customerId,
                    impressions,
                    clicks,
                    allOrders,
                    clicksA,
                    clicksB,
                    attributedOrders,
                    creditedA,
                    creditedB);
        }
    }

    /** A customer's distinct orders after their first exposure in an arm. */
    record CustomerOrders(String arm, String customerId, long orders) {}

    /** One line of an order placed by an exposed customer after their first exposure. */
    record ExposedOrderLine(
            String customerId, String orderId, String productId, Instant occurredAt) {}

    @SqlUpdate(
            "INSERT INTO impressions (tenant_id, impression_id, experiment_id, arm, customer_id,"
                    + " served_at, products, teams) VALUES (:tenantId, :i.impressionId,"
                    + " :i.experimentId, :i.arm, :i.customerId, :i.servedAt, :i.products, :i.teams)")
    void insert(@Bind("tenantId") String tenantId, @BindMethods("i") Impression impression);

    @SqlQuery(
            "SELECT impression_id, experiment_id, arm, customer_id, served_at, products, teams"
                    + " FROM impressions WHERE tenant_id = :tenantId AND impression_id IN (<ids>)")
    @RegisterConstructorMapper(Impression.class)
    List<Impression> find(
            @Bind("tenantId") String tenantId, @BindList("ids") Collection<String> impressionIds);

    @SqlBatch(
            "INSERT INTO impression_events (tenant_id, message_id, impression_id, experiment_id,"
                    + " arm, customer_id, type, product_id, order_id, team, occurred_at)"
                    + " VALUES (:tenantId, :a.messageId, :a.impressionId, :a.experimentId, :a.arm,"
                    + " :a.customerId, :a.type, :a.productId, :a.orderId, :a.team, :a.occurredAt)")
    void insertAttributions(
            @Bind("tenantId") String tenantId, @BindMethods("a") List<Attribution> attributions);

    /**
     * Every exposed customer of an experiment with their impressions, attributed clicks (and those
     * credited to each team when interleaved) and distinct attributed orders.
     */
    @SqlQuery(
            "SELECT i.arm, i.customer_id, i.impressions, COALESCE(e.clicks, 0) AS clicks,"
                    + " COALESCE(e.orders, 0) AS orders, COALESCE(e.clicks_a, 0) AS clicks_a,"
                    + " COALESCE(e.clicks_b, 0) AS clicks_b FROM (SELECT arm, customer_id,"
                    + " COUNT(*) AS impressions FROM impressions WHERE tenant_id = :tenantId"
                    + " AND experiment_id = :experimentId GROUP BY arm, customer_id) i"
                    + " LEFT JOIN (SELECT arm, customer_id, SUM(type = 'click') AS clicks,"
                    + " COUNT(DISTINCT CASE WHEN type = 'order' THEN order_id END) AS orders,"
                    + " SUM(type = 'click' AND team = 'A') AS clicks_a,"
                    + " SUM(type = 'click' AND team = 'B') AS clicks_b FROM impression_events"
                    + " WHERE tenant_id = :tenantId AND experiment_id = :experimentId"
                    + " GROUP BY arm, customer_id) e ON e.arm = i.arm"
                    + " AND e.customer_id = i.customer_id ORDER BY i.arm, i.customer_id")
    @RegisterConstructorMapper(CustomerCounts.class)
    List<CustomerCounts> customerCounts(
            @Bind("tenantId") String tenantId, @Bind("experimentId") String experimentId);

    /**
     * Every exposed customer's distinct orders from their first exposure in an arm up to {@code
     * until}: the orders that named one of the experiment's impressions, and every other order line
     * the customer placed in that time (refund lines aside). The orders-per-customer of a split
     * counts them all, as the arms are randomized by customer: attributing only the orders that
     * name an impression would count how well the shop's pages pass the id along.
     */
    @SqlQuery(
            "SELECT arm, customer_id, COUNT(DISTINCT order_id) AS orders FROM ("
                    + " SELECT x.arm, x.customer_id, o.order_id FROM (SELECT arm, customer_id,"
                    + " MIN(served_at) AS first_served FROM impressions WHERE tenant_id = :tenantId"
                    + " AND experiment_id = :experimentId GROUP BY arm, customer_id) x"
                    + " JOIN order_lines o ON o.tenant_id = :tenantId"
                    + " AND o.customer_id = x.customer_id AND o.occurred_at >= x.first_served"
                    + " AND o.occurred_at <= :until AND o.quantity > 0"
                    + " UNION SELECT arm, customer_id, order_id FROM impression_events"
                    + " WHERE tenant_id = :tenantId AND experiment_id = :experimentId"
                    + " AND type = 'order' AND order_id IS NOT NULL) u"
                    + " GROUP BY arm, customer_id")
    @RegisterConstructorMapper(CustomerOrders.class)
    List<CustomerOrders> ordersAfterExposure(
            @Bind("tenantId") String tenantId,
            @Bind("experimentId") String experimentId,
            @Bind("until") Instant until);

    /**
     * The order lines (refunds aside) of exposed customers from first exposure to {@code until}.
     */
    @SqlQuery(
            "SELECT o.customer_id, o.order_id, o.product_id, o.occurred_at FROM (SELECT"
                    + " customer_id, MIN(served_at) AS first_served FROM impressions"
                    + " WHERE tenant_id = :tenantId AND experiment_id = :experimentId"
                    + " GROUP BY customer_id) x JOIN order_lines o ON o.tenant_id = :tenantId"
                    + " AND o.customer_id = x.customer_id AND o.occurred_at >= x.first_served"
                    + " AND o.occurred_at <= :until AND o.quantity > 0"
                    + " ORDER BY o.customer_id, o.occurred_at")
    @RegisterConstructorMapper(ExposedOrderLine.class)
    List<ExposedOrderLine> orderLinesAfterExposure(
            @Bind("tenantId") String tenantId,
            @Bind("experimentId") String experimentId,
            @Bind("until") Instant until);

    /**
     * The interleaved lists served in an experiment before one of their customer's orders up to
     * {@code until}: the only lists an order can be credited through.
     */
    @SqlQuery(
            "SELECT impression_id, experiment_id, arm, customer_id, served_at, products, teams"
                    + " FROM impressions i WHERE tenant_id = :tenantId"
                    + " AND experiment_id = :experimentId AND products IS NOT NULL"
                    + " AND EXISTS (SELECT 1 FROM order_lines o WHERE o.tenant_id = :tenantId"
                    + " AND o.customer_id = i.customer_id AND o.occurred_at >= i.served_at"
                    + " AND o.occurred_at <= :until AND o.quantity > 0)")
    @RegisterConstructorMapper(Impression.class)
    List<Impression> interleavedBeforeOrders(
            @Bind("tenantId") String tenantId,
            @Bind("experimentId") String experimentId,
            @Bind("until") Instant until);
}
