package io.hilal.core.tenant;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an API key may do. A key holds one or more scopes; operations name the one they need. {@code
 * CLIENT} is for a key that may be published in a browser or an app (Segment's browser libraries
 * send their write key with every call): it sends Segment events and identifies, but cannot change
 * a customer's email or consent, which needs {@code INGEST}, a server-side key.
 */
public enum Scope {
    INGEST,
    READ,
    CAMPAIGNS,
    ADMIN,
    CLIENT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> fromWireName(String name) {
        for (Scope scope : values()) {
            if (scope.wireName().equals(name)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /**
     * Every power a key can have; {@code CLIENT} adds none to {@code INGEST}, so it is left out.
     */
    public static Set<Scope> all() {
        return EnumSet.of(INGEST, READ, CAMPAIGNS, ADMIN);
    }

    /** The stored form: wire names in declaration order, comma-separated. */
    public static String encode(Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::wireName).collect(Collectors.joining(","));
    }

    public static Set<Scope> decode(String encoded) {
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String part : encoded.split(",")) {
            fromWireName(part.trim()).ifPresent(scopes::add);
        }
        return scopes;
    }
}
