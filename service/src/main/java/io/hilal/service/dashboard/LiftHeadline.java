package io.hilal.service.dashboard;

import io.hilal.core.lift.LiftReport;
import io.hilal.core.lift.LiftVerdict;
import io.hilal.service.dashboard.charts.Format;
import io.hilal.service.dashboard.data.LiftReports;
import java.util.Locale;

/**
 * The headline of a stored lift report, as the lift pages, a campaign's page and the journeys table
 * show it: its status, sample sizes, the repeat-rate lift (the primary metric, which the forest
 * plot draws) with its interval, relative lift and p-value, the sample-ratio check, and the
 * verdict. Every word about what the report means comes from {@link LiftVerdict}; the numbers are
 * null when there is not enough data ({@code enoughData} false).
 */
record LiftHeadline(
        String campaignId,
        String name,
        int window,
        String computedAt,
        String closesAt,
        String dataCutoff,
        String treatedN,
        String holdoutN,
        String treatedBuyers,
        String holdoutBuyers,
        String status,
        boolean finalLook,
        boolean interim,
        boolean enoughData,
        String look,
        String intervalLabel,
        String verdict,
        boolean srmMismatch,
        boolean srmChecked,
        String srmObserved,
        String srmExpected,
        String srmSource,
        String srmPValue,
        String treatedRate,
        String holdoutRate,
        String difference,
        String interval,
        String relative,
        String pValue,
        boolean significant,
        boolean up,
        boolean down,
        String mde,
        String varianceReduction,
        String incremental,
        String incrementalInterval) {

    static LiftHeadline of(LiftReports.Report report) {
        LiftReport stored = report.report();
        LiftReport.Assignment assignment = stored.assignment();
        LiftReport.SampleRatio ratio = stored.sampleRatio();
        LiftReport.Metric repeat =
                stored.metrics() == null ? null : stored.metrics().repeatPurchaseRate();
        LiftReport.Incremental incremental = repeat == null ? null : stored.incrementalRevenue();
        String currency = stored.currencies().size() == 1 ? stored.currencies().get(0) : "";
        return new LiftHeadline(
                report.campaignId(),
                report.campaignName(),
                stored.windowDays(),
                Text.TIME.format(stored.computedAt()),
                Text.TIME.format(stored.window().closesAt()),
                stored.dataCutoff() == null ? null : Text.TIME.format(stored.dataCutoff()),
                Text.count(assignment.treatedCustomers()),
                Text.count(assignment.holdoutCustomers()),
                Text.count(assignment.treatedBuyers()),
                Text.count(assignment.holdoutBuyers()),
                LiftVerdict.headline(stored),
                stored.status() == LiftReport.Status.FINAL,
                stored.status() == LiftReport.Status.INTERIM,
                repeat != null,
                LiftVerdict.look(stored),
                LiftVerdict.intervalLabel(stored),
                LiftVerdict.of(stored),
                ratio.mismatch(),
                ratio.pValue() != null,
                Format.percent(ratio.observedHoldoutShare()),
                ratio.expectedHoldoutShare() == null
                        ? "–"
                        : Format.percent(ratio.expectedHoldoutShare()),
                ratio.expectedShareSource(),
                ratio.pValue() == null ? "–" : Text.pValue(ratio.pValue()),
                repeat == null ? null : Format.percent(repeat.unadjusted().treated()),
                repeat == null ? null : Format.percent(repeat.unadjusted().holdout()),
                repeat == null ? null : Format.points(repeat.difference() * 100),
                repeat == null
                        ? null
                        : Format.signed(repeat.low() * 100)
                                + " to "
                                + Format.signed(repeat.high() * 100)
                                + " pp",
                repeat == null ? null : relative(repeat),
                repeat == null ? null : Text.pValue(repeat.pValue()),
                repeat != null && repeat.significant(),
                repeat != null && repeat.low() > 0,
                repeat != null && repeat.high() < 0,
                repeat == null
                        ? null
                        : String.format(
                                Locale.ROOT, "%.1f pp", repeat.minimumDetectableEffect() * 100),
                repeat == null ? null : Format.percent(repeat.varianceReduction()),
                incremental == null ? null : Text.money(incremental.estimate(), currency),
                incremental == null
                        ? null
                        : LiftVerdict.intervalLabel(stored)
                                + " "
                                + Text.money(incremental.low(), currency)
                                + " to "
                                + Text.money(incremental.high(), currency));
    }

    /** The relative lift against the held-out level, with its interval when there is one. */
    static String relative(LiftReport.Metric metric) {
        if (metric.relative() == null) {
            return "–";
        }
        String text = Format.signed(metric.relative() * 100) + "%";
        if (metric.relativeLow() != null && metric.relativeHigh() != null) {
            text +=
                    " ("
                            + Format.signed(metric.relativeLow() * 100)
                            + " to "
                            + Format.signed(metric.relativeHigh() * 100)
                            + "%)";
        }
        return text;
    }
}
