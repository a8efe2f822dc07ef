package io.hilal.service.recommendations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.error.BadRequestException;
import io.hilal.service.recommendations.ItemFields.Field;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ItemFieldsTest {
    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" "})
    void everyFieldByDefault(String fields) {
        assertThat(ItemFields.parse(fields).fields()).isEqualTo(EnumSet.allOf(Field.class));
    }

    @ParameterizedTest(name = "fields={0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "id                 | ID",
                "productId          | ID",
                "title              | ID TITLE",
                "id,price           | ID PRICE",
                " id , imageUrl,url | ID IMAGE_URL URL",
                "score,reason,      | ID SCORE REASON",
                "title,title        | ID TITLE",
            })
    void keepsTheIdAndWhatIsAskedFor(String fields, String expected) {
        Set<Field> wanted =
                Stream.of(expected.split(" ")).map(Field::valueOf).collect(Collectors.toSet());

        assertThat(ItemFields.parse(fields).fields()).isEqualTo(wanted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"colour", "id,Title", "image_url", "id;title"})
    void refusesAFieldItDoesNotKnow(String fields) {
        assertThatThrownBy(() -> ItemFields.parse(fields))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("fields takes");
    }

    @ParameterizedTest(name = "locale={0}")
    @CsvSource({"ar-SA, ar-SA", "en, en", "de-DE, de-DE", "zh-Hant-TW, zh-Hant-TW"})
    void readsALanguageTag(String text, String tag) {
        assertThat(ItemFields.locale(text)).isEqualTo(Locale.forLanguageTag(tag));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ar_SA", "e", "<script>", "en-US-toolongsubtag"})
    void refusesWhatIsNotALanguageTag(String text) {
        assertThatThrownBy(() -> ItemFields.locale(text)).isInstanceOf(BadRequestException.class);
    }

    @org.junit.jupiter.api.Test
    void noLocaleWhenNoneIsGiven() {
        assertThat(ItemFields.locale(null)).isNull();
        assertThat(ItemFields.locale("")).isNull();
    }
}
