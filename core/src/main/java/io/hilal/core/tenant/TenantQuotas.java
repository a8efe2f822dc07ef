package io.hilal.core.tenant;

import io.hilal.core.error.Checks;

/**
 * The operator's quotas for one tenant; a null field means no quota of that kind. Rates and daily
 * amounts refill with time (a tenant over them is told to retry later, 429); stored events do not
 * (403 until the operator raises the quota).
 *
 * @param ingestEventsPerSecond events accepted per second over all service instances
 * @param storedEvents events the tenant may keep
 * @param sendsPerDay emails sent per day, the tenant's local day
 * @param trainingSecondsPerDay training time started runs may take per UTC day
 */
public record TenantQuotas(
        Long ingestEventsPerSecond,
        Long storedEvents,
        Long sendsPerDay,
        Long trainingSecondsPerDay) {
    public static final long MAX = 1_000_000_000_000L;

    public static final TenantQuotas NONE = new TenantQuotas(null, null, null, null);

    /** Every quota that is set must be from 1 to {@link #MAX}. */
    public Checks check() {
        Checks checks = new Checks();
        range(checks, "ingestEventsPerSecond", ingestEventsPerSecond);
        range(checks, "storedEvents", storedEvents);
        range(checks, "sendsPerDay", sendsPerDay);
        range(checks, "trainingSecondsPerDay", trainingSecondsPerDay);
        return checks;
    }

    private static void range(Checks checks, String field, Long value) {
        if (value != null && (value < 1 || value > MAX)) {
            checks.fail(field, "must be from 1 to " + MAX + ", or null for no quota");
        }
    }
}
