package io.hilal.service.platform.auth;

import io.hilal.core.audit.OperatorLog;
import io.hilal.core.error.ForbiddenException;
import io.hilal.core.error.UnauthorizedException;
import io.hilal.core.pods.DbScope;
import io.hilal.core.tenant.ApiKeyPrincipal;
import io.hilal.core.tenant.Scope;
import io.hilal.core.tenant.TenantService;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * Puts the right credential check in front of every resource method: a tenant API key with the
 * scope named by {@link RequiresScope}, or the operator key for {@link OperatorOnly}. The tenant is
 * taken from the key alone, never from the URL or the body.
 */
public final class AuthFeature implements DynamicFeature {
    private final TenantService tenants;
    private final TenantRateLimiter rateLimiter;
    private final AttemptLimiter unknownKeys;
    private final String operatorKey;

    public AuthFeature(
            TenantService tenants,
            TenantRateLimiter rateLimiter,
            AttemptLimiter unknownKeys,
            String operatorKey) {
        this.tenants = tenants;
        this.rateLimiter = rateLimiter;
        this.unknownKeys = unknownKeys;
        this.operatorKey = operatorKey;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        RequiresScope scope = resource.getResourceMethod().getAnnotation(RequiresScope.class);
        if (scope == null) {
            scope = resource.getResourceClass().getAnnotation(RequiresScope.class);
        }
        if (scope != null) {
            context.register(new ApiKeyFilter(scope.value()));
            return;
        }
        if (resource.getResourceMethod().isAnnotationPresent(OperatorOnly.class)
                || resource.getResourceClass().isAnnotationPresent(OperatorOnly.class)) {
            context.register(new OperatorFilter());
        }
    }

    /** The principal of an authenticated tenant request. */
    public static ApiKeyPrincipal principal(SecurityContext security) {
        return (ApiKeyPrincipal) security.getUserPrincipal();
    }

    static Optional<String> bearer(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).strip());
    }

    @Priority(Priorities.AUTHENTICATION)
    private final class ApiKeyFilter implements ContainerRequestFilter {
        private final Scope scope;

        ApiKeyFilter(Scope scope) {
            this.scope = scope;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            String token =
                    bearer(request)
                            .orElseThrow(
                                    () ->
                                            new UnauthorizedException(
                                                    "Send your API key as 'Authorization: Bearer <key>'"));
            // An address that keeps guessing keys is told to wait before we look any more up.
            String address = ClientAddresses.of(request);
            unknownKeys.requireLeft(address);
            ApiKeyPrincipal principal =
                    tenants.authenticate(token)
                            .orElseThrow(
                                    () -> {
                                        unknownKeys.charge(address);
                                        return new UnauthorizedException(
                                                "The API key is unknown or revoked");
                                    });
            if (!principal.has(scope)) {
                throw new ForbiddenException(
                        "This API key lacks the '" + scope.wireName() + "' scope");
            }
            // Every log line of this request names the tenant (RequestIds clears it).
            MDC.put("tenantId", principal.tenantId());
            MDC.put(OperatorLog.ACTOR, "key:" + principal.keyId());
            // Every query of this request goes to the tenant's pod (RequestIds clears it).
            DbScope.enterTenant(principal.tenantId());
            rateLimiter.acquire(principal.tenantId());
            request.setSecurityContext(
                    new KeySecurityContext(principal, request.getSecurityContext()));
        }
    }

    @Priority(Priorities.AUTHENTICATION)
    private final class OperatorFilter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (operatorKey.isEmpty()) {
                throw new UnauthorizedException(
                        "The operator API is disabled: set HILAL_OPERATOR_KEY to enable it");
            }
            String token =
                    bearer(request)
                            .orElseThrow(
                                    () ->
                                            new UnauthorizedException(
                                                    "Send the operator key as 'Authorization: Bearer <key>'"));
            String address = ClientAddresses.of(request);
            unknownKeys.requireLeft(address);
            // Digests first, so the comparison takes the same time whatever the token's length.
            if (!MessageDigest.isEqual(sha256(token), sha256(operatorKey))) {
                unknownKeys.charge(address);
                throw new UnauthorizedException("The operator key is wrong");
            }
            MDC.put(OperatorLog.ACTOR, "operator");
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private record KeySecurityContext(ApiKeyPrincipal principal, SecurityContext original)
            implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public boolean isUserInRole(String role) {
            return Scope.fromWireName(role).map(principal::has).orElse(false);
        }

        @Override
        public boolean isSecure() {
            return original != null && original.isSecure();
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
