package io.hilal.core.db;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connection properties every Hilal JDBC URL carries unless the operator set them already. Several
 * statements per round trip ({@code allowMultiQueries}) are Hilal's to switch on, for the campaign
 * sender's own connections only ({@link #forSender}): on the API's connections they would turn any
 * future SQL injection into stacked statements.
 */
public final class JdbcUrls {
    private static final String MULTI_QUERIES = "allowMultiQueries";
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        // Batched inserts become multi-row INSERTs: the difference between 2k and 40k rows/s.
        DEFAULTS.put("rewriteBatchedStatements", "true");
        // The driver parses each prepared statement's SQL once per connection, not per use; our
        // statements are long, so the size limit is raised past the default 256 characters.
        DEFAULTS.put("cachePrepStmts", "true");
        DEFAULTS.put("prepStmtCacheSize", "250");
        DEFAULTS.put("prepStmtCacheSqlLimit", "4096");
        // Auto-commit and isolation as the driver last set them, instead of asking the server or
        // setting them again: a transaction costs two round trips fewer.
        DEFAULTS.put("useLocalSessionState", "true");
        // Every timestamp is UTC (ARCHITECTURE.md); the session must agree whatever the server
        // says.
        DEFAULTS.put("connectionTimeZone", "UTC");
        DEFAULTS.put("forceConnectionTimeZoneToSession", "true");
        DEFAULTS.put("characterEncoding", "UTF-8");
        DEFAULTS.put("useUnicode", "true");
        DEFAULTS.put("allowPublicKeyRetrieval", "true");
        DEFAULTS.put("connectTimeout", "5000");
        DEFAULTS.put("socketTimeout", "60000");
    }

    private JdbcUrls() {}

    /**
     * {@code url} with every default property it does not set, for the API's and every other
     * connection but the campaign sender's; refuses a URL that sets {@code allowMultiQueries}.
     */
    public static String withDefaults(String url) {
        StringBuilder result = new StringBuilder(url);
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        int multiQueries = lower.indexOf(MULTI_QUERIES.toLowerCase(java.util.Locale.ROOT) + "=");
        if (multiQueries >= 0) {
            throw multiQueriesSet("the database URL", url.substring(multiQueries));
        }
        char separator = url.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> property : DEFAULTS.entrySet()) {
            if (!lower.contains(property.getKey().toLowerCase(java.util.Locale.ROOT) + "=")) {
                result.append(separator)
                        .append(property.getKey())
                        .append('=')
                        .append(property.getValue());
                separator = '&';
            }
        }
        return result.toString();
    }

    /**
     * {@link #withDefaults} plus several statements per round trip, separated by semicolons: for
     * the campaign sender's connections, whose steps send theirs in two round trips (SendStepDao).
     * Every statement they run binds its values.
     */
    public static String forSender(String url) {
        String withDefaults = withDefaults(url);
        return withDefaults + (withDefaults.contains("?") ? '&' : '?') + MULTI_QUERIES + "=true";
    }

    /** Refuses driver properties that set {@code allowMultiQueries}; see the URL's. */
    public static void checkProperties(Map<String, String> properties) {
        for (Map.Entry<String, String> property : properties.entrySet()) {
            if (MULTI_QUERIES.equalsIgnoreCase(property.getKey())) {
                throw multiQueriesSet(
                        "database.properties", property.getKey() + "=" + property.getValue());
            }
        }
    }

    private static IllegalArgumentException multiQueriesSet(String where, String setting) {
        return new IllegalArgumentException(
                where
                        + " sets "
                        + setting
                        + ": leave allowMultiQueries out. Hilal turns it on for the campaign"
                        + " sender's own connections only (it sends several statements in one round"
                        + " trip), and off everywhere else, where it would let an injected"
                        + " statement run after another");
    }
}
