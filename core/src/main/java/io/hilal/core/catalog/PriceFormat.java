package io.hilal.core.catalog;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/**
 * A price as a customer reads it in their language and region (CLDR, through the JDK): "$12.50" in
 * en-US, "12,50 €" in de-DE, "١٢٫٥٠ ر.س.‏" in ar-SA. Amounts keep the currency's usual decimals
 * (none for yen, three for dinars).
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
        return format.format(amount);
    }
}
