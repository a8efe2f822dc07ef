package io.hilal.core.models;

import java.time.Instant;

/** A stored model artifact's metadata (the bytes are loaded separately, only when served). */
public record ModelVersion(
        String kind,
        int version,
        Instant trainedAt,
        Instant windowStart,
        Instant windowEnd,
        String params,
        String metrics,
        long sizeBytes,
        boolean active) {}
