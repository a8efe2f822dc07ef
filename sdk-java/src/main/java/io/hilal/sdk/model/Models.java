package io.hilal.sdk.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The tenant's trained model versions with their offline metrics, and its recent training runs.
 *
 * @param items every stored version, never null
 * @param training recent training runs, newest first, never null
 */
public record Models(List<Version> items, List<TrainingRun> training) {
    /**
     * Reads absent collections as empty ones, so they are never null.
     *
     * @param items every stored version, never null
     * @param training recent training runs, newest first, never null
     */
    public Models {
        items = items == null ? List.of() : items;
        training = training == null ? List.of() : training;
    }

    /**
     * One trained model version.
     *
     * @param kind the model's kind, e.g. {@code als}, never null
     * @param version its version number
     * @param trainedAt when it was trained, never null
     * @param windowStart the start of its training window, or null
     * @param windowEnd the end of its training window, or null
     * @param params its parameters as JSON, or null
     * @param metrics its offline metrics as JSON, or null
     * @param sizeBytes the artifact's size
     * @param active whether it serves now
     */
    public record Version(
            String kind,
            int version,
            Instant trainedAt,
            Instant windowStart,
            Instant windowEnd,
            JsonNode params,
            JsonNode metrics,
            long sizeBytes,
            boolean active) {}

    /**
     * A training run.
     *
     * @param requestId the run's id, never null
     * @param status {@code pending}, {@code running}, {@code done} or {@code failed}, never null
     * @param requestedAt when it was asked for, or null
     * @param startedAt when it started, or null
     * @param finishedAt when it finished, or null
     * @param error why it failed, or null
     */
    public record TrainingRun(
            String requestId,
            String status,
            Instant requestedAt,
            Instant startedAt,
            Instant finishedAt,
            String error) {}
}
