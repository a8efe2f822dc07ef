package io.hilal.core.lift;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Lift reports as CSV for spreadsheets: one row per metric of a report (the CUPED headline and the
 * unadjusted estimate, then incremental revenue), or one row per stored report's headlines for the
 * lift over time. A "not enough data" report is one row with its status and no numbers.
 */
public final class LiftCsv {
    private LiftCsv() {}

    public static String report(LiftReport report) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv =
                new CSVPrinter(
                        out,
                        CSVFormat.DEFAULT
                                .builder()
                                .setHeader(
                                        "campaign_id",
                                        "window_days",
                                        "computed_at",
                                        "status",
                                        "metric",
                                        "adjustment",
                                        "treated_customers",
                                        "holdout_customers",
                                        "treated",
                                        "holdout",
                                        "difference",
                                        "low",
                                        "high",
                                        "p_value",
                                        "relative",
                                        "relative_low",
                                        "relative_high",
                                        "variance_reduction",
                                        "minimum_detectable_effect",
                                        "sample_ratio_p_value",
                                        "sample_ratio_mismatch",
                                        "look",
                                        "interval_confidence",
                                        "role",
                                        "adjusted_p_value",
                                        "data_cutoff",
                                        "verdict")
                                .build())) {
            LiftReport.Metrics metrics = report.metrics();
            if (metrics == null) {
                List<Object> row = prefix(report, "", "");
                row.addAll(java.util.Collections.nCopies(13, ""));
                row.addAll(suffix(report, "", null));
                csv.printRecord(row);
            } else {
                metric(csv, report, "repeat_purchase_rate", metrics.repeatPurchaseRate());
                metric(csv, report, "orders_per_customer", metrics.ordersPerCustomer());
                metric(csv, report, "revenue_per_customer", metrics.revenuePerCustomer());
                LiftReport.Incremental inc = report.incrementalRevenue();
                List<Object> row = prefix(report, "incremental_revenue", "cuped");
                row.addAll(
                        List.of(
                                "",
                                "",
                                inc.estimate(),
                                inc.low(),
                                inc.high(),
                                "",
                                "",
                                "",
                                "",
                                "",
                                ""));
                row.addAll(sampleRatio(report));
                row.addAll(suffix(report, "secondary", null));
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void metric(
            CSVPrinter csv, LiftReport report, String name, LiftReport.Metric metric)
            throws IOException {
        List<Object> cuped = prefix(report, name, "cuped");
        cuped.addAll(
                values(
                        metric.treated(),
                        metric.holdout(),
                        metric.difference(),
                        metric.low(),
                        metric.high(),
                        metric.pValue(),
                        metric.relative(),
                        metric.relativeLow(),
                        metric.relativeHigh()));
        cuped.add(metric.varianceReduction());
        cuped.add(metric.minimumDetectableEffect());
        cuped.addAll(sampleRatio(report));
        cuped.addAll(suffix(report, metric.role(), metric.adjustedPValue()));
        csv.printRecord(cuped);
        LiftReport.Interval raw = metric.unadjusted();
        List<Object> unadjusted = prefix(report, name, "none");
        unadjusted.addAll(
                values(
                        raw.treated(),
                        raw.holdout(),
                        raw.difference(),
                        raw.low(),
                        raw.high(),
                        raw.pValue(),
                        raw.relative(),
                        raw.relativeLow(),
                        raw.relativeHigh()));
        unadjusted.add("");
        unadjusted.add("");
        unadjusted.addAll(sampleRatio(report));
        unadjusted.addAll(suffix(report, metric.role(), null));
        csv.printRecord(unadjusted);
    }

    private static List<Object> values(Object... values) {
        List<Object> list = new java.util.ArrayList<>();
        for (Object value : values) {
            list.add(value == null ? "" : value);
        }
        return list;
    }

    private static List<Object> prefix(LiftReport report, String metric, String adjustment) {
        return new java.util.ArrayList<>(
                List.of(
                        report.campaignId(),
                        report.windowDays(),
                        report.computedAt().toString(),
                        report.status().name(),
                        metric,
                        adjustment,
                        report.assignment().treatedCustomers(),
                        report.assignment().holdoutCustomers()));
    }

    /** Which look, the confidence of its intervals, the metric's role, and the verdict. */
    private static List<Object> suffix(LiftReport report, String role, Double adjustedPValue) {
        LiftReport.LookInfo look = report.look();
        return values(
                look == null
                        ? ""
                        : look.interim()
                                ? "INTERIM day " + look.day() + " of " + look.ofDays()
                                : "FINAL",
                look == null ? report.confidence() : look.intervalConfidence(),
                role == null ? "" : role,
                adjustedPValue,
                report.dataCutoff() == null ? "" : report.dataCutoff().toString(),
                LiftVerdict.of(report));
    }

    private static List<Object> sampleRatio(LiftReport report) {
        Double p = report.sampleRatio().pValue();
        return List.of(p == null ? "" : p, report.sampleRatio().mismatch());
    }

    /** One row per stored report: the lift of each campaign and window over time. */
    public static String history(List<LiftSummary> summaries) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv =
                new CSVPrinter(
                        out,
                        CSVFormat.DEFAULT
                                .builder()
                                .setHeader(
                                        "campaign_id",
                                        "window_days",
                                        "computed_at",
                                        "status",
                                        "treated_customers",
                                        "holdout_customers",
                                        "repeat_rate_difference",
                                        "repeat_rate_low",
                                        "repeat_rate_high",
                                        "repeat_rate_p_value",
                                        "orders_difference",
                                        "orders_low",
                                        "orders_high",
                                        "orders_p_value",
                                        "revenue_difference",
                                        "revenue_low",
                                        "revenue_high",
                                        "revenue_p_value",
                                        "incremental_revenue",
                                        "incremental_revenue_low",
                                        "incremental_revenue_high",
                                        "sample_ratio_mismatch")
                                .build())) {
            for (LiftSummary s : summaries) {
                List<Object> row =
                        new java.util.ArrayList<>(
                                List.of(
                                        s.campaignId(),
                                        s.windowDays(),
                                        s.computedAt().toString(),
                                        s.status().name(),
                                        s.treatedCustomers(),
                                        s.holdoutCustomers()));
                headline(row, s.repeatPurchaseRate(), true);
                headline(row, s.ordersPerCustomer(), true);
                headline(row, s.revenuePerCustomer(), true);
                headline(row, s.incrementalRevenue(), false);
                row.add(s.sampleRatioMismatch());
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void headline(List<Object> row, LiftSummary.Headline h, boolean withPValue) {
        if (h == null) {
            row.addAll(withPValue ? List.of("", "", "", "") : List.of("", "", ""));
            return;
        }
        row.addAll(values(h.difference(), h.low(), h.high()));
        if (withPValue) {
            row.add(h.pValue() == null ? "" : h.pValue());
        }
    }
}
