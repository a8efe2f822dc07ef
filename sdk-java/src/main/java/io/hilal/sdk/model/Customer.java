package io.hilal.sdk.model;

import java.time.Instant;
import java.util.Map;

/**
 * A customer as Hilal stores it. A customer first seen in an event exists with only an id until you
 * upsert their details; a null time zone means the tenant's.
 *
 * @param id your id for the customer
 * @param email their email address, or null
 * @param timeZone an IANA time zone such as {@code Asia/Riyadh}, or null for the tenant's
 * @param locale a BCP 47 language tag such as {@code ar-SA}, or null
 * @param emailConsent their marketing email consent, or null when unknown
 * @param attributes your own fields, empty when none
 * @param createdAt when Hilal first heard of them
 * @param updatedAt when their details last changed
 */
public record Customer(
        String id,
        String email,
        String timeZone,
        String locale,
        EmailConsent emailConsent,
        Map<String, Object> attributes,
        Instant createdAt,
        Instant updatedAt) {
    /**
     * Reads absent collections as empty ones, so they are never null.
     *
     * @param id your id for the customer
     * @param email their email address, or null
     * @param timeZone an IANA time zone such as {@code Asia/Riyadh}, or null for the tenant's
     * @param locale a BCP 47 language tag such as {@code ar-SA}, or null
     * @param emailConsent their marketing email consent, or null when unknown
     * @param attributes your own fields, empty when none
     * @param createdAt when Hilal first heard of them
     * @param updatedAt when their details last changed
     */
    public Customer {
        attributes = attributes == null ? Map.of() : attributes;
    }
}
