package io.hilal.service.dashboard.charts;

import java.util.Locale;

/** How the charts and their tables write rates and differences, so both read the same. */
public final class Format {
    private Format() {}

    /** A share as a percentage with one decimal: 0.1234 → "12.3%". */
    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** A difference in percentage points with a sign: 1.25 → "+1.3 pp". */
    public static String points(double points) {
        return signed(points) + " pp";
    }

    /** A number with one decimal and a sign (a true minus sign for negatives). */
    public static String signed(double value) {
        double rounded = Math.round(value * 10) / 10.0;
        if (rounded == 0) {
            return "0";
        }
        String text = String.format(Locale.ROOT, "%.1f", Math.abs(rounded));
        text = text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
        return (rounded > 0 ? "+" : "\u2212") + text;
    }
}
