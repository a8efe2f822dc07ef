package io.hilal.service.dashboard;

import io.hilal.core.campaigns.sending.SendState;
import java.text.NumberFormat;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the dashboard's pages write counts, times, p-values and signed amounts. */
final class Text {
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
                    .withZone(ZoneOffset.UTC);

    private Text() {}

    /** A count with thousands separators: 12345 → "12,345". */
    static String count(long value) {
        return NumberFormat.getIntegerInstance(Locale.UK).format(value);
    }

    static String pValue(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    /** An amount with a sign and two decimals, and its currency when there is one. */
    static String money(double amount, String currency) {
        return signed(amount, 2) + (currency.isEmpty() ? "" : " " + currency);
    }

    /** A signed number with a fixed number of decimals (a true minus sign for negatives). */
    static String signed(double value, int decimals) {
        String text = String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(value));
        if (text.matches("[0.]+")) {
            return text;
        }
        return (value > 0 ? "+" : "\u2212") + text;
    }

    /** A ledger state as a column title: UNKNOWN_INFLIGHT → "Unknown inflight". */
    static String label(SendState state) {
        String words = state.name().replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
