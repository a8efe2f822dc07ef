package io.hilal.core.campaigns;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(CampaignDao.CampaignRow.class)
@RegisterConstructorMapper(CampaignDao.RunRow.class)
@RegisterConstructorMapper(CampaignDao.SendRow.class)
@RegisterConstructorMapper(SenderIdentity.class)
public interface CampaignDao {
    /** A campaigns row; the definition is JSON text. */
    record CampaignRow(
            String tenantId,
            String campaignId,
            String name,
            String status,
            double holdoutShare,
            String salt,
            String definition,
            Instant createdAt,
            Instant updatedAt,
            Instant launchedAt) {}

    /** A run of a campaign and its planned audience. */
    record RunRow(
            String tenantId,
            String campaignId,
            String runId,
            String status,
            int audienceSize,
            int holdoutSize,
            Instant plannedAt,
            Instant firstSendAt,
            Instant lastValidAt,
            Instant finishedAt) {}

    /** One ledger row as the API lists it. */
    record SendRow(
            String runId,
            String customerId,
            String state,
            String reason,
            String messageId,
            Instant sendAt,
            Instant nextAttemptAt,
            Instant validUntil,
            int attempts,
            Instant sentAt) {}

    String CAMPAIGN_COLUMNS =
            "tenant_id, campaign_id, name, status, holdout_share, salt, definition, created_at,"
                    + " updated_at, launched_at";
    String RUN_COLUMNS =
            "tenant_id, campaign_id, run_id, status, audience_size, holdout_size, planned_at,"
                    + " first_send_at, last_valid_at, finished_at";

    @SqlUpdate(
            "INSERT INTO campaigns ("
                    + CAMPAIGN_COLUMNS
                    + ") VALUES (:tenantId, :campaignId, :name, :status, :holdoutShare, :salt,"
                    + " :definition, :createdAt, :updatedAt, :launchedAt)")
    void insert(@BindMethods CampaignRow row);

    /** Replaces a draft's definition; 0 when it is no longer a draft. */
    @SqlUpdate(
            "UPDATE campaigns SET name = :name, holdout_share = :holdoutShare,"
                    + " definition = :definition, updated_at = :now WHERE tenant_id = :tenantId"
                    + " AND campaign_id = :campaignId AND status = 'draft'")
    int updateDraft(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("name") String name,
            @Bind("holdoutShare") double holdoutShare,
            @Bind("definition") String definition,
            @Bind("now") Instant now);

    @SqlQuery(
            "SELECT "
                    + CAMPAIGN_COLUMNS
                    + " FROM campaigns WHERE tenant_id = :tenantId AND campaign_id = :campaignId")
    Optional<CampaignRow> find(
            @Bind("tenantId") String tenantId, @Bind("campaignId") String campaignId);

    /** What the tenant's row {@code campaignId} is: 'campaign' or 'journey' (empty: none). */
    @SqlQuery(
            "SELECT kind FROM campaigns WHERE tenant_id = :tenantId AND campaign_id = :campaignId")
    Optional<String> kind(@Bind("tenantId") String tenantId, @Bind("campaignId") String campaignId);

