package io.hilal.core.campaigns.sending;

import java.util.List;

/**
 * The share of a run's due sends one worker lists first: the sends whose customer id hashes to
 * {@code index} of {@code count} ({@code MOD(CRC32(customer_id), count) = index}). Every live
 * sending worker takes the index of its id among the live workers' ids, sorted, so the workers of a
 * cluster list disjoint shares of one run and their claims do not queue on each other's locks.
 *
 * <p>A share is only where a worker looks first, never what makes a send its own: the claim (a
 * locked compare-and-set, PLANNED or DEFERRED to SENDING) still lets exactly one worker have each
 * send. So two workers that briefly disagree about who is alive (one saw a heartbeat the other did
 * not yet) list overlapping shares and lose nothing but a few empty claims; and a worker whose
 * share has nothing due lists the whole run ({@link #WHOLE}), which finishes the share of a worker
 * that died until its heartbeat times out and the live workers split the run among themselves.
 *
 * @param index this worker's share, from 0
 * @param count how many shares the run is split into (1: the whole run)
 */
public record SendPartition(int index, int count) {
    /** The whole run: no split. */
    public static final SendPartition WHOLE = new SendPartition(0, 1);

    public SendPartition {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException(
                    "a share's index must be in [0, count) and the count positive");
        }
    }

    /**
     * The share of {@code worker} among the {@code live} workers' ids (sorted, as the database
     * returns them); the whole run when it is alone or not among them (its own heartbeat not seen
     * yet).
     */
    public static SendPartition of(List<String> live, String worker) {
        int index = live.indexOf(worker);
        if (index < 0 || live.size() < 2) {
            return WHOLE;
        }
        return new SendPartition(index, live.size());
    }

    /** Whether this is the whole run. */
    public boolean whole() {
        return count == 1;
    }
}
