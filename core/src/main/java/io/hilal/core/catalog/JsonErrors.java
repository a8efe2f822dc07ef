package io.hilal.core.catalog;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hilal.core.error.Checks;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Turns Jackson binding failures into client-facing reasons, without Java class names. */
public final class JsonErrors {
    private JsonErrors() {}

    public static String describe(Exception e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + path(unknown) + "'";
        }
        if (e instanceof InvalidFormatException invalid) {
            return "field '" + path(invalid) + "' has an invalid value";
        }
        if (e instanceof MismatchedInputException mismatched) {
            String path = path(mismatched);
            return path.isEmpty()
                    ? "item has the wrong shape"
                    : "field '" + path + "' has the wrong type";
        }
        return "item could not be read";
    }

    /**
     * The dotted path of a key that appears twice in one object, when {@code e} is the parser's
     * complaint about it (see {@code STRICT_DUPLICATE_DETECTION} in HilalJson).
     */
    public static java.util.Optional<String> duplicateKey(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException parse
                    && String.valueOf(parse.getOriginalMessage()).startsWith("Duplicate field")) {
                JsonParser parser = parse.getProcessor();
                return java.util.Optional.of(
                        parser == null ? "" : dotted(parser.getParsingContext().pathAsPointer()));
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code /events/0/type} as {@code events[0].type}. */
    public static String dotted(JsonPointer pointer) {
        StringBuilder path = new StringBuilder();
        for (JsonPointer at = pointer; at != null && !at.matches(); at = at.tail()) {
            if (at.mayMatchElement()
                    && at.getMatchingProperty().equals(String.valueOf(at.getMatchingIndex()))) {
                path.append('[').append(at.getMatchingIndex()).append(']');
            } else {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(at.getMatchingProperty());
            }
        }
        return path.toString();
    }

    /** The dotted path of the field a mapping error is about, e.g. {@code lines[0].quantity}. */
    public static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    static String attributesJson(
            ObjectMapper mapper,
            Map<String, Object> attributes,
            Checks checks,
            String field,
            int maxBytes) {
        if (attributes == null) {
            return null;
        }
        try {
            String json = mapper.writeValueAsString(attributes);
            if (json.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
                checks.fail(field, "must be at most " + maxBytes + " bytes as JSON");
            }
            return json;
        } catch (JsonProcessingException e) {
            checks.fail(field, "cannot be stored as JSON");
            return null;
        }
    }
}
