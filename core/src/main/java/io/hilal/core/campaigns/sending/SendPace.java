package io.hilal.core.campaigns.sending;

import java.time.Duration;

/**
 * How fast one run sends and how far ahead of the relay it may claim: the pace is the lower of the
 * tenant's and the campaign's sends per second (0: as fast as the relay takes them), and a paced
 * run claims at most {@link #CLAIM_AHEAD} of sends at that pace, however large the worker's
 * concurrency. A claimed send is SENDING until the commit after the relay's answer, so what a
 * worker has claimed is what a crash leaves of unknown fate: at 5 a second, a concurrency of 64
 * would claim 64 sends that take 13 seconds to reach the relay, while a kill strands only those
 * claimed ahead of it.
 *
 * @param perSecond sends per second (0: unpaced)
 * @param inFlight the most sends claimed and not yet recorded at any moment
 * @param claimBatch sends claimed per commit (at most {@code inFlight})
 */
public record SendPace(double perSecond, int inFlight, int claimBatch) {
    /** How many seconds of sends at the run's pace a worker claims ahead. */
    public static final Duration CLAIM_AHEAD = Duration.ofSeconds(2);

    public SendPace {
        if (inFlight < 1 || claimBatch < 1 || claimBatch > inFlight) {
            throw new IllegalArgumentException(
                    "in flight and claim batch must be positive, the batch at most in flight");
        }
    }

    /**
     * The pace of a run: {@code campaignPerSecond} (null: none) can only lower the worker's {@code
     * tenantPerSecond} (0: none). Unpaced, the worker's concurrency and claim batch hold; paced,
     * the sends in flight are {@link #CLAIM_AHEAD} of the pace (at least one), and a step claims at
     * most half of them, so the next claim is committed while the rest still go out.
     */
    public static SendPace of(
            int concurrency, int claimBatch, double tenantPerSecond, Double campaignPerSecond) {
        double rate = tenantPerSecond;
        if (campaignPerSecond != null && campaignPerSecond > 0) {
            rate = rate > 0 ? Math.min(rate, campaignPerSecond) : campaignPerSecond;
        }
        if (rate <= 0) {
            return new SendPace(0, concurrency, Math.min(claimBatch, concurrency));
        }
        double ahead = rate * CLAIM_AHEAD.toMillis() / 1000.0;
        int inFlight = (int) Math.max(1, Math.min(concurrency, Math.ceil(ahead)));
        int batch = Math.max(1, Math.min(claimBatch, inFlight / 2));
        return new SendPace(rate, inFlight, batch);
    }
}
