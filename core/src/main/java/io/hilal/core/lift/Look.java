package io.hilal.core.lift;

/**
 * Which look at a campaign a report is, and so which interval it may show. The overall error rate α
 * (5% for 95% reports) is split in two, as in Eppo's "sequential hybrid" and in Haybittle–Peto
 * designs: interim looks, while any customer's window is open, use an always-valid {@link
 * ConfidenceSequence} at {@code interimAlpha} (1% by default), so looking every day cannot inflate
 * false claims; the final look, after every window closed, uses the ordinary fixed-horizon interval
 * at the rest, α − interimAlpha (4%). By the union bound, the chance that any look of an A/A
 * campaign claims an effect is at most α.
 *
 * <p>Reported p-values are put on the α scale ({@code p · α / lookAlpha}, at most 1), so a claim
 * always means "p ≤ 0.05" and the interval shown excludes 0 exactly then. {@link #fixedHorizon} is
 * the plain single-look interval, used when a caller looks once (and by the A/A validation of the
 * interval methods themselves).
 */
public record Look(
        Kind kind, int day, int ofDays, double alpha, double overallAlpha, double tuningN) {
    /** Interim (sequential), final (fixed-horizon at the remaining error), or a single look. */
    public enum Kind {
        INTERIM,
        FINAL,
        FIXED_HORIZON
    }

    public Look {
        if (!(alpha > 0 && alpha <= overallAlpha && overallAlpha < 1)) {
            throw new IllegalArgumentException("need 0 < alpha <= overallAlpha < 1");
        }
    }

    /** One look at {@code confidence}, nothing spent elsewhere. */
    public static Look fixedHorizon(double confidence) {
        return new Look(Kind.FIXED_HORIZON, 0, 0, 1 - confidence, 1 - confidence, 1);
    }

    /**
     * Day {@code day} of an open {@code ofDays}-day window; the sequence is tuned to be narrowest
     * at {@code plannedCustomers} (the campaign's whole assigned audience).
     */
    public static Look interim(
            int day, int ofDays, double confidence, double interimAlpha, long plannedCustomers) {
        return new Look(
                Kind.INTERIM,
                day,
                ofDays,
                interimAlpha,
                1 - confidence,
                Math.max(1, plannedCustomers));
    }

    /** After every window closed: fixed-horizon at what the interim looks did not spend. */
    public static Look finalLook(int ofDays, double confidence, double interimAlpha) {
        return new Look(
                Kind.FINAL, ofDays, ofDays, 1 - confidence - interimAlpha, 1 - confidence, 1);
    }

    public boolean sequential() {
        return kind == Kind.INTERIM;
    }

    /** The confidence of the interval this look shows (e.g. 0.99 interim, 0.96 final). */
    public double intervalConfidence() {
        return 1 - alpha;
    }

    /** A p-value of this look's own test, on the α scale: a claim is {@code <= overallAlpha}. */
    public double onAlphaScale(double pValue) {
        return Math.min(1, pValue * overallAlpha / alpha);
    }
}
