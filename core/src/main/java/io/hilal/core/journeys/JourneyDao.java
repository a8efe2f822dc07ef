package io.hilal.core.journeys;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(JourneyDao.JourneyRow.class)
@RegisterConstructorMapper(JourneyDao.EventRow.class)
@RegisterConstructorMapper(JourneyDao.LastOrder.class)
@RegisterConstructorMapper(JourneyDao.LastEvent.class)
@RegisterConstructorMapper(JourneyDao.OrderProduct.class)
public interface JourneyDao {
    /** A journeys row; the definition is JSON text. */
    record JourneyRow(
            String tenantId,
            String journeyId,
            String name,
            String kind,
            String status,
            String salt,
            String definition,
            Instant createdAt,
            Instant updatedAt) {}

    /** An event the planner reads: a trigger, an exit, or both. */
    record EventRow(
            String messageId,
            String type,
            String customerId,
            String productId,
            Instant occurredAt,
            Instant receivedAt) {}

    /** An entry to write (with its ledger row, in the same transaction). */
    record EntryRow(
            String customerId,
            String runId,
            Instant triggeredAt,
            Instant receivedAt,
            Instant sendAt,
            boolean heldOut,
            Instant plannedAt) {}

    /** A customer's last order, for win-back. */
    record LastOrder(String customerId, Instant lastOrderAt) {}

    /** A customer's last event of a type, for the exit check. */
    record LastEvent(String customerId, String type, Instant lastAt) {}

    /** A product on an order event's lines. */
    record OrderProduct(String messageId, String productId) {}

    String COLUMNS =
            "tenant_id, journey_id, name, kind, status, salt, definition, created_at, updated_at";

    @SqlUpdate(
            "INSERT INTO journeys ("
                    + COLUMNS
                    + ") VALUES (:tenantId, :journeyId, :name, :kind, :status, :salt, :definition,"
                    + " :createdAt, :updatedAt)")
    void insert(@BindMethods JourneyRow row);

    @SqlQuery(
            "SELECT "
                    + COLUMNS
                    + " FROM journeys WHERE tenant_id = :tenantId AND journey_id = :journeyId")
    Optional<JourneyRow> find(
            @Bind("tenantId") String tenantId, @Bind("journeyId") String journeyId);

    /** Newest first; the cursor is the (created_at, journey_id) of the last item seen. */
    @SqlQuery(
            "SELECT "
                    + COLUMNS
                    + " FROM journeys WHERE tenant_id = :tenantId"
                    + " AND (:afterCreated IS NULL OR created_at < :afterCreated"
                    + " OR (created_at = :afterCreated AND journey_id < :afterId))"
                    + " ORDER BY created_at DESC, journey_id DESC LIMIT :limit")
    List<JourneyRow> page(
            @Bind("tenantId") String tenantId,
            @Bind("afterCreated") Instant afterCreated,
            @Bind("afterId") String afterId,
            @Bind("limit") int limit);

    /** A tenant's journeys, for the planner. */
    @SqlQuery("SELECT " + COLUMNS + " FROM journeys WHERE tenant_id = :tenantId")
    List<JourneyRow> ofTenant(@Bind("tenantId") String tenantId);

    /** The tenants with any journey: the planner's one look across tenants. */
    @SqlQuery("SELECT DISTINCT tenant_id FROM journeys ORDER BY tenant_id")
    List<String> tenants();

    @SqlUpdate(
            "UPDATE journeys SET status = :to, updated_at = :now WHERE tenant_id = :tenantId"
                    + " AND journey_id = :journeyId AND status = :from")
    int transition(
            @Bind("tenantId") String tenantId,
            @Bind("journeyId") String journeyId,
            @Bind("from") String from,
            @Bind("to") String to,
            @Bind("now") Instant now);

    @SqlQuery("SELECT received_through FROM journey_cursors WHERE tenant_id = :tenantId")
    Optional<Instant> cursor(@Bind("tenantId") String tenantId);

    @SqlQuery("SELECT swept_at FROM journey_cursors WHERE tenant_id = :tenantId")
    Optional<Instant> sweptAt(@Bind("tenantId") String tenantId);

    @SqlUpdate(
            "INSERT INTO journey_cursors (tenant_id, received_through) VALUES (:tenantId, :at)"
                    + " ON DUPLICATE KEY UPDATE received_through ="
                    + " GREATEST(received_through, VALUES(received_through))")
    void advance(@Bind("tenantId") String tenantId, @Bind("at") Instant at);

    @SqlUpdate(
            "INSERT INTO journey_cursors (tenant_id, received_through, swept_at) VALUES"
                    + " (:tenantId, :at, :at) ON DUPLICATE KEY UPDATE swept_at = VALUES(swept_at)")
    void swept(@Bind("tenantId") String tenantId, @Bind("at") Instant at);

    /**
     * Events of the types journeys react to, received after ({@code after}, {@code afterId}),
     * oldest first.
     */
    @SqlQuery(
            "SELECT message_id, type, customer_id, product_id, occurred_at, received_at"
                    + " FROM events WHERE tenant_id = :tenantId AND (received_at > :after"
                    + " OR (received_at = :after AND message_id > :afterId))"
                    + " AND customer_id IS NOT NULL AND type IN (<types>)"
                    + " ORDER BY received_at, message_id LIMIT :limit")
    List<EventRow> eventsAfter(
            @Bind("tenantId") String tenantId,
            @Bind("after") Instant after,
            @Bind("afterId") String afterId,
            @BindList("types") List<String> types,
            @Bind("limit") int limit);

