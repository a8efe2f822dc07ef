package io.hilal.service.dashboard;

import io.hilal.core.campaigns.sending.SendState;
import io.hilal.core.dashboard.RepeatPurchaseLift;
import io.hilal.core.lift.LiftReport;
import io.hilal.service.dashboard.charts.Format;
import io.hilal.service.dashboard.charts.RepeatPurchaseCurves;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * One campaign's full lift report, below its {@link LiftHeadline} (rendered as the scope under this
 * one): every metric, what the look means, the assignment by ledger state, the warnings, and the
 * day-by-day repeat-purchase curves of the sends at least a window old (no chart while there are
 * none).
 */
record LiftReportPage(
        List<MetricRow> metrics,
        String statusDetail,
        String peeking,
        String assignment,
        String windowDefinition,
        List<String> warnings,
        boolean hasWarnings,
        List<StateCount> ledgerStates,
        String curveN,
        String chart,
        List<CurveDay> days,
        boolean hasVariants,
        List<VariantRow> variants,
        List<String> variantNames,
        List<VariantDay> variantDays,
        String variantsDefinition) {

    /**
     * An offer variant's figures and, once it has enough data, its lift against the holdout ({@code
     * difference} null otherwise, and {@code notEnoughData} says why).
     */
    record VariantRow(
            String name,
            String sends,
            String clickers,
            String customers,
            String buyers,
            String orders,
            String rate,
            String difference,
            String interval,
            boolean significant,
            String notEnoughData) {}

    /** The sends of one day by variant, each with its share of the day. */
    record VariantDay(String date, List<String> shares) {}

    /** One metric, each level and difference in its own unit. */
    record MetricRow(
            String id,
            String name,
            String definition,
            String treated,
            String holdout,
            String difference,
            String interval,
            String relative,
            String pValue,
            String role,
            String adjustedPValue,
            boolean significant,
            String varianceReduction,
            String mde,
            String unadjusted) {}

    /** Assigned customers in one ledger state. */
    record StateCount(String state, String count) {}

    /** One day of the curves: each arm's cumulative rate with its interval. */
    record CurveDay(
            int day,
            String treated,
            String treatedInterval,
            String holdout,
            String holdoutInterval) {}

    static LiftReportPage of(LiftReport report, RepeatPurchaseLift.Result curves) {
        List<StateCount> states =
                report.assignment().ledgerStates().entrySet().stream()
                        .map(
                                entry ->
                                        new StateCount(
                                                Text.label(SendState.valueOf(entry.getKey())),
                                                Text.count(entry.getValue())))
                        .toList();
        boolean drawn = !curves.treated().isEmpty() && !curves.holdout().isEmpty();
        List<CurveDay> days = new ArrayList<>();
        if (drawn) {
            for (int i = 0; i < curves.treated().size(); i++) {
                RepeatPurchaseLift.Point treated = curves.treated().get(i);
                RepeatPurchaseLift.Point holdout = curves.holdout().get(i);
                days.add(
                        new CurveDay(
                                treated.day(),
                                Format.percent(treated.rate()),
                                Format.percent(treated.low())
                                        + " – "
                                        + Format.percent(treated.high()),
                                Format.percent(holdout.rate()),
                                Format.percent(holdout.low())
                                        + " – "
                                        + Format.percent(holdout.high())));
            }
        }
        return new LiftReportPage(
                metricRows(report),
                report.statusDetail(),
                report.peeking().note(),
                report.assignment().definition(),
                report.window().definition(),
                report.warnings(),
                !report.warnings().isEmpty(),
                states,
                Text.count(curves.treatedN() + curves.holdoutN()),
                drawn
                        ? RepeatPurchaseCurves.render(
                                "repeat-curves", curve(curves.treated()), curve(curves.holdout()))
                        : null,
                days,
                report.variants() != null,
                report.variants() == null ? List.of() : variantRows(report.variants()),
                variantNames(report.variants()),
                report.variants() == null ? List.of() : variantDays(report.variants()),
                report.variants() == null ? null : report.variants().definition());
    }

    private static List<VariantRow> variantRows(LiftReport.Variants variants) {
        return variants.variants().stream()
                .map(
                        v ->
                                new VariantRow(
                                        v.name(),
                                        Text.count(v.sends()),
                                        Text.count(v.clickers()),
                                        Text.count(v.customers()),
                                        Text.count(v.buyers()),
                                        Text.count(v.orders()),
                                        v.difference() == null ? null : Format.percent(v.rate()),
                                        v.difference() == null
                                                ? null
                                                : Format.points(v.difference() * 100),
                                        v.difference() == null
                                                ? null
                                                : Format.points(v.low() * 100)
                                                        + " to "
                                                        + Format.points(v.high() * 100),
                                        v.difference() != null && v.significant(),
                                        v.difference() == null ? v.notEnoughData() : null))
                .toList();
    }

    private static List<String> variantNames(LiftReport.Variants variants) {
        return variants == null
                ? List.of()
                : variants.variants().stream().map(LiftReport.VariantFigures::name).toList();
    }

    private static List<VariantDay> variantDays(LiftReport.Variants variants) {
        List<String> names = variantNames(variants);
        List<VariantDay> days = new ArrayList<>();
        for (LiftReport.Day day : variants.allocation()) {
            long total = day.sends().values().stream().mapToLong(Long::longValue).sum();
            List<String> shares = new ArrayList<>();
            for (String name : names) {
                long count = day.sends().getOrDefault(name, 0L);
                shares.add(
                        Text.count(count)
                                + " ("
                                + Format.percent(total == 0 ? 0 : (double) count / total)
                                + ")");
            }
            days.add(new VariantDay(day.date().toString(), shares));
        }
        return days;
    }

    /** The three metrics of a report as table rows, each level and difference in its own unit. */
    private static List<MetricRow> metricRows(LiftReport report) {
        LiftReport.Metrics metrics = report.metrics();
        if (metrics == null) {
            return List.of();
        }
        String currency = report.currencies().size() == 1 ? report.currencies().get(0) : "";
        return List.of(
                metricRow(
                        "repeat-rate",
                        "Repeat-purchase rate",
                        metrics.repeatPurchaseRate(),
                        Format::percent,
                        value -> Format.points(value * 100)),
                metricRow(
                        "orders",
                        "Orders per customer",
                        metrics.ordersPerCustomer(),
                        value -> String.format(Locale.ROOT, "%.3f", value),
                        value -> Text.signed(value, 3)),
                metricRow(
                        "revenue",
                        "Revenue per customer" + (currency.isEmpty() ? "" : " (" + currency + ")"),
                        metrics.revenuePerCustomer(),
                        value -> String.format(Locale.ROOT, "%.2f", value),
                        value -> Text.signed(value, 2)));
    }

    private static MetricRow metricRow(
            String id,
            String name,
            LiftReport.Metric metric,
            DoubleFunction<String> level,
            DoubleFunction<String> difference) {
        return new MetricRow(
                id,
                name,
                metric.definition(),
                level.apply(metric.unadjusted().treated()),
                level.apply(metric.unadjusted().holdout()),
                difference.apply(metric.difference()),
                difference.apply(metric.low()) + " to " + difference.apply(metric.high()),
                LiftHeadline.relative(metric),
                Text.pValue(metric.pValue()),
                "secondary".equals(metric.role()) ? "Secondary" : "Primary",
                metric.adjustedPValue() == null ? "–" : Text.pValue(metric.adjustedPValue()),
                metric.significant(),
                Format.percent(metric.varianceReduction()),
                difference.apply(metric.minimumDetectableEffect()).replace("+", ""),
                difference.apply(metric.unadjusted().difference())
                        + " ("
                        + difference.apply(metric.unadjusted().low())
                        + " to "
                        + difference.apply(metric.unadjusted().high())
                        + ")");
    }

    private static List<RepeatPurchaseCurves.Point> curve(List<RepeatPurchaseLift.Point> points) {
        return points.stream()
                .map(
                        point ->
                                new RepeatPurchaseCurves.Point(
                                        point.day(), point.rate(), point.low(), point.high()))
                .toList();
    }
}
