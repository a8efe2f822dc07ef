package io.hilal.core.tenant;

import io.hilal.core.audit.OperatorLog;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.error.ValidationException;
import io.hilal.core.pods.TenantPlacer;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** Tenants and their API keys: creation, listing, revocation and authentication. */
public final class TenantService {
    private static final int MAX_NAME_LENGTH = 200;

    private final Jdbi jdbi;
    private final Clock clock;
    private final TenantPlacer placer;

    /** On a single database: every new tenant is placed in the home pod. */
    public TenantService(Jdbi jdbi, Clock clock) {
        this(jdbi, clock, null);
    }

    /**
     * {@code jdbi} is the home database's (tenants and keys live there); {@code placer} gives each
     * new tenant its pod.
     */
    public TenantService(Jdbi jdbi, Clock clock, TenantPlacer placer) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.placer = placer;
    }

    /** A new key: the stored view plus its full text, which is shown this once and never again. */
    public record CreatedKey(ApiKey key, String apiKey) {}

    public record CreatedTenant(Tenant tenant, CreatedKey key) {}

    /** Creates a tenant and a first key holding every scope, in one transaction. */
    public CreatedTenant createTenant(String name, String timeZone) {
        String cleanName = requireName(name, "name");
        String zone = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone;
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new ValidationException("timeZone", "unknown time zone '" + zone + "'");
        }
        CreatedTenant created =
                jdbi.inTransaction(
                        handle -> {
                            String tenantId = "ten_" + ApiKeyToken.randomHex(10);
                            handle.attach(TenantDao.class)
                                    .insert(tenantId, cleanName, zone, clock.instant());
                            CreatedKey key =
                                    insertKey(
                                            handle.attach(ApiKeyDao.class),
                                            tenantId,
                                            Scope.all(),
                                            "default");
                            Tenant tenant =
                                    handle.attach(TenantDao.class).find(tenantId).orElseThrow();
                            if (placer == null) {
                                TenantPlacer.placeAtHome(handle, tenantId, clock);
                            } else {
                                placer.place(handle, tenant);
                            }
                            return new CreatedTenant(tenant, key);
                        });
        OperatorLog.action(
                "tenant.created",
                created.tenant().tenantId(),
                "tenant "
                        + created.tenant().tenantId()
                        + " first key "
                        + created.key().key().keyId());
        return created;
    }

    public List<Tenant> listTenants() {
        return jdbi.onDemand(TenantDao.class).list();
    }

    public Optional<Tenant> findTenant(String tenantId) {
        return jdbi.onDemand(TenantDao.class).find(tenantId);
    }

    public Optional<Tenant> findTenantByName(String name) {
        return jdbi.onDemand(TenantDao.class).findByName(name);
    }

    public CreatedKey createKey(String tenantId, Set<Scope> scopes, String name) {
        if (scopes.isEmpty()) {
            throw new ValidationException("scopes", "a key needs at least one scope");
        }
        String keyName = name == null || name.isBlank() ? "unnamed" : requireName(name, "name");
        CreatedKey created =
                jdbi.inTransaction(
                        handle -> {
                            requireTenant(handle.attach(TenantDao.class), tenantId);
                            return insertKey(
                                    handle.attach(ApiKeyDao.class), tenantId, scopes, keyName);
                        });
        OperatorLog.action(
                "key.created",
                tenantId,
                "key " + created.key().keyId() + " scopes " + Scope.encode(created.key().scopes()));
        return created;
    }

    public List<ApiKey> listKeys(String tenantId) {
        return jdbi.withHandle(
                handle -> {
                    requireTenant(handle.attach(TenantDao.class), tenantId);
                    return handle.attach(ApiKeyDao.class).list(tenantId).stream()
                            .map(ApiKeyDao.StoredKey::key)
                            .toList();
                });
    }

    /** Revokes a key of this tenant; revoking a revoked key is a no-op, another tenant's is 404. */
    public ApiKey revokeKey(String tenantId, String keyId) {
        ApiKey revoked =
                jdbi.inTransaction(
                        handle -> {
                            ApiKeyDao keys = handle.attach(ApiKeyDao.class);
                            if (keys.count(tenantId, keyId) == 0) {
                                throw new NotFoundException("api key", keyId);
                            }
                            keys.revoke(tenantId, keyId, clock.instant());
                            return keys.list(tenantId).stream()
                                    .map(ApiKeyDao.StoredKey::key)
                                    .filter(key -> key.keyId().equals(keyId))
                                    .findFirst()
                                    .orElseThrow();
                        });
        OperatorLog.action("key.revoked", tenantId, "key " + keyId);
        return revoked;
    }

    /** The caller behind a bearer token, if the token is a live key; empty otherwise. */
    public Optional<ApiKeyPrincipal> authenticate(String token) {
        Optional<ApiKeyToken> parsed = ApiKeyToken.parse(token);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        return jdbi.withHandle(
                        handle ->
                                handle.createQuery(ApiKeyDao.FIND_FOR_AUTHENTICATION)
                                        .bind("keyId", parsed.get().keyId())
                                        .map(new ApiKeyDao.ApiKeyMapper())
                                        .findOne())
                .filter(stored -> parsed.get().matches(stored.secretHash()))
                .filter(stored -> !stored.key().revoked())
                .map(
                        stored ->
                                new ApiKeyPrincipal(
                                        stored.key().tenantId(),
                                        stored.key().keyId(),
                                        stored.key().scopes()));
    }

    private CreatedKey insertKey(ApiKeyDao keys, String tenantId, Set<Scope> scopes, String name) {
        ApiKeyToken token = ApiKeyToken.generate();
        keys.insert(
                tenantId,
                token.keyId(),
                token.secretHash(),
                Scope.encode(scopes),
                name,
                clock.instant());
        ApiKey stored =
                keys.list(tenantId).stream()
                        .map(ApiKeyDao.StoredKey::key)
                        .filter(key -> key.keyId().equals(token.keyId()))
                        .findFirst()
                        .orElseThrow();
        return new CreatedKey(stored, token.text());
    }

    private static void requireTenant(TenantDao tenants, String tenantId) {
        if (tenants.find(tenantId).isEmpty()) {
            throw new NotFoundException("tenant", tenantId);
        }
    }

    private static String requireName(String name, String field) {
        if (name == null || name.isBlank()) {
            throw new ValidationException(field, "must not be blank");
        }
        String trimmed = name.strip();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw new ValidationException(
                    field, "must be at most " + MAX_NAME_LENGTH + " characters");
        }
        return trimmed;
    }
}
