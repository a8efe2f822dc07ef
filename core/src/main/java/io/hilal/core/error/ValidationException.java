package io.hilal.core.error;

import java.util.List;

/** The request is well-formed but its values break a rule; {@link #errors()} says which. */
public final class ValidationException extends HilalException {
    private static final long serialVersionUID = 1L;

    public ValidationException(List<FieldError> errors) {
        super(
                422,
                "validation_failed",
                "Validation failed",
                errors.size() == 1 ? detail(errors.get(0)) : errors.size() + " fields are invalid",
                false,
                errors,
                null);
    }

    public ValidationException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    /** "field: message", or the message alone for the body as a whole (field ""), capitalized. */
    private static String detail(FieldError error) {
        if (error.field() == null || error.field().isEmpty()) {
            String message = error.message();
            return message.isEmpty()
                    ? message
                    : Character.toUpperCase(message.charAt(0)) + message.substring(1);
        }
        return error.field() + ": " + error.message();
    }
}
