package io.hilal.core.tenant;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The training-time quota's decision, without I/O: a tenant may start a run while the runs it
 * started this UTC day took less than its quota. A run that starts under the quota finishes (a run
 * cut short would waste all the time it took), so the quota bounds starts, and a day's use can
 * exceed it by one run.
 */
public final class TrainingQuota {
    private TrainingQuota() {}

    /** Whether a run may start: no quota, or time left today. */
    public static boolean mayStart(Long quotaSeconds, double usedSeconds) {
        return quotaSeconds == null || usedSeconds < quotaSeconds;
    }

    /** The start of {@code now}'s UTC day: runs started since count against today's quota. */
    public static Instant dayStart(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Whole seconds until the next UTC day, when the quota is whole again (at least 1). */
    public static long secondsUntilTomorrow(Instant now) {
        Instant tomorrow = dayStart(now).plus(Duration.ofDays(1));
        return Math.max(1, (Duration.between(now, tomorrow).toMillis() + 999) / 1000);
    }

    /** Why a run was refused, for the request's status and the tenant's 429. */
    public static String refusal(long quotaSeconds, double usedSeconds) {
        return String.format(
                java.util.Locale.ROOT,
                "training time quota: %.0f s of %d s per UTC day used; runs start again after"
                        + " 00:00 UTC",
                usedSeconds,
                quotaSeconds);
    }
}
