package io.hilal.core.tenant;

import io.hilal.core.error.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** A tenant's usage over the last days, for the operator's metering and billing. */
public final class TenantUsageService {
    public static final int MAX_DAYS = 366;

    private final Jdbi jdbi;
    private final TenantService tenants;
    private final Clock clock;

    public TenantUsageService(Jdbi jdbi, TenantService tenants, Clock clock) {
        this.jdbi = jdbi;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** The last {@code days} UTC days, today included, every day listed (zero when idle). */
    public TenantUsage usage(String tenantId, int days) {
        if (tenants.findTenant(tenantId).isEmpty()) {
            throw new NotFoundException("tenant", tenantId);
        }
        Instant now = clock.instant();
        LocalDate to = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate from = to.minusDays(days - 1L);
        Instant since = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        return jdbi.withExtension(
                TenantUsageDao.class,
                dao -> {
                    Map<LocalDate, Long> sends = new HashMap<>();
                    dao.sendsPerDay(tenantId, since)
                            .forEach(day -> sends.put(day.day(), day.sends()));
                    Map<LocalDate, TenantUsageDao.DayTraining> training = new HashMap<>();
                    dao.trainingPerDay(tenantId, since)
                            .forEach(day -> training.put(day.day(), day));
                    List<TenantUsage.Day> perDay = new ArrayList<>(days);
                    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                        TenantUsageDao.DayTraining trained = training.get(day);
                        perDay.add(
                                new TenantUsage.Day(
                                        day,
                                        sends.getOrDefault(day, 0L),
                                        trained == null ? 0 : trained.runs(),
                                        trained == null ? 0 : trained.seconds()));
                    }
                    return new TenantUsage(tenantId, from, to, now, dao.stored(tenantId), perDay);
                });
    }
}
