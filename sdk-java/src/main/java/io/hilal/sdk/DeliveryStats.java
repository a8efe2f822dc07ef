package io.hilal.sdk;

/**
 * What became of the events a client tracked so far (in this process), for metrics and alerts:
 * every event ends {@code accepted}, {@code duplicate}, {@code rejected} or {@code failed} (the
 * same final outcomes the {@link Callback} gets), and may pass through the spool first. None of the
 * fields is ever null.
 *
 * @param accepted events stored for the first time
 * @param duplicates events Hilal had stored before (a resend)
 * @param rejected events refused by Hilal's validation: not stored
 * @param failed events not delivered (retries exhausted without a spool, spool full or unwritable,
 *     or the client closed first without a spool): not stored
 * @param spooled events written to the on-disk spool (each also ends in one of the above, possibly
 *     in a later process)
 * @param spoolBatches batches waiting in the spool now, 0 without a spool
 */
public record DeliveryStats(
        long accepted,
        long duplicates,
        long rejected,
        long failed,
        long spooled,
        int spoolBatches) {

    /**
     * Events Hilal will never store: {@link #rejected()} plus {@link #failed()}. Watch this one.
     *
     * @return the count
     */
    public long dropped() {
        return rejected + failed;
    }
}
