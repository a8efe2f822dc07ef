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
                errors.size() == 1
                        ? errors.get(0).field() + ": " + errors.get(0).message()
                        : errors.size() + " fields are invalid",
                false,
                errors,
                null);
    }

    public ValidationException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }
}
