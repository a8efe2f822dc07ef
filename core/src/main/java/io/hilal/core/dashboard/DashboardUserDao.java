package io.hilal.core.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(DashboardUser.class)
public interface DashboardUserDao {
    @SqlUpdate(
            "INSERT INTO dashboard_users (tenant_id, user_id, email, role, password_hash,"
                    + " created_at)"
                    + " VALUES (:tenantId, :userId, :email, :role, :passwordHash, :createdAt)")
    void insert(
            @Bind("tenantId") String tenantId,
            @Bind("userId") String userId,
            @Bind("email") String email,
            @Bind("role") String role,
            @Bind("passwordHash") String passwordHash,
            @Bind("createdAt") Instant createdAt);

    /** Not scoped by tenant: signing in is how the tenant is learnt. */
    @SqlQuery(
            "SELECT tenant_id, user_id, email, role, created_at, disabled_at"
                    + " FROM dashboard_users WHERE email = :email")
    Optional<DashboardUser> findByEmail(@Bind("email") String email);

    @SqlQuery(
            "SELECT password_hash FROM dashboard_users WHERE tenant_id = :tenantId AND user_id = :userId")
    Optional<String> passwordHash(@Bind("tenantId") String tenantId, @Bind("userId") String userId);

    @SqlQuery(
            "SELECT tenant_id, user_id, email, role, created_at, disabled_at FROM dashboard_users"
                    + " WHERE tenant_id = :tenantId ORDER BY created_at, user_id")
    List<DashboardUser> list(@Bind("tenantId") String tenantId);

    @SqlUpdate(
            "UPDATE dashboard_users SET role = :role"
                    + " WHERE tenant_id = :tenantId AND email = :email")
    int setRole(
            @Bind("tenantId") String tenantId,
            @Bind("email") String email,
            @Bind("role") String role);

    @SqlUpdate(
            "UPDATE dashboard_users SET disabled_at = :now"
                    + " WHERE tenant_id = :tenantId AND email = :email AND disabled_at IS NULL")
    int disable(
            @Bind("tenantId") String tenantId,
            @Bind("email") String email,
            @Bind("now") Instant now);
}
