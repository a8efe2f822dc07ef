package io.hilal.core.dashboard;

import io.hilal.core.audit.OperatorLog;
import io.hilal.core.error.Checks;
import io.hilal.core.error.ConflictException;
import io.hilal.core.error.ForbiddenException;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.error.UnauthorizedException;
import io.hilal.core.tenant.ApiKeyPrincipal;
import io.hilal.core.tenant.Scope;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Signing in to the dashboard. A browser signs in once, with a dashboard user's email and password
 * or with an API key holding the {@code read} scope, and gets a session token for a cookie: the key
 * itself never has to live in the browser. The session may do what the key's scopes or the user's
 * role ({@link DashboardRole}) allow, no more. Sessions last twelve hours, end at sign-out, and end
 * at once when the user is disabled or the key revoked. Failed sign-ins say nothing about whether
 * the email exists, and take the same time either way.
 */
public final class DashboardAuth {
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    public static final int MIN_PASSWORD_LENGTH = 12;
    public static final int MAX_PASSWORD_LENGTH = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final String WRONG_PASSWORD = "The email or the password is wrong";

    private final Jdbi jdbi;
    private final TenantService tenants;
    private final Clock clock;

    public DashboardAuth(Jdbi jdbi, TenantService tenants, Clock clock) {
        this.jdbi = jdbi;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** A new session: the token for the cookie (shown this once) and the session it opens. */
    public record OpenedSession(String token, DashboardSession session) {}

    /**
     * Creates a dashboard user of a tenant with a role; the email must not be in use by anyone yet.
     */
    public DashboardUser createUser(
            String tenantId, String email, char[] password, DashboardRole role) {
        String normalized = normalizeEmail(email);
        Checks checks = new Checks().required("email", normalized).email("email", normalized);
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            checks.fail("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters");
        } else if (password.length > MAX_PASSWORD_LENGTH) {
            checks.fail("password", "must be at most " + MAX_PASSWORD_LENGTH + " characters");
        }
        if (role == null) {
            checks.fail("role", "must be viewer, marketer or admin");
        }
        checks.throwIfAny();
        Tenant tenant =
                tenants.findTenant(tenantId)
                        .orElseThrow(() -> new NotFoundException("tenant", tenantId));
        String hash = PasswordHash.hash(password);
        String userId = "usr_" + randomHex(10);
        try {
            jdbi.useTransaction(
                    handle ->
                            handle.attach(DashboardUserDao.class)
                                    .insert(
                                            tenant.tenantId(),
                                            userId,
                                            normalized,
                                            role.wireName(),
                                            hash,
                                            clock.instant()));
        } catch (UnableToExecuteStatementException e) {
            if (jdbi.onDemand(DashboardUserDao.class).findByEmail(normalized).isPresent()) {
                throw new ConflictException(
                        "email_taken", "A dashboard user with this email already exists");
            }
            throw e;
        }
        DashboardUser created =
                jdbi.onDemand(DashboardUserDao.class).findByEmail(normalized).orElseThrow();
        OperatorLog.action(
                "user.created", tenant.tenantId(), "user " + userId + " role " + role.wireName());
        return created;
    }

    public List<DashboardUser> listUsers(String tenantId) {
        return jdbi.onDemand(DashboardUserDao.class).list(tenantId);
    }

    /**
     * Gives a user another role; their open sessions have its scopes from their next request on.
     * 404 when the tenant has no such user.
     */
    public void setRole(String tenantId, String email, DashboardRole role) {
        if (jdbi.onDemand(DashboardUserDao.class)
                        .setRole(tenantId, normalizeEmail(email), role.wireName())
                == 0) {
            throw new NotFoundException("dashboard user", email);
        }
    }

    /** Disables a user and ends their sessions; 404 when the tenant has no such user. */
    public void disableUser(String tenantId, String email) {
        String normalized = normalizeEmail(email);
        jdbi.useTransaction(
                handle -> {
                    DashboardUser user =
                            handle.attach(DashboardUserDao.class)
                                    .findByEmail(normalized)
                                    .filter(found -> found.tenantId().equals(tenantId))
                                    .orElseThrow(
                                            () -> new NotFoundException("dashboard user", email));
                    handle.attach(DashboardUserDao.class)
                            .disable(tenantId, normalized, clock.instant());
                    handle.attach(DashboardSessionDao.class).deleteForUser(tenantId, user.userId());
                });
    }

    /** Opens a session for a user whose password matches; 401 otherwise, whatever the cause. */
    public OpenedSession signInWithPassword(String email, char[] password) {
        String normalized = normalizeEmail(email);
        if (normalized == null
                || password == null
                || password.length == 0
                || password.length > MAX_PASSWORD_LENGTH) {
            throw new UnauthorizedException(WRONG_PASSWORD);
        }
        DashboardUserDao users = jdbi.onDemand(DashboardUserDao.class);
        Optional<DashboardUser> user = users.findByEmail(normalized);
        if (user.isEmpty()) {
            PasswordHash.verifyDummy(password);
            throw new UnauthorizedException(WRONG_PASSWORD);
        }
        String hash = users.passwordHash(user.get().tenantId(), user.get().userId()).orElseThrow();
        if (!PasswordHash.verify(password, hash) || user.get().disabled()) {
            throw new UnauthorizedException(WRONG_PASSWORD);
        }
        return open(
                user.get().tenantId(),
                DashboardSession.USER,
                user.get().userId(),
                user.get().email());
    }

    /** Opens a session for a live API key with the {@code read} scope. */
    public OpenedSession signInWithApiKey(String apiKey) {
        ApiKeyPrincipal principal =
                tenants.authenticate(apiKey == null ? null : apiKey.strip())
                        .orElseThrow(
                                () ->
                                        new UnauthorizedException(
                                                "The API key is unknown or revoked"));
        if (!principal.has(Scope.READ)) {
            throw new ForbiddenException("This API key lacks the 'read' scope");
        }
        return open(
                principal.tenantId(),
                DashboardSession.API_KEY,
                principal.keyId(),
                "API key " + principal.keyId());
    }

    /** The live session behind a cookie's token, if any. */
    public Optional<DashboardSession> session(String token) {
        if (token == null || token.length() != 64) {
            return Optional.empty();
        }
        return jdbi.onDemand(DashboardSessionDao.class)
                .findLive(PasswordHash.sha256(token), clock.instant());
    }

    /** Ends the session behind a token; ending an unknown one is a no-op. */
    public void signOut(String token) {
        if (token != null) {
            jdbi.onDemand(DashboardSessionDao.class).delete(PasswordHash.sha256(token));
        }
    }

    private OpenedSession open(String tenantId, String kind, String subjectId, String name) {
        String token = randomHex(32);
        Instant now = clock.instant();
        DashboardSessionDao sessions = jdbi.onDemand(DashboardSessionDao.class);
        sessions.deleteExpired(now);
        sessions.insert(
                tenantId,
                "ses_" + randomHex(10),
                PasswordHash.sha256(token),
                randomHex(32),
                kind,
                subjectId,
                name,
                now,
                now.plus(SESSION_LIFETIME));
        return new OpenedSession(
                token, sessions.findLive(PasswordHash.sha256(token), now).orElseThrow());
    }

    private static String normalizeEmail(String email) {
        return email == null || email.isBlank() ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    private static String randomHex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HEX.formatHex(buffer);
    }
}
