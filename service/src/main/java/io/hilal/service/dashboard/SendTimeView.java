package io.hilal.service.dashboard;

import io.hilal.core.campaigns.SendTimeComparison;
import java.util.List;
import java.util.Locale;

/**
 * The send-time section of a best-time campaign's page: the customers sent at their best hour and
 * those kept at the local time, side by side, and the differences with their intervals, or why
 * there is no answer yet.
 */
public record SendTimeView(
        String fixedTimeShare,
        List<Arm> arms,
        List<Row> differences,
        boolean hasDifferences,
        String notEnoughData,
        String verdict,
        String look) {
    /** One arm's line. */
    public record Arm(String id, String label, long customers, long clickers, long buyers) {}

    /** One metric's difference, best time minus local time, and its interval. */
    public record Row(String metric, String difference, String interval) {}

    public static SendTimeView of(SendTimeComparison.Report report) {
        List<Row> rows =
                report.notEnoughData() != null
                        ? List.of()
                        : List.of(
                                points("Clicked", report.clickRate()),
                                points("Ordered", report.orderRate()),
                                plain("Orders per customer", report.ordersPerCustomer()),
                                plain("Revenue per customer", report.revenuePerCustomer()));
        return new SendTimeView(
                String.format(Locale.ROOT, "%.0f%%", 100 * report.fixedTimeShare()),
                List.of(
                        arm("best-time", "At their best time", report.bestTime()),
                        arm("local-time", "At the local time", report.fixedTime())),
                rows,
                !rows.isEmpty(),
                report.notEnoughData(),
                report.verdict(),
                String.format(
                        Locale.ROOT,
                        "%s look, %.0f%% intervals%s",
                        report.look().equals("FINAL") ? "Final" : "Interim",
                        100 * report.intervalConfidence(),
                        report.look().equals("FINAL")
                                ? ""
                                : " (always valid, however often you look)"));
    }

    private static Arm arm(String id, String label, SendTimeComparison.Arm arm) {
        return new Arm(id, label, arm.customers(), arm.clickers(), arm.buyers());
    }

    private static Row points(String metric, SendTimeComparison.Difference d) {
        return new Row(
                metric,
                String.format(Locale.ROOT, "%+.1f points", 100 * d.difference()),
                String.format(Locale.ROOT, "%+.1f to %+.1f", 100 * d.low(), 100 * d.high()));
    }

    private static Row plain(String metric, SendTimeComparison.Difference d) {
        return new Row(
                metric,
                String.format(Locale.ROOT, "%+.2f", d.difference()),
                String.format(Locale.ROOT, "%+.2f to %+.2f", d.low(), d.high()));
    }
}
