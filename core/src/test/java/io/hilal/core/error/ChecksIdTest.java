package io.hilal.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which client ids are accepted: the ones a URL path segment carries unchanged and readably. */
class ChecksIdTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "cust-1|true",
                "order_2026.01|true",
                "عميل-٧|true",
                "mañana@example|true",
                "emoji-\uD83D\uDE00|true",
                "a b|true",
                "a/b|false",
                "a%2Fb|false",
                "100%|false",
                "a\\b|false",
                "a\u0000b|false",
                "a\u007Fb|false",
                "a\u0085b|false",
                "evil\u202Egnp.exe|false",
                "a\u202Ab|false",
                "a\u2066b|false",
                "a\u200Bb|false",
                "a\u200Fb|false",
                "a\uFEFFb|false",
                "a\u2028b|false",
                "a\uE000b|false",
            })
    void acceptsOnlyIdsAUrlCanCarry(String id, boolean accepted) {
        assertThat(new Checks().id("id", id, true).ok()).isEqualTo(accepted);
    }

    @ParameterizedTest
    @CsvSource({"' a'", "'a '"})
    void refusesSurroundingWhiteSpace(String id) {
        assertThat(new Checks().id("id", id, true).errors())
                .singleElement()
                .satisfies(error -> assertThat(error.field()).isEqualTo("id"));
    }
}
