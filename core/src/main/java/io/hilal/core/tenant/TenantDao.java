package io.hilal.core.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Tenant.class)
public interface TenantDao {
    @SqlUpdate(
            "INSERT INTO tenants (tenant_id, name, time_zone, created_at)"
                    + " VALUES (:tenantId, :name, :timeZone, :createdAt)")
    void insert(
            @Bind("tenantId") String tenantId,
            @Bind("name") String name,
            @Bind("timeZone") String timeZone,
            @Bind("createdAt") Instant createdAt);

    @SqlQuery(
            "SELECT tenant_id, name, time_zone, created_at FROM tenants WHERE tenant_id = :tenantId")
    Optional<Tenant> find(@Bind("tenantId") String tenantId);

    @SqlQuery(
            "SELECT tenant_id, name, time_zone, created_at FROM tenants WHERE name = :name"
                    + " ORDER BY created_at LIMIT 1")
    Optional<Tenant> findByName(@Bind("name") String name);

    @SqlQuery("SELECT tenant_id, name, time_zone, created_at FROM tenants ORDER BY created_at")
    List<Tenant> list();
}
