package io.hilal.service.dashboard;

import io.hilal.core.experiments.ExperimentReport;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The Models page's section on model experiments: each experiment with its mode and status, its
 * arms' figures (orders: for a split, every order of the arm's customers after exposure, and how
 * many of them named an impression; when interleaved, the orders credited to the arm's team), the
 * comparisons with their always-valid intervals, and the verdict, as the API reports them ({@code
 * GET /v1/experiments/{id}}).
 */
record ExperimentsSection(List<ExperimentView> experiments) {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    record ExperimentView(
            String id,
            String name,
            String mode,
            String status,
            boolean running,
            String started,
            List<ArmView> arms,
            List<ComparisonView> comparisons,
            String verdict) {
        public boolean hasComparisons() {
            return !comparisons.isEmpty();
        }
    }

    record ArmView(
            String arm,
            String model,
            String customers,
            String impressions,
            String clicks,
            String clickThrough,
            String orders,
            String attributedOrders,
            String ordersPerCustomer) {}

    record ComparisonView(String metric, String a, String b, String difference, String interval) {}

    public boolean hasExperiments() {
        return !experiments.isEmpty();
    }

    static ExperimentsSection of(List<ExperimentReport> reports) {
        return new ExperimentsSection(reports.stream().map(ExperimentsSection::view).toList());
    }

    private static ExperimentView view(ExperimentReport report) {
        boolean interleaved = report.experiment().interleaved();
        List<ArmView> arms =
                report.arms().stream()
                        .map(
                                arm ->
                                        new ArmView(
                                                arm.arm(),
                                                arm.model(),
                                                whole(arm.customers()),
                                                whole(arm.impressions()),
                                                whole(arm.clicks()),
                                                percent(arm.clickThrough()),
                                                whole(arm.orders()),
                                                // Interleaved, it is both arms' total: no arm's
                                                // own.
                                                interleaved ? "–" : whole(arm.attributedOrders()),
                                                number(arm.ordersPerCustomer())))
                        .toList();
        List<ComparisonView> comparisons =
                java.util.stream.Stream.of(
                                report.clickThrough(),
                                report.ordersPerCustomer(),
                                report.preference(),
                                report.orderPreference())
                        .filter(java.util.Objects::nonNull)
                        .map(ExperimentsSection::comparison)
                        .toList();
        return new ExperimentView(
                report.experiment().experimentId(),
                report.experiment().name(),
                interleaved ? "interleaving" : "A/B split",
                report.experiment().status(),
                report.experiment().running(),
                TIME.format(report.experiment().createdAt()),
                arms,
                comparisons,
                report.verdict());
    }

    private static ComparisonView comparison(ExperimentReport.Comparison comparison) {
        boolean rate = comparison.metric().contains("click-through");
        String format = rate ? "%+.1f pp" : "%+.3f";
        double scale = rate ? 100 : 1;
        return new ComparisonView(
                comparison.metric(),
                rate ? percent(comparison.a()) : number(comparison.a()),
                rate ? percent(comparison.b()) : number(comparison.b()),
                String.format(Locale.ROOT, format, comparison.difference() * scale),
                String.format(
                        Locale.ROOT,
                        format + " to " + format,
                        comparison.low() * scale,
                        comparison.high() * scale));
    }

    private static String whole(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value * 100);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
