package io.hilal.core.reco;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * A stored model artifact's metadata (the bytes are loaded separately, only when served). Its
 * parameters and offline metrics are JSON documents and appear as such in the API.
 */
public record ModelVersion(
        String kind,
        int version,
        Instant trainedAt,
        Instant windowStart,
        Instant windowEnd,
        @JsonRawValue String params,
        @JsonRawValue String metrics,
        long sizeBytes,
        boolean active) {}
