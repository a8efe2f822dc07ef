package io.hilal.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the coverage-guided fuzz run of ingest ({@code bench/run IngestFuzz}) found, replayed over
 * real HTTP: each input must get a 400 problem and store nothing.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class IngestFuzzFindingsIT {
    static final String URL = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app(URL);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String EVENT =
            "{\"events\": [{\"messageId\": \"m-1\", \"type\": \"product_viewed\","
                    + " \"customerId\": \"c-1\", \"productId\": \"p-1\"}]}";

    static String tenantId;
    static String key;
    static TenantRows rows;

    @BeforeAll
    static void tenant() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "fuzzed");
        tenantId = tenant[0];
        key = tenant[1];
        rows = new TenantRows(URL);
    }

    @AfterAll
    static void close() throws Exception {
        rows.close();
    }

    static Stream<Arguments> findings() {
        return Stream.of(
                // Found by IngestFuzz: a body starting with NULs is read as UTF-32 by Jackson's
                // encoding detection, whose decoder threw CharConversionException: a 500.
                Arguments.of("POST", "/v1/events", withNuls(75, " \"o-1\"}]}")),
                Arguments.of("POST", "/v1/events", withNuls(3, EVENT)),
                Arguments.of("PUT", "/v1/customers/c-1", withNuls(3, "{\"email\": \"a@b.co\"}")),
                Arguments.of("POST", "/segment/v1/batch", withNuls(3, "{\"batch\": []}")),
                Arguments.of("POST", "/segment/v1/track", withNuls(3, "{\"userId\": \"c-1\"}")));
    }

    @ParameterizedTest
    @MethodSource("findings")
    void answersBadRequestAndStoresNothing(String method, String path, byte[] body) {
        String before = rows.of(tenantId, Set.of());
        HttpResponse<String> reply = send(method, path, body);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
        assertThat(reply.headers().firstValue("Content-Type"))
                .hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(reply.body()).contains("\"code\":\"malformed_json\"");
        assertThat(rows.of(tenantId, Set.of())).isEqualTo(before);
    }

    private static byte[] withNuls(int count, String json) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[count + text.length];
        System.arraycopy(text, 0, body, count, text.length);
        return body;
    }

    private static HttpResponse<String> send(String method, String path, byte[] body) {
        String authorization =
                path.startsWith("/segment/")
                        ? "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (key + ":").getBytes(StandardCharsets.UTF_8))
                        : "Bearer " + key;
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
