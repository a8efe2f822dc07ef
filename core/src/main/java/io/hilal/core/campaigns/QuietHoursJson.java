package io.hilal.core.campaigns;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * Quiet hours on the wire: {@code {"start": "21:00", "end": "08:00"}}, or {@code "off"} (also
 * written for {@link CampaignRequest.QuietHours#OFF}), or {@code null}, which turns them off too;
 * an omitted value stays null, for the default to fill in.
 */
final class QuietHoursJson {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final String OFF = "off";

    private QuietHoursJson() {}

    static final class Writer extends JsonSerializer<CampaignRequest.QuietHours> {
        @Override
        public void serialize(
                CampaignRequest.QuietHours quiet, JsonGenerator json, SerializerProvider provider)
                throws IOException {
            if (quiet.off()) {
                json.writeString(OFF);
                return;
            }
            json.writeStartObject();
            json.writeStringField(
                    "start", quiet.start() == null ? null : HH_MM.format(quiet.start()));
            json.writeStringField("end", quiet.end() == null ? null : HH_MM.format(quiet.end()));
            json.writeEndObject();
        }
    }

    static final class Reader extends JsonDeserializer<CampaignRequest.QuietHours> {
        private static final Set<String> FIELDS = Set.of("start", "end");

        @Override
        public CampaignRequest.QuietHours deserialize(
                JsonParser json, DeserializationContext context) throws IOException {
            if (json.currentToken() == JsonToken.VALUE_STRING) {
                if (OFF.equals(json.getText())) {
                    return CampaignRequest.QuietHours.OFF;
                }
                return context.reportInputMismatch(
                        CampaignRequest.QuietHours.class,
                        "quietHours must be {\"start\": \"HH:mm\", \"end\": \"HH:mm\"}, \"off\" or"
                                + " null");
            }
            JsonNode node = context.readTree(json);
            if (!node.isObject()) {
                return context.reportInputMismatch(
                        CampaignRequest.QuietHours.class,
                        "quietHours must be {\"start\": \"HH:mm\", \"end\": \"HH:mm\"}, \"off\" or"
                                + " null");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    return context.reportInputMismatch(
                            CampaignRequest.QuietHours.class,
                            "quietHours has no field '" + name + "' (start, end)");
                }
            }
            return new CampaignRequest.QuietHours(
                    time(context, node.get("start")), time(context, node.get("end")));
        }

        private static LocalTime time(DeserializationContext context, JsonNode value)
                throws IOException {
            if (value == null || value.isNull()) {
                return null;
            }
            try {
                return LocalTime.parse(value.asText(), HH_MM);
            } catch (DateTimeParseException e) {
                return context.reportInputMismatch(
                        CampaignRequest.QuietHours.class,
                        "quietHours times are HH:mm, not '" + value.asText() + "'");
            }
        }

        /** An explicit null turns quiet hours off. */
        @Override
        public CampaignRequest.QuietHours getNullValue(DeserializationContext context) {
            return CampaignRequest.QuietHours.OFF;
        }

        /** An omitted value stays null: the default fills it. */
        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
        }
    }
}
