package io.hilal.core.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Whether a customer agreed to marketing email, where that was recorded and when. In an answer,
 * {@code timestamp} is when Hilal received it and {@code clientTimestamp} the time the client gave,
 * if it gave one. In a request, a client's {@code timestamp} (or {@code clientTimestamp}) is stored
 * apart as the client's claim, never as the consent's time: a client cannot date its own consent.
 */
public record EmailConsent(
        String status,
        String source,
        Instant timestamp,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant clientTimestamp) {
    public static final String GRANTED = "granted";
    public static final String DENIED = "denied";

    public EmailConsent(String status, String source, Instant timestamp) {
        this(status, source, timestamp, null);
    }

    /** The time a client gave for this consent, if any. */
    public Instant claimedAt() {
        return clientTimestamp != null ? clientTimestamp : timestamp;
    }

    public boolean granted() {
        return GRANTED.equals(status);
    }
}