    /** The products of order events' lines. */
    @SqlQuery(
            "SELECT DISTINCT message_id, product_id FROM order_lines WHERE tenant_id = :tenantId"
                    + " AND message_id IN (<messageIds>) AND quantity > 0")
    List<OrderProduct> orderProducts(
            @Bind("tenantId") String tenantId,
            @BindList("messageIds") Collection<String> messageIds);

    /**
     * The customers' last event of each of {@code types} after {@code after} (those without one are
     * left out): an exit already for an entry triggered before it.
     */
    @SqlQuery(
            "SELECT customer_id, type, MAX(occurred_at) AS last_at FROM events"
                    + " WHERE tenant_id = :tenantId AND customer_id IN (<customerIds>)"
                    + " AND type IN (<types>) AND occurred_at > :after GROUP BY customer_id, type")
    List<LastEvent> lastEventsSince(
            @Bind("tenantId") String tenantId,
            @BindList("customerIds") Collection<String> customerIds,
            @BindList("types") List<String> types,
            @Bind("after") Instant after);

    /** Customers whose last order fell between {@code from} and {@code to}: lapsed now. */
    @SqlQuery(
            "SELECT customer_id, MAX(occurred_at) AS last_order_at FROM order_lines"
                    + " WHERE tenant_id = :tenantId AND quantity > 0 GROUP BY customer_id"
                    + " HAVING MAX(occurred_at) >= :from AND MAX(occurred_at) < :to")
    List<LastOrder> lastOrdersBetween(
            @Bind("tenantId") String tenantId, @Bind("from") Instant from, @Bind("to") Instant to);

    /** Customers with an order: who the restock sweep asks the model about. */
    @SqlQuery(
            "SELECT DISTINCT customer_id FROM order_lines WHERE tenant_id = :tenantId"
                    + " AND occurred_at >= :since")
    List<String> buyersSince(@Bind("tenantId") String tenantId, @Bind("since") Instant since);

    /** Writes entries; an entry already there is left alone (events are read more than once). */
    @SqlBatch(
            "INSERT IGNORE INTO journey_entries (tenant_id, journey_id, customer_id, run_id,"
                    + " triggered_at, received_at, send_at, held_out, planned_at) VALUES"
                    + " (:tenantId, :journeyId, :e.customerId, :e.runId, :e.triggeredAt,"
                    + " :e.receivedAt, :e.sendAt, :e.heldOut, :e.plannedAt)")
    int[] enter(
            @Bind("tenantId") String tenantId,
            @Bind("journeyId") String journeyId,
            @BindMethods("e") List<EntryRow> entries);

    /**
     * Opens the run an entry joins, or reopens it (a sender may have finished it while it was
     * empty): the sender reads active runs only.
     */
    @SqlUpdate(
            "INSERT INTO campaign_runs (tenant_id, campaign_id, run_id, status, audience_size,"
                    + " holdout_size, planned_at, first_send_at, last_valid_at, finished_at)"
                    + " VALUES (:tenantId, :journeyId, :runId, 'active', :entered, :heldOut, :now,"
                    + " :firstSendAt, :lastValidAt, NULL) ON DUPLICATE KEY UPDATE status = 'active',"
                    + " finished_at = NULL, audience_size = audience_size + VALUES(audience_size),"
                    + " holdout_size = holdout_size + VALUES(holdout_size),"
                    + " first_send_at = LEAST(COALESCE(first_send_at, VALUES(first_send_at)),"
                    + " VALUES(first_send_at)), last_valid_at ="
                    + " GREATEST(COALESCE(last_valid_at, VALUES(last_valid_at)),"
                    + " VALUES(last_valid_at))")
    void openRun(
            @Bind("tenantId") String tenantId,
            @Bind("journeyId") String journeyId,
            @Bind("runId") String runId,
            @Bind("entered") int entered,
            @Bind("heldOut") int heldOut,
            @Bind("firstSendAt") Instant firstSendAt,
            @Bind("lastValidAt") Instant lastValidAt,
            @Bind("now") Instant now);

    /**
     * Reopens journey runs a sender finished in the moment between an entry's commit and its own
     * count of what was left: a run with a waiting send must be active to be sent.
     */
    @SqlUpdate(
            "UPDATE campaign_runs r SET r.status = 'active', r.finished_at = NULL"
                    + " WHERE r.tenant_id = :tenantId AND r.status = 'completed'"
                    + " AND r.finished_at >= :since AND r.campaign_id IN (SELECT j.journey_id"
                    + " FROM journeys j WHERE j.tenant_id = :tenantId) AND EXISTS (SELECT 1 FROM"
                    + " campaign_sends s WHERE s.tenant_id = r.tenant_id AND s.campaign_id ="
                    + " r.campaign_id AND s.run_id = r.run_id AND s.due_at IS NOT NULL)")
    int reopenRuns(@Bind("tenantId") String tenantId, @Bind("since") Instant since);

    /** How long entries took from their event's ingest to their planning, in milliseconds. */
    @SqlQuery(
            "SELECT TIMESTAMPDIFF(MICROSECOND, received_at, planned_at) / 1000 FROM"
                    + " journey_entries WHERE tenant_id = :tenantId AND journey_id = :journeyId")
    List<Double> planningLatenciesMillis(
            @Bind("tenantId") String tenantId, @Bind("journeyId") String journeyId);
}
