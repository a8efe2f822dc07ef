package io.hilal.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceFormatTest {
    /** CLDR's spaces are no-break spaces; the table writes them as '_'. */
    @ParameterizedTest(name = "{0} {1} in {2} -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "12.5   | USD | en-US | $12.50",
                "12.5   | GBP | en-GB | £12.50",
                "12.5   | EUR | de-DE | 12,50_€",
                "1234.5 | EUR | fr-FR | 1 234,50_€",
                "12.5   | SAR | en    | SAR_12.50",
                "12.5   | SAR | en-GB | SAR_12.50",
                "12.5   | CHF | en-US | CHF_12.50",
                "12.5   | USD | en-GB | US$12.50",
                "12.5   | SAR | ar-SA | ١٢٫٥٠_ر.س.\u200f",
                "1200   | JPY | ja-JP | ￥1,200",
                "3.125  | KWD | en-KW | KWD_3.125",
                "0.499  | USD | en-US | $0.50",
            })
    void writesThePriceAsTheCustomersLocaleDoes(
            String amount, String currency, String locale, String written) {
        assertThat(
                        PriceFormat.format(
                                new BigDecimal(amount), currency, Locale.forLanguageTag(locale)))
                .isEqualTo(written.replace('_', '\u00a0').replace(" 234", "\u202f234"));
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "none",
            value = {"none, USD", "12.5, none", "12.5, XYZ"})
    void writesNothingWithoutAnAmountAndAKnownCurrency(String amount, String currency) {
        assertThat(
                        PriceFormat.format(
                                amount == null ? null : new BigDecimal(amount),
                                currency,
                                Locale.US))
                .isNull();
    }
}
