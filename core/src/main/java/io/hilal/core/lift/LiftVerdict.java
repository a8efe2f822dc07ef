package io.hilal.core.lift;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one sentence that says what a lift report means, written here only: the dashboard, the API
 * ({@link LiftReport#verdict}) and the CSV all show this text. It follows the statistic shown: it
 * says the campaign raised (or lowered) repeat purchases only when the interval of the primary
 * metric, as shown for this look, lies above (or below) zero; it names the look (interim day k of
 * N, with an always-valid interval, or final); and it mentions a secondary metric only when its
 * multiplicity-adjusted p-value claims an effect.
 */
public final class LiftVerdict {
    private LiftVerdict() {}

    /** The verdict of a report (one computed before looks were recorded reads as a single look). */
    public static String of(LiftReport report) {
        if (report.metrics() == null) {
            return report.statusDetail();
        }
        LiftReport.Metric repeat = report.metrics().repeatPurchaseRate();
        double confidence =
                report.look() == null ? report.confidence() : report.look().intervalConfidence();
        String interval =
                String.format(
                        Locale.ROOT,
                        "%s%% %sinterval (%s to %s pp)",
                        percent(confidence),
                        report.look() != null && report.look().interim() ? "always-valid " : "",
                        points(repeat.low()),
                        points(repeat.high()));
        StringBuilder text = new StringBuilder();
        if (repeat.low() > 0) {
            text.append("The campaign raised repeat purchases: the ")
                    .append(interval)
                    .append(" lies above zero.");
        } else if (repeat.high() < 0) {
            text.append("The campaign lowered repeat purchases: the ")
                    .append(interval)
                    .append(" lies below zero.");
        } else {
            text.append("No clear effect on repeat purchases: the ")
                    .append(interval)
                    .append(" includes zero.");
        }
        List<String> secondary = new ArrayList<>();
        claim(secondary, "orders per customer", report.metrics().ordersPerCustomer());
        claim(secondary, "revenue per customer", report.metrics().revenuePerCustomer());
        if (!secondary.isEmpty()) {
            text.append(" Secondary: ").append(String.join("; ", secondary)).append('.');
        }
        text.append(' ').append(look(report));
        return text.toString();
    }

    /** "Interim look, day 12 of 30: …" or "Final report …", for the look this report is. */
    public static String look(LiftReport report) {
        LiftReport.LookInfo look = report.look();
        if (look == null) {
            return report.status() == LiftReport.Status.INTERIM
                    ? "Interim look (computed before looks were corrected for peeking)."
                    : "Final report.";
        }
        if (look.interim()) {
            return "Interim look, day "
                    + look.day()
                    + " of "
                    + look.ofDays()
                    + ": the interval stays valid however often you look.";
        }
        return "Final report, after every customer's " + look.ofDays() + "-day window closed.";
    }

    private static void claim(List<String> claims, String name, LiftReport.Metric metric) {
        if (metric.adjustedPValue() != null && metric.claimsEffect()) {
            claims.add(
                    String.format(
                            Locale.ROOT,
                            "%s %s (adjusted p = %s)",
                            name,
                            metric.difference() > 0 ? "rose" : "fell",
                            pValue(metric.adjustedPValue())));
        }
    }

    private static String percent(double confidence) {
        double value = confidence * 100;
        return Math.abs(value - Math.rint(value)) < 1e-9
                ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String points(double difference) {
        return String.format(Locale.ROOT, "%+.1f", difference * 100);
    }

    private static String pValue(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }
}
