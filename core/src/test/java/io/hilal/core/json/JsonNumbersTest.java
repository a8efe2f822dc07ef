package io.hilal.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hilal.core.error.BadRequestException;
import io.hilal.core.error.FieldError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonNumbersTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1.5|",
                "0.0|",
                "-0.0|",
                "0e-400|",
                "1e308|",
                "4.9e-324|",
                "1e-400|is too small (it would become 0)",
                "-2.5e-999|is too small (it would become 0)",
                "1e400|is too large (it would become Infinity)",
                "-1e309|is too large (it would become Infinity)",
            })
    void judgesEachLiteral(String literal, String expected) {
        assertThat(JsonNumbers.problem(literal).orElse(null)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"price\": 1e-400}|price",
                "{\"events\": [{\"properties\": {\"x\": 1e400}}]}|events[0].properties.x",
                "[1.0, 2e999]|[1]",
            })
    void namesTheField(String row) {
        String[] parts = row.split("\\|");
        BadRequestException error =
                catchThrowableOfType(
                        BadRequestException.class,
                        () ->
                                JsonNumbers.requireRepresentable(
                                        HilalJson.newMapper().getFactory(),
                                        parts[0].getBytes(StandardCharsets.UTF_8)));
        assertThat(error.code()).isEqualTo("number_out_of_range");
        assertThat(error.errors()).extracting(FieldError::field).containsExactly(parts[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": 1.25, \"b\": [1e10, -3]}", "{not json", "{\"a\":1,\"a\":2}"})
    void leavesOtherBodiesToTheParser(String body) {
        assertThatCode(
                        () ->
                                JsonNumbers.requireRepresentable(
                                        HilalJson.newMapper().getFactory(),
                                        body.getBytes(StandardCharsets.UTF_8)))
                .doesNotThrowAnyException();
    }
}
