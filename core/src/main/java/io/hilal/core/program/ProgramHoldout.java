package io.hilal.core.program;

import io.hilal.core.campaigns.Holdout;
import java.time.Instant;

/**
 * A tenant's program holdout: the stable share of its customers that no campaign or journey emails,
 * chosen by the hash of its salt and the customer id (as a campaign's {@link Holdout}), measured
 * since {@code startedAt}. A share of 0 is off.
 */
public record ProgramHoldout(double share, String salt, Instant startedAt) {
    /** The largest share a shop may keep from its email program. */
    public static final double MAX_SHARE = 0.2;

    public static final ProgramHoldout OFF = new ProgramHoldout(0, "", null);

    public boolean on() {
        return share > 0;
    }

    /** Whether no campaign or journey may email this customer. */
    public boolean heldOut(String customerId) {
        return on() && new Holdout(salt, share).heldOut(customerId);
    }
}
