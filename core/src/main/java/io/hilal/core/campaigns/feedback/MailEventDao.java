package io.hilal.core.campaigns.feedback;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code mail_events} table: bounces and complaints. */
public interface MailEventDao {
    /** A row to insert. */
    record Row(
            String eventId,
            String kind,
            boolean permanent,
            String email,
            String campaignId,
            String runId,
            String customerId,
            String messageId,
            String source,
            String detail,
            Instant occurredAt,
            Instant receivedAt) {}

    /** The send a notification is about. */
    record Send(String campaignId, String runId, String customerId, String email) {}

    /** Inserts the row unless its event id is recorded already; 1 when it was new, else 0. */
    @SqlUpdate(
            "INSERT IGNORE INTO mail_events (tenant_id, event_id, kind, permanent, email,"
                    + " campaign_id, run_id, customer_id, message_id, source, detail, occurred_at,"
                    + " received_at) VALUES (:tenantId, :r.eventId, :r.kind, :r.permanent,"
                    + " :r.email, :r.campaignId, :r.runId, :r.customerId, :r.messageId,"
                    + " :r.source, :r.detail, :r.occurredAt, :r.receivedAt)")
    int insert(@Bind("tenantId") String tenantId, @BindMethods("r") Row row);

    /** The tenant's send of {@code campaignId} with this Message-ID. */
    @SqlQuery(
            "SELECT s.campaign_id, s.run_id, s.customer_id, c.email FROM campaign_sends s"
                    + " LEFT JOIN customers c ON c.tenant_id = s.tenant_id"
                    + " AND c.customer_id = s.customer_id WHERE s.tenant_id = :tenantId"
                    + " AND s.campaign_id = :campaignId AND s.message_id = :messageId LIMIT 1")
    @RegisterConstructorMapper(Send.class)
    Optional<Send> sendByMessageId(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("messageId") String messageId);

    /** The tenant's latest send of {@code campaignId} to a customer with this address. */
    @SqlQuery(
            "SELECT s.campaign_id, s.run_id, s.customer_id, c.email FROM campaign_sends s"
                    + " JOIN customers c ON c.tenant_id = s.tenant_id"
                    + " AND c.customer_id = s.customer_id WHERE s.tenant_id = :tenantId"
                    + " AND s.campaign_id = :campaignId AND c.email = :email"
                    + " ORDER BY s.send_at DESC LIMIT 1")
    @RegisterConstructorMapper(Send.class)
    Optional<Send> sendByEmail(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("email") String email);
}
