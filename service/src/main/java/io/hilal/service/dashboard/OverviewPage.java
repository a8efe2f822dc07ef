package io.hilal.service.dashboard;

import io.hilal.core.dashboard.DashboardQueries;
import io.hilal.core.events.OverviewService;
import io.hilal.service.dashboard.charts.EventsPerDayChart;
import io.hilal.service.dashboard.charts.Format;
import java.util.List;

/**
 * The overview: the tenant's key figures, and events and orders per day over the chosen range up to
 * the last day with data ({@code hasEvents} false, and no chart, before the first event).
 */
record OverviewPage(
        String customers,
        String products,
        String orders,
        String events,
        String buyers,
        String repeaters,
        String repeatRate,
        boolean hasEvents,
        String chart,
        List<Day> days,
        String from,
        String to,
        List<Range> ranges) {
    /** The ranges a merchant may choose, in days. */
    static final List<Integer> RANGES = List.of(30, 90, 365);

    /** One day of the table under the chart. */
    record Day(String day, String events, String orders) {}

    /** A range link; {@code current} marks the one shown. */
    record Range(int days, boolean current) {}

    static OverviewPage of(
            OverviewService.Overview counts,
            DashboardQueries.RepeatCount repeat,
            List<EventsPerDayChart.Day> series,
            int range) {
        String repeatRate =
                repeat.buyers() == 0
                        ? "–"
                        : Format.percent((double) repeat.repeaters() / repeat.buyers());
        boolean hasEvents = !series.isEmpty();
        return new OverviewPage(
                Text.count(counts.customers()),
                Text.count(counts.products()),
                Text.count(counts.orders()),
                Text.count(counts.events()),
                Text.count(repeat.buyers()),
                Text.count(repeat.repeaters()),
                repeatRate,
                hasEvents,
                hasEvents ? EventsPerDayChart.render("events-per-day", series) : null,
                series.stream()
                        .map(
                                day ->
                                        new Day(
                                                day.day().format(Text.DAY),
                                                Text.count(day.events()),
                                                Text.count(day.orders())))
                        .toList(),
                hasEvents ? series.get(0).day().format(Text.DAY) : null,
                hasEvents ? series.get(series.size() - 1).day().format(Text.DAY) : null,
                RANGES.stream().map(option -> new Range(option, option == range)).toList());
    }
}
