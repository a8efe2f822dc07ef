package io.hilal.core.pods;

/**
 * Where a tenant's data is: its pod, and whether it is {@code FROZEN} (being switched to another
 * pod: its data can be read but not written) or {@code ACTIVE}. {@code COPYING} names a move under
 * way whose tenant still writes to its pod as usual.
 */
public record Placement(String tenantId, String podId, State state, String targetPodId) {
    public enum State {
        ACTIVE,
        COPYING,
        FROZEN
    }

    public boolean frozen() {
        return state == State.FROZEN;
    }
}
