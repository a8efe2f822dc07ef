package io.hilal.core.api;

import io.hilal.core.error.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Opaque pagination cursors: the sort key of the last item, base64url-encoded. Clients pass them
 * back untouched; a cursor that does not decode is a bad request, not a server error.
 */
public final class Cursors {
    private static final char SEPARATOR = '\n';

    private Cursors() {}

    public static String encode(String... parts) {
        String joined = String.join(String.valueOf(SEPARATOR), parts);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    public static List<String> decode(String cursor, int expectedParts) {
        try {
            String joined =
                    new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            List<String> parts = List.of(joined.split(String.valueOf(SEPARATOR), -1));
            if (parts.size() != expectedParts) {
                throw new IllegalArgumentException("wrong number of parts");
            }
            return parts;
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    public static BadRequestException invalid() {
        return new BadRequestException("invalid_cursor", "The cursor is not one this API issued");
    }

    /** Checks a page size: 1 to {@code max}, {@code fallback} when absent. */
    public static int limit(String text, int fallback, int max) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        int requested;
        try {
            requested = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequestException(
                    "invalid_parameter", "limit must be a whole number, was '" + text + "'");
        }
        if (requested < 1 || requested > max) {
            throw new BadRequestException(
                    "invalid_parameter",
                    "limit must be between 1 and " + max + ", was " + requested);
        }
        return requested;
    }
}
