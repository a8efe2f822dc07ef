package io.hilal.core.campaigns.sending;

/** Where one recipient's send stands in the ledger. */
public enum SendState {
    PLANNED,
    SENDING,
    SENT,
    SUPPRESSED,
    HELD_OUT,
    DEFERRED,
    EXPIRED,
    FAILED,
    UNKNOWN_INFLIGHT;

    public boolean terminal() {
        return this != PLANNED && this != SENDING && this != DEFERRED;
    }
}
