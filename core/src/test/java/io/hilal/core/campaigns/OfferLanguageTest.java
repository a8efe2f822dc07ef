package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OfferLanguageTest {
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Hello! Time to restock | false",
                "حان وقت التزود | true",
                "שלום | true",
                "EID10: عيد مبارك | false",
                "١٢٫٥٠ عيد مبارك | true",
                "10% — Eid | false",
                "'' | true",
                "12.50 ! | true",
            })
    void theOffersOwnWordsSayWhetherItIsWrittenRightToLeft(String text, boolean rightToLeft) {
        assertThat(OfferRenderer.writtenRightToLeft(text)).isEqualTo(rightToLeft);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "<p>x</p> | ar | <!doctype html><html lang=\"ar\" dir=\"rtl\"><head><meta"
                        + " charset=\"utf-8\"></head><body><p>x</p></body></html>",
                "<html><body>x</body></html> | ar-SA | <html lang=\"ar-SA\" dir=\"rtl\"><body>x</body></html>",
                "<HTML lang=\"ar\"><body>x</body></HTML> | ar-EG | <html dir=\"rtl\" lang=\"ar\"><body>x</body></HTML>",
                "<html dir=\"ltr\"><body>x</body></html> | he | <html lang=\"he\" dir=\"ltr\"><body>x</body></html>",
                "<html><body>x</body></html> | fr-FR | <html lang=\"fr-FR\" dir=\"ltr\"><body>x</body></html>",
            })
    void putsTheLanguageAndDirectionOnTheHtmlElement(String html, String tag, String expected) {
        assertThat(OfferRenderer.withLanguage(html, Locale.forLanguageTag(tag)))
                .isEqualTo(expected);
    }

    @Test
    void templatesSeeTheFirstNameAndPlainAttributesOnly() {
        Map<String, Object> customer =
                OfferRenderer.customer(
                        "c-1",
                        "c1@example.invalid",
                        new OfferRenderer.Personal(
                                "ar",
                                Map.of(
                                        "first_name",
                                        "Amina\nBcc: x",
                                        "tier",
                                        "gold",
                                        "visits",
                                        7,
                                        "vip",
                                        true,
                                        "address",
                                        Map.of("city", "Riyadh"),
                                        "tags",
                                        List.of("a"))));
        assertThat(customer)
                .containsEntry("id", "c-1")
                .containsEntry("email", "c1@example.invalid")
                .containsEntry("firstName", "Amina Bcc: x");
        assertThat(customer.get("attributes"))
                .isEqualTo(
                        Map.of(
                                "first_name",
                                "Amina\nBcc: x",
                                "tier",
                                "gold",
                                "visits",
                                7,
                                "vip",
                                true));
    }

    @ParameterizedTest
    @CsvSource({
        "ar, true",
        "ar-SA, true",
        "zh-Hant-TW, true",
        "'', false",
        "arabic!, false",
        "1a, false"
    })
    void aVariantsKeyIsALanguageTag(String tag, boolean valid) {
        assertThat(OfferRenderer.isLanguageTag(tag)).isEqualTo(valid);
    }
}
