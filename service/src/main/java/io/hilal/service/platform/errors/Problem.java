package io.hilal.service.platform.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hilal.core.error.FieldError;
import java.util.List;

/**
 * An RFC 9457 problem body, with Hilal's extensions: a stable {@code code}, the {@code requestId}
 * to quote to support, whether a {@code retryable} retry can succeed, and per-field {@code errors}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String code,
        String requestId,
        boolean retryable,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(
            int status,
            String code,
            String title,
            String detail,
            boolean retryable,
            List<FieldError> errors,
            String instance,
            String requestId) {
        return new Problem(
                "/problems/" + code,
                title,
                status,
                detail,
                instance,
                code,
                requestId,
                retryable,
                errors == null || errors.isEmpty() ? null : errors);
    }
}
