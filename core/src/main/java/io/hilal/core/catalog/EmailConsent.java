package io.hilal.core.catalog;

import java.time.Instant;

/** Whether a customer agreed to marketing email, where that was recorded and when. */
public record EmailConsent(String status, String source, Instant timestamp) {
    public static final String GRANTED = "granted";
    public static final String DENIED = "denied";

    public boolean granted() {
        return GRANTED.equals(status);
    }
}
