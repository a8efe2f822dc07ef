package io.hilal.logging;

/**
 * How log lines are written: {@code text} (one readable line, the default) or {@code json} (one
 * JSON object per line, Dropwizard's JSON layout, for a log shipper). Chosen with {@code
 * HILAL_LOG_FORMAT} in the shipped YAMLs.
 */
public enum LogFormat {
    TEXT,
    JSON;

    /** {@code text} or {@code json}, in any case. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static LogFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return TEXT;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default ->
                    throw new IllegalArgumentException(
                            "log format must be text or json, not '" + value + "'");
        };
    }
}
