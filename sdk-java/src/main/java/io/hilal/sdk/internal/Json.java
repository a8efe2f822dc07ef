package io.hilal.sdk.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * The SDK's JSON settings. Answers may carry fields this version does not know (Hilal adds fields
 * without a new API version), so unknown fields are ignored; absent values are left out of
 * requests. Instants and dates are ISO-8601 text and times of day {@code HH:mm}, handled here so
 * the SDK needs no Jackson module beyond databind.
 */
public final class Json {
    private Json() {}

    /** The mapper the client uses. */
    public static ObjectMapper newMapper() {
        SimpleModule time = new SimpleModule("hilal-instant");
        time.addSerializer(Instant.class, new InstantSerializer());
        time.addDeserializer(Instant.class, new InstantDeserializer());
        time.addSerializer(LocalDate.class, ToStringSerializer.instance);
        time.addDeserializer(
                LocalDate.class, new TextDeserializer<>(LocalDate.class, LocalDate::parse));
        // Hilal takes times of day as HH:mm.
        time.addSerializer(LocalTime.class, new LocalTimeSerializer());
        time.addDeserializer(
                LocalTime.class, new TextDeserializer<>(LocalTime.class, LocalTime::parse));
        return JsonMapper.builder()
                .addModule(time)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .defaultPropertyInclusion(
                        JsonInclude.Value.construct(
                                JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
                .build();
    }

    private static final class InstantSerializer extends StdScalarSerializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeString(value.toString());
        }
    }

    private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context)
                throws IOException {
            String text = parser.getValueAsString();
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return Instant.parse(text.strip());
            } catch (DateTimeParseException e) {
                return (Instant)
                        context.handleWeirdStringValue(Instant.class, text, e.getMessage());
            }
        }
    }

    private static final class LocalTimeSerializer extends StdScalarSerializer<LocalTime> {
        private static final long serialVersionUID = 1L;
        private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

        LocalTimeSerializer() {
            super(LocalTime.class);
        }

        @Override
        public void serialize(LocalTime value, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeString(HH_MM.format(value));
        }
    }

    /** Reads a value from its ISO text; an empty string is null. */
    private static final class TextDeserializer<T> extends StdScalarDeserializer<T> {
        private static final long serialVersionUID = 1L;
        private final transient Function<String, T> parse;

        TextDeserializer(Class<T> type, Function<String, T> parse) {
            super(type);
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return parse.apply(text.strip());
            } catch (DateTimeParseException e) {
                @SuppressWarnings("unchecked")
                T weird = (T) context.handleWeirdStringValue(handledType(), text, e.getMessage());
                return weird;
            }
        }
    }
}
