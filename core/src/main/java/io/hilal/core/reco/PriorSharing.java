package io.hilal.core.reco;

import io.hilal.core.error.Checks;

/**
 * The operator's choice for one tenant about model priors shared across tenants ({@link
 * ModelPriors}): whether its own aggregate priors join the pool others borrow from, and whether its
 * training borrows from that pool. Both off unless the operator turns them on.
 *
 * @param contribute its priors (per-category re-buy gaps, rates and sales shares) are pooled
 * @param receive its training borrows the pool of the other contributing tenants
 */
public record PriorSharing(Boolean contribute, Boolean receive) {
    public static final PriorSharing OFF = new PriorSharing(false, false);

    /** Both choices must be given, true or false. */
    public Checks check() {
        Checks checks = new Checks();
        if (contribute == null) {
            checks.fail("contribute", "must be true or false");
        }
        if (receive == null) {
            checks.fail("receive", "must be true or false");
        }
        return checks;
    }
}
