package io.hilal.core.tenant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(ApiKeyDao.ApiKeyMapper.class)
public interface ApiKeyDao {
    @SqlUpdate(
            "INSERT INTO api_keys (tenant_id, key_id, secret_hash, scopes, name, created_at)"
                    + " VALUES (:tenantId, :keyId, :secretHash, :scopes, :name, :createdAt)")
    void insert(
            @Bind("tenantId") String tenantId,
            @Bind("keyId") String keyId,
            @Bind("secretHash") byte[] secretHash,
            @Bind("scopes") String scopes,
            @Bind("name") String name,
            @Bind("createdAt") Instant createdAt);

    /**
     * The one lookup not scoped by tenant: authentication is how the tenant is learnt. It runs on
     * every request, so {@link TenantService#authenticate} issues it as a plain query: through an
     * on-demand SqlObject, attaching the extension cost as much CPU as the query itself.
     */
    String FIND_FOR_AUTHENTICATION =
            "SELECT tenant_id, key_id, secret_hash, scopes, name, created_at, revoked_at"
                    + " FROM api_keys WHERE key_id = :keyId";

    @SqlQuery(
            "SELECT tenant_id, key_id, secret_hash, scopes, name, created_at, revoked_at"
                    + " FROM api_keys WHERE tenant_id = :tenantId ORDER BY created_at, key_id")
    List<StoredKey> list(@Bind("tenantId") String tenantId);

    @SqlUpdate(
            "UPDATE api_keys SET revoked_at = :now"
                    + " WHERE tenant_id = :tenantId AND key_id = :keyId AND revoked_at IS NULL")
    int revoke(
            @Bind("tenantId") String tenantId,
            @Bind("keyId") String keyId,
            @Bind("now") Instant now);

    @SqlQuery("SELECT COUNT(*) FROM api_keys WHERE tenant_id = :tenantId AND key_id = :keyId")
    int count(@Bind("tenantId") String tenantId, @Bind("keyId") String keyId);

    /** A key row as stored, hash included; never leaves core. */
    record StoredKey(ApiKey key, byte[] secretHash) {}

    final class ApiKeyMapper implements RowMapper<StoredKey> {
        @Override
        public StoredKey map(ResultSet rs, StatementContext ctx) throws SQLException {
            var instants = ctx.findColumnMapperFor(Instant.class).orElseThrow();
            ApiKey key =
                    new ApiKey(
                            rs.getString("tenant_id"),
                            rs.getString("key_id"),
                            Scope.decode(rs.getString("scopes")),
                            rs.getString("name"),
                            instants.map(rs, "created_at", ctx),
                            instants.map(rs, "revoked_at", ctx));
            return new StoredKey(key, rs.getBytes("secret_hash"));
        }
    }
}
