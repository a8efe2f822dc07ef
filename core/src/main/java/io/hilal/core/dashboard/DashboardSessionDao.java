package io.hilal.core.dashboard;

import io.hilal.core.tenant.Scope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface DashboardSessionDao {
    @SqlUpdate(
            "INSERT INTO dashboard_sessions (tenant_id, session_id, token_hash, csrf_token, kind,"
                    + " subject_id, display_name, created_at, expires_at)"
                    + " VALUES (:tenantId, :sessionId, :tokenHash, :csrfToken, :kind, :subjectId,"
                    + " :displayName, :createdAt, :expiresAt)")
    void insert(
            @Bind("tenantId") String tenantId,
            @Bind("sessionId") String sessionId,
            @Bind("tokenHash") byte[] tokenHash,
            @Bind("csrfToken") String csrfToken,
            @Bind("kind") String kind,
            @Bind("subjectId") String subjectId,
            @Bind("displayName") String displayName,
            @Bind("createdAt") Instant createdAt,
            @Bind("expiresAt") Instant expiresAt);

    /**
     * The live session behind a token: not expired, and what it was opened with still valid (the
     * API key not revoked, the user not disabled), with the scopes that key or that user's role
     * holds now. Not scoped by tenant: the session is how the tenant is learnt.
     */
    @SqlQuery(
            "SELECT s.tenant_id, t.name AS tenant_name, s.session_id, s.csrf_token, s.kind,"
                    + " s.subject_id, s.display_name, s.expires_at, k.scopes AS key_scopes,"
                    + " u.role AS user_role"
                    + " FROM dashboard_sessions s"
                    + " JOIN tenants t ON t.tenant_id = s.tenant_id"
                    + " LEFT JOIN api_keys k ON s.kind = 'api_key'"
                    + "   AND k.tenant_id = s.tenant_id AND k.key_id = s.subject_id"
                    + " LEFT JOIN dashboard_users u ON s.kind = 'user'"
                    + "   AND u.tenant_id = s.tenant_id AND u.user_id = s.subject_id"
                    + " WHERE s.token_hash = :tokenHash AND s.expires_at > :now"
                    + " AND ((k.key_id IS NOT NULL AND k.revoked_at IS NULL)"
                    + "   OR (u.user_id IS NOT NULL AND u.disabled_at IS NULL))")
    @RegisterRowMapper(SessionMapper.class)
    Optional<DashboardSession> findLive(
            @Bind("tokenHash") byte[] tokenHash, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM dashboard_sessions WHERE token_hash = :tokenHash")
    int delete(@Bind("tokenHash") byte[] tokenHash);

    /** Removes a bounded number of expired sessions of every tenant. */
    @SqlUpdate("DELETE FROM dashboard_sessions WHERE expires_at <= :now LIMIT 1000")
    int deleteExpired(@Bind("now") Instant now);

    @SqlUpdate(
            "DELETE FROM dashboard_sessions"
                    + " WHERE tenant_id = :tenantId AND kind = 'user' AND subject_id = :userId")
    int deleteForUser(@Bind("tenantId") String tenantId, @Bind("userId") String userId);

    /**
     * A session row with its scopes: a key's own, or a user's role's. A role this version does not
     * know grants nothing.
     */
    final class SessionMapper implements RowMapper<DashboardSession> {
        @Override
        public DashboardSession map(ResultSet rs, StatementContext ctx) throws SQLException {
            String kind = rs.getString("kind");
            Set<Scope> scopes =
                    DashboardSession.API_KEY.equals(kind)
                            ? Scope.decode(rs.getString("key_scopes"))
                            : DashboardRole.fromWireName(rs.getString("user_role"))
                                    .map(DashboardRole::scopes)
                                    .orElse(Set.of());
            return new DashboardSession(
                    rs.getString("tenant_id"),
                    rs.getString("tenant_name"),
                    rs.getString("session_id"),
                    rs.getString("csrf_token"),
                    kind,
                    rs.getString("subject_id"),
                    rs.getString("display_name"),
                    ctx.findColumnMapperFor(Instant.class).orElseThrow().map(rs, "expires_at", ctx),
                    scopes);
        }
    }
}
