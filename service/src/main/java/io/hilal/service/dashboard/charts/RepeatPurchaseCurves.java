package io.hilal.service.dashboard.charts;

import java.util.List;

/**
 * Cumulative repeat-purchase curves, treated against held out, each with its 95% interval as a
 * shaded band: the share of each group who bought again within N days of the send. Where the bands
 * separate, the campaign made a difference; where they overlap, it may not have. The two groups
 * differ by colour and by line style, so the chart also reads in grey.
 */
public final class RepeatPurchaseCurves {
    static final int WIDTH = 900;
    static final int HEIGHT = 300;
    private static final int LEFT = 60;
    private static final int RIGHT = 150;
    private static final int TOP = 14;
    private static final int BOTTOM = 42;

    private RepeatPurchaseCurves() {}

    /** One day of a curve: the cumulative share (0–1) and its interval. */
    public record Point(int day, double rate, double low, double high) {}

    public static String render(String id, List<Point> treated, List<Point> holdout) {
        int days = Math.max(1, Math.max(lastDay(treated), lastDay(holdout)));
        double top = 0.01;
        for (List<Point> curve : List.of(treated, holdout)) {
            for (Point point : curve) {
                top = Math.max(top, point.high());
            }
        }
        String description =
                "After "
                        + days
                        + " days, "
                        + last(treated)
                        + " of treated customers and "
                        + last(holdout)
                        + " of held-out customers had bought again.";
        Svg svg =
                new Svg(
                        id,
                        WIDTH,
                        HEIGHT,
                        "Cumulative repeat-purchase rate, treated vs held out",
                        description);
        Ticks y = Ticks.covering(0, top * 100, 5);
        Ticks x = Ticks.covering(0, days, 8);
        double plotBottom = HEIGHT - BOTTOM;
        double plotRight = WIDTH - RIGHT;
        for (double value : y.values()) {
            double py = y.scale(value, plotBottom, TOP);
            svg.line(LEFT, py, plotRight, py, value == 0 ? "axis" : "grid");
            svg.text(LEFT - 6, py + 4, "end", "tick", Svg.num(value) + "%");
        }
        for (double value : x.values()) {
            if (value > days) {
                continue;
            }
            double px = scaleDay(value, days, plotRight);
            svg.line(px, plotBottom, px, plotBottom + 4, "axis");
            svg.text(px, plotBottom + 18, "middle", "tick", Svg.num(value));
        }
        svg.text((LEFT + plotRight) / 2, HEIGHT - 4, "middle", "axis-label", "Days since the send");
        series(svg, "holdout", holdout, y, days, plotBottom, plotRight);
        series(svg, "treated", treated, y, days, plotBottom, plotRight);
        legend(svg, "treated", "Treated", plotRight + 16, TOP + 16);
        legend(svg, "holdout", "Held out", plotRight + 16, TOP + 40);
        svg.text(plotRight + 16, TOP + 64, "start", "note", "Bands: 95% interval");
        return svg.close();
    }

    private static void series(
            Svg svg,
            String cssClass,
            List<Point> points,
            Ticks y,
            int days,
            double plotBottom,
            double plotRight) {
        if (points.isEmpty()) {
            return;
        }
        StringBuilder band = new StringBuilder();
        for (Point point : points) {
            band.append(Svg.num(scaleDay(point.day(), days, plotRight)))
                    .append(',')
                    .append(Svg.num(y.scale(point.high() * 100, plotBottom, TOP)))
                    .append(' ');
        }
        for (int i = points.size() - 1; i >= 0; i--) {
            Point point = points.get(i);
            band.append(Svg.num(scaleDay(point.day(), days, plotRight)))
                    .append(',')
                    .append(Svg.num(y.scale(point.low() * 100, plotBottom, TOP)))
                    .append(' ');
        }
        StringBuilder line = new StringBuilder();
        for (Point point : points) {
            line.append(Svg.num(scaleDay(point.day(), days, plotRight)))
                    .append(',')
                    .append(Svg.num(y.scale(point.rate() * 100, plotBottom, TOP)))
                    .append(' ');
        }
        Point end = points.get(points.size() - 1);
        svg.raw(
                "<g class=\"series "
                        + cssClass
                        + "\" data-final-rate=\""
                        + Svg.num(end.rate() * 100)
                        + "\"><polygon class=\"band\" points=\""
                        + band.toString().strip()
                        + "\"/><polyline class=\"curve\" points=\""
                        + line.toString().strip()
                        + "\"/></g>");
    }

    private static void legend(Svg svg, String cssClass, String label, double x, double y) {
        svg.raw("<g class=\"series " + cssClass + "\">");
        svg.raw(
                "<rect class=\"band\" x=\""
                        + Svg.num(x)
                        + "\" y=\""
                        + Svg.num(y - 9)
                        + "\" width=\"28\" height=\"12\"/>");
        svg.raw(
                "<polyline class=\"curve\" points=\""
                        + Svg.num(x)
                        + ","
                        + Svg.num(y - 3)
                        + " "
                        + Svg.num(x + 28)
                        + ","
                        + Svg.num(y - 3)
                        + "\"/>");
        svg.raw("</g>");
        svg.text(x + 36, y + 1, "start", "label", label);
    }

    private static double scaleDay(double day, int days, double plotRight) {
        return LEFT + day / days * (plotRight - LEFT);
    }

    private static int lastDay(List<Point> points) {
        return points.isEmpty() ? 0 : points.get(points.size() - 1).day();
    }

    private static String last(List<Point> points) {
        return points.isEmpty() ? "none" : Format.percent(points.get(points.size() - 1).rate());
    }
}
