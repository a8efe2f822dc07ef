package io.hilal.service.dashboard.charts;

import java.util.List;

/**
 * Lift with its confidence interval, one row per campaign, around a zero line: a row whose whole
 * interval sits right of zero is a campaign that measurably raised repeat purchases. Values are
 * differences in percentage points, so campaigns of different sizes compare on one axis.
 */
public final class ForestPlot {
    static final int WIDTH = 900;
    private static final int LABEL_WIDTH = 230;
    private static final int VALUE_WIDTH = 210;
    private static final int ROW = 34;
    private static final int TOP = 16;
    private static final int BOTTOM = 44;

    private ForestPlot() {}

    /**
     * One campaign: a label, the estimate and its interval in percentage points, what that interval
     * is (e.g. "96% interval" at a final look, "99% always-valid interval" at an interim one: the
     * report's own words, never a fixed level), and a short note (e.g. the sample sizes).
     */
    public record Row(
            String label, double estimate, double low, double high, String interval, String note) {}

    public static String render(String id, String title, List<Row> rows) {
        int height = TOP + BOTTOM + ROW * Math.max(1, rows.size());
        StringBuilder description = new StringBuilder();
        for (Row row : rows) {
            description
                    .append(row.label())
                    .append(": ")
                    .append(Format.points(row.estimate()))
                    .append(" (")
                    .append(row.interval())
                    .append(" ")
                    .append(Format.points(row.low()))
                    .append(" to ")
                    .append(Format.points(row.high()))
                    .append("). ");
        }
        Svg svg =
                new Svg(
                        id,
                        WIDTH,
                        height,
                        title,
                        rows.isEmpty() ? "No campaigns." : description.toString().strip());
        double extent = 0.5;
        for (Row row : rows) {
            extent = Math.max(extent, Math.max(Math.abs(row.low()), Math.abs(row.high())));
        }
        Ticks ticks = Ticks.covering(-extent, extent, 6);
        double left = LABEL_WIDTH;
        double right = WIDTH - VALUE_WIDTH;
        double plotBottom = height - BOTTOM;
        for (double value : ticks.values()) {
            double x = ticks.scale(value, left, right);
            svg.line(x, TOP - 6, x, plotBottom, value == 0 ? "zero" : "grid");
            svg.text(x, plotBottom + 16, "middle", "tick", Format.signed(value));
        }
        svg.text(
                (left + right) / 2,
                height - 6,
                "middle",
                "axis-label",
                "Difference in repeat-purchase rate, percentage points (treated − held out)");
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            double y = TOP + ROW * i + ROW / 2.0;
            svg.text(left - 10, y + 4, "end", "label", row.label());
            svg.raw(
                    "<g class=\"estimate"
                            + (row.low() > 0 ? " up" : row.high() < 0 ? " down" : "")
                            + "\" data-estimate=\""
                            + Svg.num(row.estimate())
                            + "\" data-low=\""
                            + Svg.num(row.low())
                            + "\" data-high=\""
                            + Svg.num(row.high())
                            + "\"><title>"
                            + Svg.escape(
                                    row.label()
                                            + ": "
                                            + Format.points(row.estimate())
                                            + ", "
                                            + row.interval()
                                            + " "
                                            + Format.points(row.low())
                                            + " to "
                                            + Format.points(row.high()))
                            + "</title>");
            double x1 = ticks.scale(row.low(), left, right);
            double x2 = ticks.scale(row.high(), left, right);
            double cx = ticks.scale(row.estimate(), left, right);
            svg.line(x1, y, x2, y, "interval");
            svg.line(x1, y - 6, x1, y + 6, "interval");
            svg.line(x2, y - 6, x2, y + 6, "interval");
            svg.raw(
                    "<rect class=\"point\" x=\""
                            + Svg.num(cx - 5)
                            + "\" y=\""
                            + Svg.num(y - 5)
                            + "\" width=\"10\" height=\"10\"/></g>");
            svg.text(
                    right + 12,
                    y + 4,
                    "start",
                    "value",
                    Format.points(row.estimate())
                            + " ["
                            + Format.signed(row.low())
                            + ", "
                            + Format.signed(row.high())
                            + "]");
            if (row.note() != null && !row.note().isEmpty()) {
                svg.text(left - 10, y + 16, "end", "note", row.note());
            }
        }
        return svg.close();
    }
}
