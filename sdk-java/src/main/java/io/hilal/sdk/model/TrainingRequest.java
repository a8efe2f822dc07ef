package io.hilal.sdk.model;

/**
 * A queued training run; the campaign worker picks it up within seconds, and {@code
 * models().list()} shows how it went.
 *
 * @param requestId the run's id, never null
 * @param status {@code pending}, never null
 */
public record TrainingRequest(String requestId, String status) {}
