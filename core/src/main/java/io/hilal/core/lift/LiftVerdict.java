package io.hilal.core.lift;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a lift report means, in words, written here only: the one-sentence verdict, the status
 * badge, the name of the interval shown, the status detail, what the look means for peeking, and
 * why there is not enough data yet (and the minimums a campaign's preview warns about). The
 * dashboard, the API ({@link LiftReport#verdict}, {@link LiftReport#statusDetail}, the peeking
 * note), the CSV and the campaign preview all show this text. The verdict follows the statistic
 * shown: it says the campaign raised (or lowered) repeat purchases only when the interval of the
 * primary metric, as shown for this look, lies above (or below) zero; it names the look (interim
 * day k of N, with an always-valid interval, or final); and it mentions a secondary metric only
 * when its multiplicity-adjusted p-value claims an effect.
 */
public final class LiftVerdict {
    private static final String NOT_ENOUGH_DATA = "Not enough data yet";

    private LiftVerdict() {}

    /** The verdict of a report (one computed before looks were recorded reads as a single look). */
    public static String of(LiftReport report) {
        if (report.metrics() == null) {
            return report.statusDetail();
        }
        LiftReport.Metric repeat = report.metrics().repeatPurchaseRate();
        String interval =
                intervalLabel(report)
                        + " ("
                        + points(repeat.low())
                        + " to "
                        + points(repeat.high())
                        + " pp)";
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

    /** The report's status as its badge says it: "Final", "Interim" or "Not enough data yet". */
    public static String headline(LiftReport report) {
        return switch (report.status()) {
            case FINAL -> "Final";
            case INTERIM -> "Interim";
            case NOT_ENOUGH_DATA -> NOT_ENOUGH_DATA;
        };
    }

    /**
     * The name of the interval the report shows: "99% always-valid interval" at an interim look,
     * "96% interval" at the final one (a report computed before looks were recorded: its own
     * confidence).
     */
    public static String intervalLabel(LiftReport report) {
        double confidence =
                report.look() == null ? report.confidence() : report.look().intervalConfidence();
        return percent(confidence)
                + "% "
                + (report.look() != null && report.look().interim() ? "always-valid " : "")
                + "interval";
    }

    /**
     * The report's status in a sentence: why there is not enough data yet ({@code tooFew}, from
     * {@link #tooFewCustomers} or {@link #tooFewBuyers}), which interim look it is and when its
     * window closes, or that it is final and up to when purchases count.
     */
    static String statusDetail(
            LiftReport.Status status,
            String tooFew,
            Look look,
            Instant closesAt,
            Instant dataCutoff,
            int lateDataDays) {
        return switch (status) {
            case NOT_ENOUGH_DATA -> NOT_ENOUGH_DATA + ". " + tooFew;
            case INTERIM ->
                    "Interim look, day "
                            + look.day()
                            + " of "
                            + look.ofDays()
                            + "; the window closes at "
                            + closesAt
                            + ".";
            case FINAL ->
                    "Final: every customer's window has closed; purchases up to "
                            + dataCutoff
                            + " count (recomputed if late ones arrive within "
                            + lateDataDays
                            + " days).";
        };
    }

    /**
     * What the look means for the interval shown: at the final look, the fixed-horizon interval at
     * the error the interim looks did not spend; at an interim one, an always-valid interval that
     * may be looked at daily until {@code closesAt}.
     */
    static String peeking(
            boolean closed, Instant closesAt, double confidence, double interimAlpha) {
        String overall = percent(1 - confidence) + "%";
        if (closed) {
            return "Final look, after every window closed: a fixed-horizon interval at "
                    + percent(1 - confidence - interimAlpha)
                    + "% error, the part of the "
                    + overall
                    + " the interim looks did not spend; over all looks together, an"
                    + " effect is claimed by chance at most "
                    + overall
                    + " of the time.";
        }
        return "Interim look: the window is open until "
                + closesAt
                + " and the report is recomputed daily. Its intervals are always-valid"
                + " (a confidence sequence at "
                + percent(interimAlpha)
                + "% error): they stay valid however often you look, so acting on the"
                + " first one that excludes 0 is safe; they are wider than the final"
                + " report's.";
    }

    /** Why a report has no numbers: an arm has fewer customers than {@code minimum}. */
    static String tooFewCustomers(int minimum, long treated, long holdout) {
        return "Each arm needs at least "
                + minimum
                + " customers; treated has "
                + treated
                + ", holdout "
                + holdout
                + ".";
    }

    /** Why a report has no numbers: an arm has fewer buyers in the window than {@code minimum}. */
    static String tooFewBuyers(int minimum, long treatedBuyers, long holdoutBuyers) {
        return "Each arm needs at least "
                + minimum
                + " customers who ordered in the window; treated has "
                + treatedBuyers
                + ", holdout "
                + holdoutBuyers
                + ".";
    }

    /**
     * Why a report has no numbers, as its status says it: {@code tooFew}, and when the holdout has
     * fewer customers in all than an arm needs ({@code plannedHoldout}, sends still to come
     * included), where a shop this small finds its answer instead: the program holdout, which
     * measures every campaign and journey together over time. A campaign's holdout is fixed at its
     * launch, so it can never answer on its own; a journey's grows as customers enter.
     */
    static String notEnoughData(String tooFew, int minimum, long plannedHoldout, boolean journey) {
        if (plannedHoldout >= minimum) {
            return tooFew;
        }
        return tooFew
                + (journey
                        ? " This journey has held out " + plannedHoldout + " customers so far. "
                        : " This campaign holds out "
                                + plannedHoldout
                                + " customers in all, so it cannot answer on its own however"
                                + " long it runs. ")
                + programInstead();
    }

    /**
     * Where a shop too small for a campaign's own lift finds its answer: the program holdout. A
     * campaign's report and the studio's outlook both say it.
     */
    public static String programInstead() {
        return "The program holdout answers for the shop's whole email program over time: set"
                + " one with PUT /v1/program-holdout and read GET /v1/program-holdout/report or"
                + " the dashboard's Lift page.";
    }

    /** A secondary metric's claimed effect: its direction and multiplicity-adjusted p-value. */
    public record Claim(boolean rose, double adjustedPValue) {}

    /** The program report of a shop that keeps no program holdout. */
    public static String programOff() {
        return "No program holdout: set one (PUT /v1/program-holdout) to measure the whole email"
                + " program.";
    }

    /** Why a point of the program report has no numbers: the shop has no customers yet. */
    public static String noCustomers() {
        return "The shop has no customers yet.";
    }

    /**
     * Why a point of the program report has no numbers, in the words of the program's groups (as
     * the Lift page names them: who may be emailed, and the program holdout): too few customers in
     * a group ({@code minCustomers}), else too few of them ordered since the holdout started
     * ({@code minBuyers}).
     */
    public static String programTooFew(
            int minCustomers,
            int minBuyers,
            long emailed,
            long held,
            long emailedBuyers,
            long heldBuyers) {
        if (emailed < minCustomers || held < minCustomers) {
            return "Each group needs at least "
                    + minCustomers
                    + " customers; may be emailed has "
                    + emailed
                    + ", program holdout "
                    + held
                    + ".";
        }
        return "Each group needs at least "
                + minBuyers
                + " customers who ordered since the program holdout started; may be emailed has "
                + emailedBuyers
                + ", program holdout "
                + heldBuyers
                + ".";
    }

    /** The program report's verdict while a group is short of the minimums ({@code tooFew}). */
    public static String programNotEnoughData(String tooFew) {
        return NOT_ENOUGH_DATA + " for the email program as a whole. " + tooFew;
    }

    /**
     * The program report's verdict, on its primary metric as a campaign's is (the share of
     * customers who ordered since the holdout started, {@code low} to {@code high} at {@code
     * confidence}, always-valid), naming a secondary metric only when its adjusted p-value claims
     * an effect ({@code ordersClaim}, {@code revenueClaim}: null when it does not).
     */
    public static String program(
            int days,
            double confidence,
            double low,
            double high,
            Claim ordersClaim,
            Claim revenueClaim) {
        String interval =
                percent(confidence)
                        + "% always-valid interval ("
                        + points(low)
                        + " to "
                        + points(high)
                        + " pp)";
        StringBuilder text = new StringBuilder("Over ").append(days).append(" days, ");
        if (low > 0) {
            text.append("the email program raised the share of customers who ordered: the ")
                    .append(interval)
                    .append(" lies above zero.");
        } else if (high < 0) {
            text.append("the email program lowered the share of customers who ordered: the ")
                    .append(interval)
                    .append(" lies below zero.");
        } else {
            text.append("no clear effect of the email program on the share of customers who")
                    .append(" ordered: the ")
                    .append(interval)
                    .append(" includes zero.");
        }
        List<String> secondary = new ArrayList<>();
        programClaim(secondary, "orders per customer", ordersClaim);
        programClaim(secondary, "revenue per customer", revenueClaim);
        if (!secondary.isEmpty()) {
            text.append(" Secondary: ").append(String.join("; ", secondary)).append('.');
        }
        return text.append(
                        " The program holdout never ends: every look is interim, and the interval"
                                + " stays valid however often you look.")
                .toString();
    }

    private static void programClaim(List<String> claims, String name, Claim claim) {
        if (claim != null) {
            claims.add(
                    String.format(
                            Locale.ROOT,
                            "%s %s (adjusted p = %s)",
                            name,
                            claim.rose() ? "rose" : "fell",
                            pValue(claim.adjustedPValue())));
        }
    }

    /** Why an offer variant has no lift: too few customers were sent it, or held out. */
    static String tooFewVariantCustomers(int minimum, long sent, long holdout) {
        return "Needs at least "
                + minimum
                + " customers sent this variant and held out; has "
                + sent
                + " and "
                + holdout
                + ".";
    }

    /** Why an offer variant has no lift: too few of its or the holdout's customers ordered. */
    static String tooFewVariantBuyers(int minimum, long buyers, long holdoutBuyers) {
        return "Needs at least "
                + minimum
                + " customers who ordered in the window, sent this variant and held out; has "
                + buyers
                + " and "
                + holdoutBuyers
                + ".";
    }

    /**
     * What a report needs before it can say anything, as a campaign's preview warns about it: "it
     * needs 100 customers and 10 buyers in each group".
     */
    public static String minimums(int customersPerArm, int buyersPerArm) {
        return "it needs "
                + customersPerArm
                + " customers and "
                + buyersPerArm
                + " buyers in each group";
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