    @SqlQuery(
            "SELECT "
                    + CAMPAIGN_COLUMNS
                    + " FROM campaigns WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " FOR UPDATE")
    Optional<CampaignRow> lock(
            @Bind("tenantId") String tenantId, @Bind("campaignId") String campaignId);

    /** Newest first; the cursor is the (created_at, campaign_id) of the last item seen. */
    @SqlQuery(
            "SELECT "
                    + CAMPAIGN_COLUMNS
                    + " FROM campaigns WHERE tenant_id = :tenantId AND kind = 'campaign'"
                    + " AND (:status IS NULL OR status = :status)"
                    + " AND (:afterCreated IS NULL OR created_at < :afterCreated"
                    + " OR (created_at = :afterCreated AND campaign_id < :afterId))"
                    + " ORDER BY created_at DESC, campaign_id DESC LIMIT :limit")
    List<CampaignRow> page(
            @Bind("tenantId") String tenantId,
            @Bind("status") String status,
            @Bind("afterCreated") Instant afterCreated,
            @Bind("afterId") String afterId,
            @Bind("limit") int limit);

    @SqlUpdate(
            "UPDATE campaigns SET status = :to, updated_at = :now,"
                    + " launched_at = CASE WHEN :to = 'scheduled' AND launched_at IS NULL"
                    + " THEN :now ELSE launched_at END"
                    + " WHERE tenant_id = :tenantId AND campaign_id = :campaignId AND status = :from")
    int transition(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("from") String from,
            @Bind("to") String to,
            @Bind("now") Instant now);

    /**
     * A scheduled campaign whose runs all finished completes; a journey's campaign row never does
     * (its next entry opens a new run).
     */
    @SqlUpdate(
            "UPDATE campaigns SET status = 'completed', updated_at = :now WHERE tenant_id ="
                    + " :tenantId AND campaign_id = :campaignId AND status = 'scheduled'"
                    + " AND kind = 'campaign'")
    int complete(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("now") Instant now);

    @SqlUpdate(
            "INSERT INTO campaign_runs ("
                    + RUN_COLUMNS
                    + ") VALUES (:tenantId, :campaignId, :runId, :status, :audienceSize,"
                    + " :holdoutSize, :plannedAt, :firstSendAt, :lastValidAt, :finishedAt)")
    void insertRun(@BindMethods RunRow row);

    @SqlQuery(
            "SELECT "
                    + RUN_COLUMNS
                    + " FROM campaign_runs WHERE tenant_id = :tenantId AND campaign_id = :campaignId"
                    + " ORDER BY planned_at, run_id")
    List<RunRow> runs(@Bind("tenantId") String tenantId, @Bind("campaignId") String campaignId);

    /** Runs with work left whose campaign is not paused, across tenants: what senders look at. */
    @SqlQuery(
            "SELECT r.tenant_id, r.campaign_id, r.run_id, r.status, r.audience_size,"
                    + " r.holdout_size, r.planned_at, r.first_send_at, r.last_valid_at,"
                    + " r.finished_at FROM campaign_runs r JOIN campaigns c ON c.tenant_id ="
                    + " r.tenant_id AND c.campaign_id = r.campaign_id WHERE r.status = 'active'"
                    + " AND c.status = 'scheduled' AND r.first_send_at <= :now"
                    + " ORDER BY r.first_send_at, r.tenant_id, r.campaign_id, r.run_id")
    List<RunRow> activeRuns(@Bind("now") Instant now);

    /** Runs with work left, paused or not: where a crashed worker's claims can be. */
    @SqlQuery(
            "SELECT "
                    + RUN_COLUMNS
                    + " FROM campaign_runs WHERE status = 'active' ORDER BY tenant_id, campaign_id,"
                    + " run_id")
    List<RunRow> unfinishedRuns();

    @SqlUpdate(
            "UPDATE campaign_runs SET status = :status, finished_at = :now WHERE tenant_id ="
                    + " :tenantId AND campaign_id = :campaignId AND run_id = :runId"
                    + " AND status = 'active'")
    int finishRun(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId,
            @Bind("status") String status,
            @Bind("now") Instant now);

    /**
     * A run given sends again (unknown ones the marketer resends) is active until they are made.
     */
    @SqlUpdate(
            "UPDATE campaign_runs SET status = 'active', finished_at = NULL WHERE tenant_id ="
                    + " :tenantId AND campaign_id = :campaignId AND run_id = :runId"
                    + " AND status = 'completed'")
    int reopenRun(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("runId") String runId);

    @SqlQuery(
            "SELECT run_id, customer_id, state, reason, message_id, send_at, next_attempt_at,"
                    + " valid_until, attempts, sent_at FROM campaign_sends WHERE tenant_id ="
                    + " :tenantId AND campaign_id = :campaignId AND (:state IS NULL OR state ="
                    + " :state) AND (:afterRun IS NULL OR run_id > :afterRun OR (run_id = :afterRun"
                    + " AND customer_id > :afterCustomer)) ORDER BY run_id, customer_id"
                    + " LIMIT :limit")
    List<SendRow> sends(
            @Bind("tenantId") String tenantId,
            @Bind("campaignId") String campaignId,
            @Bind("state") String state,
            @Bind("afterRun") String afterRun,
            @Bind("afterCustomer") String afterCustomer,
            @Bind("limit") int limit);

    @SqlQuery(
            "SELECT from_address, from_name, reply_to, postal_address, website_url, updated_at"
                    + " FROM sender_identities WHERE tenant_id = :tenantId")
    Optional<SenderIdentity> senderIdentity(@Bind("tenantId") String tenantId);

    @SqlUpdate(
            "INSERT INTO sender_identities (tenant_id, from_address, from_name, reply_to,"
                    + " postal_address, website_url, updated_at) VALUES (:tenantId, :s.fromAddress,"
                    + " :s.fromName, :s.replyTo, :s.postalAddress, :s.websiteUrl, :s.updatedAt)"
                    + " ON DUPLICATE KEY UPDATE from_address = VALUES(from_address), from_name ="
                    + " VALUES(from_name), reply_to = VALUES(reply_to), postal_address ="
                    + " VALUES(postal_address), website_url = VALUES(website_url), updated_at ="
                    + " VALUES(updated_at)")
    void putSenderIdentity(@Bind("tenantId") String tenantId, @BindMethods("s") SenderIdentity s);

    /** A tenant's named calendar date. */
    record CalendarDate(String name, LocalDate date) {}

    @SqlQuery("SELECT name, date FROM calendar_dates WHERE tenant_id = :tenantId ORDER BY name")
    @RegisterConstructorMapper(CalendarDate.class)
    List<CalendarDate> calendarDates(@Bind("tenantId") String tenantId);

    @SqlUpdate(
            "INSERT INTO calendar_dates (tenant_id, name, date, updated_at) VALUES (:tenantId,"
                    + " :name, :date, :now) ON DUPLICATE KEY UPDATE date = VALUES(date),"
                    + " updated_at = VALUES(updated_at)")
    void putCalendarDate(
            @Bind("tenantId") String tenantId,
            @Bind("name") String name,
            @Bind("date") LocalDate date,
            @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM calendar_dates WHERE tenant_id = :tenantId AND name = :name")
    int deleteCalendarDate(@Bind("tenantId") String tenantId, @Bind("name") String name);
}
