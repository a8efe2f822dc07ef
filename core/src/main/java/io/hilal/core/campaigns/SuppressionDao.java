package io.hilal.core.campaigns;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The suppression list: additions (an unsubscribe, a bounce, a complaint, in the transaction of the
 * event that causes them), reads and removals.
 */
@RegisterConstructorMapper(SuppressionDao.Suppression.class)
public interface SuppressionDao {
    /** A suppressed address and why. */
    record Suppression(String email, String reason, Instant createdAt) {}

    @SqlQuery(
            "SELECT email, reason, created_at FROM suppressions WHERE tenant_id = :tenantId"
                    + " AND (:after IS NULL OR email > :after) ORDER BY email LIMIT :limit")
    List<Suppression> page(
            @Bind("tenantId") String tenantId,
            @Bind("after") String after,
            @Bind("limit") int limit);

    /** Suppresses an address; suppressing it again keeps its first reason. */
    @SqlUpdate(
            "INSERT INTO suppressions (tenant_id, email, reason, created_at)"
                    + " VALUES (:tenantId, :email, :reason, :now)"
                    + " ON DUPLICATE KEY UPDATE email = email")
    void suppress(
            @Bind("tenantId") String tenantId,
            @Bind("email") String email,
            @Bind("reason") String reason,
            @Bind("now") Instant now);

    @SqlQuery(
            "SELECT email, reason, created_at FROM suppressions WHERE tenant_id = :tenantId"
                    + " AND email = :email")
    Optional<Suppression> find(@Bind("tenantId") String tenantId, @Bind("email") String email);

    @SqlUpdate("DELETE FROM suppressions WHERE tenant_id = :tenantId AND email = :email")
    int delete(@Bind("tenantId") String tenantId, @Bind("email") String email);

    /** Records the new consent on every customer with the address. */
    @SqlUpdate(
            "UPDATE customers SET email_consent = 'granted', email_consent_source = :source,"
                    + " email_consent_at = :at, updated_at = :now"
                    + " WHERE tenant_id = :tenantId AND email = :email")
    int grantConsent(
            @Bind("tenantId") String tenantId,
            @Bind("email") String email,
            @Bind("source") String source,
            @Bind("at") Instant at,
            @Bind("now") Instant now);
}
