package io.hilal.core.tenant;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Reads a tenant's usage. Every query is bounded by the tenant (the leading column of each table's
 * key), and the per-day ones by the period.
 */
public interface TenantUsageDao {
    @SqlQuery(
            "SELECT (SELECT COUNT(*) FROM events WHERE tenant_id = :tenantId) AS events,"
                    + " (SELECT COUNT(*) FROM customers WHERE tenant_id = :tenantId) AS customers,"
                    + " (SELECT COUNT(*) FROM products WHERE tenant_id = :tenantId) AS products,"
                    + " (SELECT COALESCE(SUM(size_bytes), 0) FROM model_versions"
                    + "  WHERE tenant_id = :tenantId) AS model_bytes")
    @RegisterConstructorMapper(TenantUsage.Stored.class)
    TenantUsage.Stored stored(@Bind("tenantId") String tenantId);

    /** Emails that went out, per UTC day of their sending. */
    @SqlQuery(
            "SELECT DATE(sent_at) AS day, COUNT(*) AS sends FROM campaign_sends"
                    + " WHERE tenant_id = :tenantId AND state = 'SENT' AND sent_at >= :since"
                    + " GROUP BY DATE(sent_at)")
    @RegisterConstructorMapper(DayCount.class)
    List<DayCount> sendsPerDay(@Bind("tenantId") String tenantId, @Bind("since") Instant since);

    /** Finished training runs per UTC day of their end, with their summed duration. */
    @SqlQuery(
            "SELECT DATE(finished_at) AS day, COUNT(*) AS runs,"
                    + " COALESCE(SUM(TIMESTAMPDIFF(MICROSECOND, started_at, finished_at)), 0)"
                    + " / 1e6 AS seconds"
                    + " FROM training_requests"
                    + " WHERE tenant_id = :tenantId AND finished_at >= :since"
                    + " AND started_at IS NOT NULL"
                    + " GROUP BY DATE(finished_at)")
    @RegisterConstructorMapper(DayTraining.class)
    List<DayTraining> trainingPerDay(
            @Bind("tenantId") String tenantId, @Bind("since") Instant since);

    record DayCount(LocalDate day, long sends) {}

    record DayTraining(LocalDate day, long runs, double seconds) {}
}
