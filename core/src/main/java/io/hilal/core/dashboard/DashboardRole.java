package io.hilal.core.dashboard;

import io.hilal.core.tenant.Scope;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a dashboard user may do, as the API-key scopes the role grants: a viewer reads, a marketer
 * also runs campaigns (launch, pause, author), an admin may do everything a server-side key can. A
 * session of a user has their role's scopes; a session opened with an API key has that key's.
 */
public enum DashboardRole {
    VIEWER(EnumSet.of(Scope.READ)),
    MARKETER(EnumSet.of(Scope.READ, Scope.CAMPAIGNS)),
    ADMIN(Scope.all());

    private final Set<Scope> scopes;

    DashboardRole(Set<Scope> scopes) {
        this.scopes = scopes;
    }

    public Set<Scope> scopes() {
        return EnumSet.copyOf(scopes);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DashboardRole> fromWireName(String name) {
        for (DashboardRole role : values()) {
            if (role.wireName().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
