package io.hilal.core.catalog;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/**
 * A price as a customer reads it in their language and region (CLDR, through the JDK): "$12.50" in
 * en-US, "12,50 €" in de-DE, "١٢٫٥٠ ر.س.‏" in ar-SA, "SAR 12.50" in en-GB. Amounts keep the
 * currency's usual decimals (none for yen, three for dinars).
 */
public final class PriceFormat {
    private PriceFormat() {}

    /** Null when either the amount or the currency is unknown, or the currency is not ISO 4217. */
    public static String format(BigDecimal amount, String currency, Locale locale) {
        if (amount == null || currency == null) {
            return null;
        }
        Currency unit;
        try {
            unit = Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // Created per call: NumberFormat is not thread-safe, and the JDK clones a cached one.
        NumberFormat format = NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(unit);
        int digits = Math.max(0, unit.getDefaultFractionDigits());
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        String symbol = format.getCurrency().getSymbol(locale);
        return spaced(format.format(amount), symbol);
    }

    /**
     * CLDR's currency spacing, which the JDK leaves out: a symbol that ends (or starts) with a
     * letter is kept apart from the digits by a no-break space, "SAR 12.50" and not "SAR12.50";
     * "$12.50" and "￥1,200" stay as they are.
     */
    private static String spaced(String written, String symbol) {
        if (symbol.isEmpty()) {
            return written;
        }
        if (written.startsWith(symbol)
                && written.length() > symbol.length()
                && apart(symbol.codePointBefore(symbol.length()))
                && Character.isDigit(written.codePointAt(symbol.length()))) {
            return symbol + '\u00a0' + written.substring(symbol.length());
        }
        int at = written.length() - symbol.length();
        if (written.endsWith(symbol)
                && at > 0
                && apart(symbol.codePointAt(0))
                && Character.isDigit(written.codePointBefore(at))) {
            return written.substring(0, at) + '\u00a0' + symbol;
        }
        return written;
    }

    /** CLDR's currencyMatch: neither a symbol (such as $ or ￥) nor a space. */
    private static boolean apart(int codePoint) {
        int type = Character.getType(codePoint);
        return type != Character.CURRENCY_SYMBOL
                && type != Character.MATH_SYMBOL
                && type != Character.MODIFIER_SYMBOL
                && type != Character.OTHER_SYMBOL
                && !Character.isSpaceChar(codePoint);
    }
}
