package io.hilal.service.dashboard;

import io.hilal.core.dashboard.DashboardQueries;
import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.events.OverviewService;
import io.hilal.service.dashboard.charts.EventsPerDayChart;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The dashboard's first page: the tenant's key figures and its events per day. */
@Path("/dashboard")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class OverviewPageResource {
    private static final int DEFAULT_RANGE = 90;

    private final DashboardQueries queries;
    private final OverviewService overview;
    private final Pages pages = new Pages();

    public OverviewPageResource(DashboardQueries queries, OverviewService overview) {
        this.queries = queries;
        this.overview = overview;
    }

    @GET
    public Response overview(
            @QueryParam("days") Integer days, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        String tenantId = session.tenantId();
        int range = days != null && OverviewPage.RANGES.contains(days) ? days : DEFAULT_RANGE;
        return pages.view(
                200,
                session,
                "overview",
                "overview",
                "Overview",
                OverviewPage.of(
                        overview.overview(tenantId),
                        queries.repeatCount(tenantId),
                        eventsPerDay(tenantId, range),
                        range));
    }

    /** Every day of the range up to the last day with an event; empty before the first event. */
    private List<EventsPerDayChart.Day> eventsPerDay(String tenantId, int range) {
        Optional<Instant> latest = queries.latestEvent(tenantId);
        if (latest.isEmpty()) {
            return List.of();
        }
        LocalDate last = latest.get().atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = last.minusDays(range - 1L);
        Map<LocalDate, EventsPerDayChart.Day> byDay = new HashMap<>();
        for (DashboardQueries.DayCount day :
                queries.eventsPerDay(
                        tenantId,
                        first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                        last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())) {
            LocalDate date = LocalDate.parse(day.day());
            byDay.put(date, new EventsPerDayChart.Day(date, day.events(), day.orders()));
        }
        return EventsPerDayChart.everyDay(first, last, byDay);
    }
}
