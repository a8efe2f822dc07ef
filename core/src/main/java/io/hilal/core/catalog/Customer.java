package io.hilal.core.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * A merchant's customer. A customer first seen in an event exists with only an id until the
 * merchant upserts their details. A null time zone means the tenant's.
 */
public record Customer(
        String id,
        String email,
        String timeZone,
        String locale,
        EmailConsent emailConsent,
        Map<String, Object> attributes,
        Instant createdAt,
        Instant updatedAt) {}
