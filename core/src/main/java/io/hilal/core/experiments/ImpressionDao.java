package io.hilal.core.experiments;

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

    /** One customer's totals in one arm of an experiment. */
    record CustomerCounts(
            String arm,
            String customerId,
            long impressions,
            long clicks,
            long orders,
            long clicksA,
            long clicksB) {}

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
}
