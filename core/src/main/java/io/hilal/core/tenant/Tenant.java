package io.hilal.core.tenant;

import java.time.Instant;

/** A merchant. Every other row carries its id. */
public record Tenant(String tenantId, String name, String timeZone, Instant createdAt) {}
