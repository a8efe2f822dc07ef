package io.hilal.service.platform.errors;

import com.fasterxml.jackson.core.JsonFactory;
import io.hilal.core.json.JsonNumbers;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Refuses a JSON body holding a number a double cannot keep ({@code 1e400}, {@code 1e-400}) before
 * Jackson rounds it to Infinity or 0. Bodies are already bounded by {@link BodyLimit}, so reading
 * one into memory first costs no more than the parse itself.
 */
public final class StrictJsonNumbers implements ReaderInterceptor {
    private final JsonFactory factory;

    public StrictJsonNumbers(JsonFactory factory) {
        this.factory = factory;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type != null
                && (MediaType.APPLICATION_JSON_TYPE.isCompatible(type)
                        || type.getSubtype().endsWith("+json"))) {
            byte[] body = context.getInputStream().readAllBytes();
            JsonNumbers.requireRepresentable(factory, body);
            context.setInputStream(new ByteArrayInputStream(body));
        }
        return context.proceed();
    }
}
