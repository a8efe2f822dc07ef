package io.hilal.core.journeys;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An active journey takes in customers and sends; a paused one does neither until resumed. */
public enum JourneyStatus {
    ACTIVE,
    PAUSED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JourneyStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
