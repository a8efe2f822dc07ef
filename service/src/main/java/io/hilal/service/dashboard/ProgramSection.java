package io.hilal.service.dashboard;

import io.hilal.core.program.ProgramLiftService;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * The Lift page's section on the program holdout, as {@code GET /v1/program-holdout/report} gives
 * it: the share kept from every campaign and journey, since when, the verdict, and the cumulative
 * comparison every 30 days since it started (each with its always-valid interval, or why there is
 * no number yet).
 */
record ProgramSection(
        String share, String since, String interval, String verdict, List<PointView> points) {

    /** One look: through when, how many on each side, and the differences or why none. */
    record PointView(
            String through,
            String emailed,
            String holdout,
            boolean enoughData,
            String orderRate,
            String ordersPerCustomer,
            String revenuePerCustomer,
            String notEnoughData) {}

    /** The section of a report, or null when the shop keeps no program holdout. */
    static ProgramSection of(ProgramLiftService.Report report) {
        if (!report.on()) {
            return null;
        }
        return new ProgramSection(
                String.format(Locale.ROOT, "%.0f%%", 100 * report.share()),
                Text.DAY.withZone(ZoneOffset.UTC).format(report.startedAt()),
                String.format(Locale.ROOT, "%.0f%%", 100 * report.intervalConfidence()),
                report.verdict(),
                report.overTime().stream().map(ProgramSection::point).toList());
    }

    private static PointView point(ProgramLiftService.Point point) {
        boolean enough = point.notEnoughData() == null;
        return new PointView(
                Text.DAY.withZone(ZoneOffset.UTC).format(point.through()),
                Text.count(point.emailedCustomers()),
                Text.count(point.holdoutCustomers()),
                enough,
                enough ? percentagePoints(point.orderRate()) : "",
                enough ? amount(point.ordersPerCustomer()) : "",
                enough ? amount(point.revenuePerCustomer()) : "",
                enough ? "" : point.notEnoughData());
    }

    private static String percentagePoints(ProgramLiftService.Difference d) {
        return Text.signed(100 * d.difference(), 1)
                + " pp ("
                + Text.signed(100 * d.low(), 1)
                + " to "
                + Text.signed(100 * d.high(), 1)
                + ")";
    }

    private static String amount(ProgramLiftService.Difference d) {
        return Text.signed(d.difference(), 2)
                + " ("
                + Text.signed(d.low(), 2)
                + " to "
                + Text.signed(d.high(), 2)
                + ")";
    }
}
