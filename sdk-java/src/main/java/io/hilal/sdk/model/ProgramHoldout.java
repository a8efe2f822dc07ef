package io.hilal.sdk.model;

import java.time.Instant;

/**
 * The tenant's program holdout ({@code GET} and {@code PUT /v1/program-holdout}): a stable random
 * share of its customers that no campaign or journey emails, so that a shop too small for a
 * campaign's own lift can measure its whole email program ({@link ProgramReport}).
 *
 * @param share the share held out, 0 (off) to 0.2
 * @param on whether the share is above 0
 * @param startedAt when the current measurement started (the share was last changed), or null when
 *     it was never set
 */
public record ProgramHoldout(double share, boolean on, Instant startedAt) {}
