package io.hilal.service.dashboard.charts;

import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Events per day as a bar chart with a labelled value axis and date axis. Every bar carries its
 * day's numbers in a tooltip ({@code <title>}) and in {@code data-*} attributes; the page shows the
 * same numbers in a table for screen readers.
 */
public final class EventsPerDayChart {
    static final int WIDTH = 900;
    static final int HEIGHT = 260;
    private static final int LEFT = 60;
    private static final int RIGHT = 12;
    private static final int TOP = 14;
    private static final int BOTTOM = 40;
    private static final DateTimeFormatter LABEL =
            DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter LONG =
            DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

    private EventsPerDayChart() {}

    /** One day's counts. */
    public record Day(LocalDate day, long events, long orders) {}

    /** Every day from {@code first} to {@code last}, zero where {@code counts} has none. */
    public static List<Day> everyDay(LocalDate first, LocalDate last, Map<LocalDate, Day> counts) {
        List<Day> days = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            days.add(counts.getOrDefault(day, new Day(day, 0, 0)));
        }
        return days;
    }

    public static String render(String id, List<Day> days) {
        NumberFormat numbers = NumberFormat.getIntegerInstance(Locale.UK);
        long total = days.stream().mapToLong(Day::events).sum();
        long max = days.stream().mapToLong(Day::events).max().orElse(0);
        String title = "Events per day";
        String description =
                days.isEmpty()
                        ? "No days to show."
                        : numbers.format(total)
                                + " events from "
                                + days.get(0).day().format(LONG)
                                + " to "
                                + days.get(days.size() - 1).day().format(LONG)
                                + "; the busiest day had "
                                + numbers.format(max)
                                + ".";
        Svg svg = new Svg(id, WIDTH, HEIGHT, title, description);
        Ticks ticks = Ticks.wholeNumbers(0, Math.max(1, max), 5);
        double plotBottom = HEIGHT - BOTTOM;
        double plotRight = WIDTH - RIGHT;
        for (double value : ticks.values()) {
            double y = ticks.scale(value, plotBottom, TOP);
            svg.line(LEFT, y, plotRight, y, value == 0 ? "axis" : "grid");
            svg.text(LEFT - 6, y + 4, "end", "tick", numbers.format(value));
        }
        int n = Math.max(1, days.size());
        double slot = (plotRight - LEFT) / n;
        double gap = slot > 6 ? Math.min(4, slot * 0.2) : 0;
        int labelEvery = (int) Math.ceil(n / 9.0);
        StringBuilder bars = new StringBuilder();
        for (int i = 0; i < days.size(); i++) {
            Day day = days.get(i);
            double x = LEFT + i * slot;
            double y = ticks.scale(day.events(), plotBottom, TOP);
            bars.append("<rect class=\"bar\" x=\"")
                    .append(Svg.num(x + gap / 2))
                    .append("\" y=\"")
                    .append(Svg.num(y))
                    .append("\" width=\"")
                    .append(Svg.num(Math.max(0.5, slot - gap)))
                    .append("\" height=\"")
                    .append(Svg.num(plotBottom - y))
                    .append("\" data-day=\"")
                    .append(day.day())
                    .append("\" data-events=\"")
                    .append(day.events())
                    .append("\" data-orders=\"")
                    .append(day.orders())
                    .append("\"><title>")
                    .append(Svg.escape(day.day().format(LONG)))
                    .append(": ")
                    .append(numbers.format(day.events()))
                    .append(" events, ")
                    .append(numbers.format(day.orders()))
                    .append(" orders</title></rect>");
            if (i % labelEvery == 0) {
                svg.line(x + slot / 2, plotBottom, x + slot / 2, plotBottom + 4, "axis");
            }
        }
        svg.raw(bars.toString());
        for (int i = 0; i < days.size(); i += labelEvery) {
            svg.text(
                    LEFT + i * slot + slot / 2,
                    plotBottom + 18,
                    "middle",
                    "tick",
                    days.get(i).day().format(LABEL));
        }
        svg.text(LEFT, HEIGHT - 4, "start", "axis-label", "Day (UTC)");
        return svg.close();
    }
}
