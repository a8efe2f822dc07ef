package io.hilal.core.error;

import java.util.List;

/**
 * The request cannot be read: malformed JSON, an unknown or wrongly typed field, a bad parameter.
 */
public final class BadRequestException extends HilalException {
    private static final long serialVersionUID = 1L;

    public BadRequestException(String code, String detail) {
        super(400, code, "Bad request", detail);
    }

    public BadRequestException(String code, String detail, List<FieldError> errors) {
        super(400, code, "Bad request", detail, false, errors, null);
    }
}
