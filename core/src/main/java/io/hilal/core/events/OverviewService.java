package io.hilal.core.events;

import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.catalog.ProductDao;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** A tenant's data at a glance: what the overview page and {@code GET /v1/overview} show. */
public final class OverviewService {
    private final Jdbi jdbi;

    public OverviewService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public record Overview(
            long customers,
            long products,
            long orders,
            long events,
            List<EventDao.MonthCount> eventsPerMonth) {}

    public Overview overview(String tenantId) {
        return jdbi.withHandle(
                handle -> {
                    EventDao events = handle.attach(EventDao.class);
                    return new Overview(
                            handle.attach(CustomerDao.class).count(tenantId),
                            handle.attach(ProductDao.class).count(tenantId),
                            events.countOrders(tenantId),
                            events.count(tenantId),
                            events.countByMonth(tenantId));
                });
    }
}
