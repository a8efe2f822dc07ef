package io.hilal.sdk.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a customer agreed to marketing email, where the answer was given and when. Hilal never
 * emails a customer whose consent is missing or {@code denied}, so send what your checkout or
 * preference centre recorded.
 *
 * @param status {@code granted} or {@code denied}
 * @param source where it was recorded, e.g. {@code checkout} (at most 100 characters), or null
 * @param timestamp in a request, when it was recorded (kept as your claim); in an answer, when
 *     Hilal received the consent, which is the time that counts
 * @param clientTimestamp in an answer, the time your request gave, or null if it gave none
 */
public record EmailConsent(
        String status, String source, Instant timestamp, Instant clientTimestamp) {
    /** The status of a customer who agreed. */
    public static final String GRANTED = "granted";

    /** The status of a customer who refused or withdrew. */
    public static final String DENIED = "denied";

    /**
     * A consent as a request states it: status, where and when it was recorded.
     *
     * @param status {@code granted} or {@code denied}
     * @param source where it was recorded, or null
     * @param timestamp when it was recorded, or null for now
     */
    public EmailConsent(String status, String source, Instant timestamp) {
        this(status, source, timestamp, null);
    }

    /**
     * Consent given now, recorded at {@code source}.
     *
     * @param source where it was recorded
     * @return the consent
     */
    public static EmailConsent granted(String source) {
        return new EmailConsent(GRANTED, Objects.requireNonNull(source, "source"), null);
    }

    /**
     * Consent refused or withdrawn now, recorded at {@code source}.
     *
     * @param source where it was recorded
     * @return the consent
     */
    public static EmailConsent denied(String source) {
        return new EmailConsent(DENIED, Objects.requireNonNull(source, "source"), null);
    }

    /**
     * The same consent recorded at {@code at}, e.g. when importing history.
     *
     * @param at when the customer answered
     * @return a copy with that timestamp
     */
    public EmailConsent at(Instant at) {
        return new EmailConsent(status, source, at);
    }

    /**
     * Whether the customer agreed to marketing email.
     *
     * @return true for {@code granted}
     */
    public boolean granted() {
        return GRANTED.equals(status);
    }
}
