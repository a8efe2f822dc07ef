package io.hilal.core.tenant;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What one tenant uses, for metering and billing: what it stores now, and per UTC day of a period
 * the emails it sent and the training time it took.
 *
 * @param from the first day counted (UTC)
 * @param to the last day counted (UTC), today
 * @param measuredAt when the stored counts were read
 */
public record TenantUsage(
        String tenantId,
        LocalDate from,
        LocalDate to,
        Instant measuredAt,
        Stored stored,
        List<Day> days) {
    /** Rows and bytes the tenant keeps. */
    public record Stored(long events, long customers, long products, long modelBytes) {}

    /** One UTC day: emails sent, training runs finished and their total duration. */
    public record Day(LocalDate date, long sends, long trainingRuns, double trainingSeconds) {}
}
