package io.hilal.core.db;

import java.util.LinkedHashMap;
import java.util.Map;

/** Connection properties every Hilal JDBC URL carries unless the operator set them already. */
public final class JdbcUrls {
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
        // Several statements in one round trip, separated by semicolons: the campaign sender's
        // steps send theirs in two (SendStepDao). Every statement Hilal runs binds its values.
        DEFAULTS.put("allowMultiQueries", "true");
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
     * {@code url} with every default property it does not set; refuses one that turns off what
     * Hilal cannot run without (several statements per round trip).
     */
    public static String withDefaults(String url) {
        StringBuilder result = new StringBuilder(url);
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("allowmultiqueries=false")) {
            throw multiQueriesOff("the database URL");
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

    /** Refuses driver properties that turn off what Hilal cannot run without; see the URL's. */
    public static void checkProperties(Map<String, String> properties) {
        for (Map.Entry<String, String> property : properties.entrySet()) {
            if ("allowMultiQueries".equalsIgnoreCase(property.getKey())
                    && "false".equalsIgnoreCase(property.getValue().trim())) {
                throw multiQueriesOff("database.properties");
            }
        }
    }

    private static IllegalArgumentException multiQueriesOff(String where) {
        return new IllegalArgumentException(
                where
                        + " sets allowMultiQueries=false, but the campaign sender sends several"
                        + " statements in one round trip: leave it out (Hilal sets it to true)");
    }
}
