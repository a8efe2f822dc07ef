package io.hilal.service.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error path answers RFC 9457 problem+json with a stable code, and changes nothing. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErrorsIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    static String key;
    static String readOnlyKey;

    @BeforeAll
    static void tenant() {
        key = Api.newTenant(APP.getLocalPort(), "errors")[1];
        readOnlyKey =
                new Api(APP.getLocalPort(), key)
                        .post("/v1/api-keys", "{\"scopes\": [\"read\"]}")
                        .json()
                        .get("apiKey")
                        .asText();
    }

    static final String GOOD_EVENT =
            "{\"messageId\": \"e1\", \"type\": \"search\", \"customerId\": \"c\", \"query\": \"dates\"}";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "malformed JSON",
                        "key",
                        "POST",
                        "/v1/events",
                        "{\"events\": [",
                        "application/json",
                        400,
                        "malformed_json"),
                Arguments.of(
                        "not JSON at all",
                        "key",
                        "POST",
                        "/v1/events",
                        "hello",
                        "application/json",
                        400,
                        "malformed_json"),
                Arguments.of(
                        "unknown top-level field",
                        "key",
                        "POST",
                        "/v1/events",
                        "{\"events\": [" + GOOD_EVENT + "], \"extra\": 1}",
                        "application/json",
                        400,
                        "unknown_field"),
                Arguments.of(
                        "wrongly typed field",
                        "key",
                        "PUT",
                        "/v1/products/p1",
                        "{\"title\": \"Dates\", \"price\": \"cheap\"}",
                        "application/json",
                        400,
                        "invalid_field_type"),
                Arguments.of(
                        "number for text",
                        "key",
                        "PUT",
                        "/v1/customers/c1",
                        "{\"email\": 42}",
                        "application/json",
                        400,
                        "invalid_field_type"),
                Arguments.of(
                        "unknown field on an upsert",
                        "key",
                        "PUT",
                        "/v1/customers/c1",
                        "{\"emial\": \"a@b.co\"}",
                        "application/json",
                        400,
                        "unknown_field"),
                Arguments.of(
                        "invalid values",
                        "key",
                        "PUT",
                        "/v1/customers/c1",
                        "{\"email\": \"nope\", \"timeZone\": \"Mars/Base\"}",
                        "application/json",
                        422,
                        "validation_failed"),
                Arguments.of(
                        "empty batch",
                        "key",
                        "POST",
                        "/v1/events",
                        "{\"events\": []}",
                        "application/json",
                        422,
                        "validation_failed"),
                Arguments.of(
                        "missing body",
                        "key",
                        "POST",
                        "/v1/events",
                        null,
                        "application/json",
                        422,
                        "validation_failed"),
                Arguments.of(
                        "wrong content type",
                        "key",
                        "POST",
                        "/v1/events",
                        "events",
                        "text/plain",
                        415,
                        "unsupported_media_type"),
                Arguments.of(
                        "no API key",
                        "none",
                        "POST",
                        "/v1/events",
                        "{\"events\": [" + GOOD_EVENT + "]}",
                        "application/json",
                        401,
                        "unauthorized"),
                Arguments.of(
                        "unknown API key",
                        "bogus",
                        "POST",
                        "/v1/events",
                        "{\"events\": [" + GOOD_EVENT + "]}",
                        "application/json",
                        401,
                        "unauthorized"),
                Arguments.of(
                        "key without the scope",
                        "read",
                        "POST",
                        "/v1/events",
                        "{\"events\": [" + GOOD_EVENT + "]}",
                        "application/json",
                        403,
                        "insufficient_scope"),
                Arguments.of(
                        "unknown route",
                        "key",
                        "GET",
                        "/v1/nothing-here",
                        null,
                        null,
                        404,
                        "not_found"),
                Arguments.of(
                        "unknown route outside the API",
                        "key",
                        "GET",
                        "/favicon.ico.php",
                        null,
                        null,
                        404,
                        "not_found"),
                Arguments.of(
                        "wrong method",
                        "key",
                        "DELETE",
                        "/v1/events",
                        null,
                        null,
                        405,
                        "method_not_allowed"),
                Arguments.of(
                        "unknown customer",
                        "key",
                        "GET",
                        "/v1/customers/ghost",
                        null,
                        null,
                        404,
                        "not_found"),
                Arguments.of(
                        "bad cursor",
                        "key",
                        "GET",
                        "/v1/products?cursor=%25%25",
                        null,
                        null,
                        400,
                        "invalid_cursor"),
                Arguments.of(
                        "bad limit",
                        "key",
                        "GET",
                        "/v1/products?limit=ten",
                        null,
                        null,
                        400,
                        "invalid_parameter"),
                Arguments.of(
                        "oversize body",
                        "key",
                        "POST",
                        "/v1/events",
                        "{\"events\": [" + GOOD_EVENT + "]}" + " ".repeat(600_000),
                        "application/json",
                        413,
                        "payload_too_large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersProblemJsonAndChangesNothing(
            String name,
            String who,
            String method,
            String path,
            String body,
            String contentType,
            int status,
            String code) {
        String token =
                switch (who) {
                    case "key" -> key;
                    case "read" -> readOnlyKey;
                    case "bogus" -> "hk_live_0000000000000000_" + "0".repeat(64);
                    default -> null;
                };
        Api admin = new Api(APP.getLocalPort(), key);
        String before = admin.get("/v1/overview").body();

        Api.Reply reply = new Api(APP.getLocalPort(), token).send(method, path, body, contentType);

        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.json().get("code").asText()).isEqualTo(code);
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.json().get("title").asText()).isNotBlank();
        assertThat(reply.json().get("type").asText()).isEqualTo("/problems/" + code);
        assertThat(reply.json().get("retryable").asBoolean()).isFalse();
        assertThat(reply.json().get("requestId").asText()).isEqualTo(reply.header("X-Request-Id"));
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("<html");
        assertThat(admin.get("/v1/overview").body()).isEqualTo(before);
        assertThat(admin.get("/v1/customers/c1").status()).isEqualTo(404);
        assertThat(admin.get("/v1/products/p1").status()).isEqualTo(404);
    }
}
