package io.hilal.sdk.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A campaign's send ledger in counts: how many sends are in each state ({@code PLANNED}, {@code
 * SENDING}, {@code SENT}, {@code SUPPRESSED}, {@code HELD_OUT}, {@code DEFERRED}, {@code EXPIRED},
 * {@code FAILED}, {@code UNKNOWN_INFLIGHT}), overall and per run.
 *
 * @param counts sends by state, states with none left out
 * @param runs the campaign's runs, first first
 */
public record Ledger(Map<String, Long> counts, List<Run> runs) {
    /**
     * Reads absent collections as empty ones, so they are never null.
     *
     * @param counts sends by state, states with none left out
     * @param runs the campaign's runs, first first
     */
    public Ledger {
        counts = counts == null ? Map.of() : counts;
        runs = runs == null ? List.of() : runs;
    }

    /**
     * One run of a campaign: the sends planned at one launch.
     *
     * @param runId e.g. {@code run_1}
     * @param status {@code active}, {@code completed} or {@code cancelled}
     * @param audienceSize customers planned, holdout included
     * @param holdoutSize customers held out
     * @param plannedAt when the run was planned
     * @param firstSendAt the first planned send, or null
     * @param lastValidAt when the last send stops being valid, or null
     * @param finishedAt when the run finished, or null
     * @param counts sends by state
     */
    public record Run(
            String runId,
            String status,
            int audienceSize,
            int holdoutSize,
            Instant plannedAt,
            Instant firstSendAt,
            Instant lastValidAt,
            Instant finishedAt,
            Map<String, Long> counts) {}
}
