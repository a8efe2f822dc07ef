package io.hilal.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.hilal.core.catalog.JsonErrors;
import io.hilal.core.error.BadRequestException;
import io.hilal.core.error.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds numbers that a double cannot hold: {@code 1e400} would become Infinity and {@code 1e-400}
 * would become 0 in stored attributes and properties, silently. Such a body is refused instead,
 * naming each field. A body that is not valid JSON is left for the real parse to report.
 */
public final class JsonNumbers {
    private JsonNumbers() {}

    /** Throws a 400 naming every number in {@code body} that would not survive as a double. */
    public static void requireRepresentable(JsonFactory factory, byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        try (JsonParser parser = factory.createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                    problem(parser.getText())
                            .ifPresent(
                                    message ->
                                            errors.add(
                                                    new FieldError(
                                                            JsonErrors.dotted(
                                                                    parser.getParsingContext()
                                                                            .pathAsPointer()),
                                                            message)));
                }
            }
        } catch (IOException e) {
            return; // malformed: the real parse says so, with its own message
        }
        if (!errors.isEmpty()) {
            throw new BadRequestException(
                    "number_out_of_range",
                    "A number is too large or too small to be stored exactly as given",
                    errors);
        }
    }

    /** Why the literal {@code text} cannot be kept as a double, if it cannot. */
    static Optional<String> problem(String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Optional.of("is not a number");
        }
        if (Double.isInfinite(value)) {
            return Optional.of("is too large (it would become Infinity)");
        }
        if (value == 0.0 && hasNonZeroDigit(text)) {
            return Optional.of("is too small (it would become 0)");
        }
        return Optional.empty();
    }

    private static boolean hasNonZeroDigit(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }
}
