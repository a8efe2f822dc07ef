package io.hilal.core.tenant;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The one door to {@code tenant_quotas}. */
public interface TenantQuotaDao {
    @SqlQuery(
            "SELECT ingest_events_per_second, stored_events, sends_per_day,"
                    + " training_seconds_per_day FROM tenant_quotas WHERE tenant_id = :tenantId")
    @RegisterConstructorMapper(TenantQuotas.class)
    Optional<TenantQuotas> find(@Bind("tenantId") String tenantId);

    @SqlUpdate(
            "INSERT INTO tenant_quotas (tenant_id, ingest_events_per_second, stored_events,"
                    + " sends_per_day, training_seconds_per_day, updated_at)"
                    + " VALUES (:tenantId, :q.ingestEventsPerSecond, :q.storedEvents,"
                    + " :q.sendsPerDay, :q.trainingSecondsPerDay, :now)"
                    + " ON DUPLICATE KEY UPDATE"
                    + " ingest_events_per_second = VALUES(ingest_events_per_second),"
                    + " stored_events = VALUES(stored_events),"
                    + " sends_per_day = VALUES(sends_per_day),"
                    + " training_seconds_per_day = VALUES(training_seconds_per_day),"
                    + " updated_at = VALUES(updated_at)")
    void upsert(
            @Bind("tenantId") String tenantId,
            @BindMethods("q") TenantQuotas quotas,
            @Bind("now") Instant now);

    /** The events a tenant stores now: exact, and a scan of its events, so read it sparingly. */
    @SqlQuery("SELECT COUNT(*) FROM events WHERE tenant_id = :tenantId")
    long storedEvents(@Bind("tenantId") String tenantId);

    /**
     * Seconds of training runs that started since {@code since}: finished ones in full, running
     * ones so far.
     */
    @SqlQuery(
            "SELECT COALESCE(SUM(TIMESTAMPDIFF(MICROSECOND, started_at,"
                    + " COALESCE(finished_at, :now))), 0) / 1e6 FROM training_requests"
                    + " WHERE tenant_id = :tenantId AND started_at >= :since")
    double trainingSecondsSince(
            @Bind("tenantId") String tenantId,
            @Bind("since") Instant since,
            @Bind("now") Instant now);
}
