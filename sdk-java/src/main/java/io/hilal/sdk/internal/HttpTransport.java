package io.hilal.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.sdk.HilalException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP to Hilal with retries: I/O errors, 408, 429 and 5xx are retried with exponential backoff and
 * full jitter, honouring {@code Retry-After}; the request (body, idempotency key) is sent
 * byte-for-byte the same each time, so a retry never stores anything twice.
 */
public final class HttpTransport {
    private final HttpClient http;
    private final URI endpoint;
    private final String apiKey;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final ObjectMapper mapper;

    public HttpTransport(
            HttpClient http,
            URI endpoint,
            String apiKey,
            Duration timeout,
            int maxAttempts,
            Duration firstBackoff,
            Duration maxBackoff,
            ObjectMapper mapper) {
        this.http = http;
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.mapper = mapper;
    }

    /** Sends and returns the JSON answer (null for 204), or throws the typed error. */
    public JsonNode send(String method, String path, byte[] body, String idempotencyKey) {
        HilalException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(endpoint.resolve(path))
                            .timeout(timeout)
                            .header("Authorization", "Bearer " + apiKey)
                            .header("Accept", "application/json")
                            .header("User-Agent", "hilal-java/0.1")
                            .method(
                                    method,
                                    body == null
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            long retryAfterMillis = -1;
            try {
                HttpResponse<byte[]> response =
                        http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body().length == 0 ? null : mapper.readTree(response.body());
                }
                last = error(response);
                if (!(status == 408 || status == 429 || status >= 500)) {
                    throw last;
                }
                retryAfterMillis = retryAfter(response);
            } catch (IOException e) {
                last =
                        new HilalException.HilalConnectionException(
                                "Could not reach Hilal: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HilalException.HilalConnectionException("Interrupted", e);
            }
            if (attempt < maxAttempts) {
                pause(retryAfterMillis >= 0 ? retryAfterMillis : backoffMillis(attempt));
            }
        }
        throw last;
    }

    private long backoffMillis(int attempt) {
        long ceiling =
                Math.min(
                        maxBackoff.toMillis(),
                        firstBackoff.toMillis() << Math.min(20, attempt - 1));
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HilalException.HilalConnectionException("Interrupted", e);
        }
    }

    static long retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(value.strip())) * 1000;
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at =
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(), at).toMillis());
            } catch (RuntimeException unparsable) {
                return -1;
            }
        }
    }

    /** The typed exception for a problem+json answer (or any other error answer). */
    HilalException error(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String code = "http_" + status;
        String message = "HTTP " + status;
        String requestId = response.headers().firstValue("X-Request-Id").orElse(null);
        boolean retryable = status == 408 || status == 429 || status >= 500;
        List<HilalException.FieldError> errors = new ArrayList<>();
        try {
            JsonNode problem = mapper.readTree(response.body());
            if (problem != null && problem.isObject()) {
                code = problem.path("code").asText(code);
                message = problem.path("detail").asText(problem.path("title").asText(message));
                requestId = problem.path("requestId").asText(requestId);
                retryable = problem.path("retryable").asBoolean(retryable);
                for (JsonNode error : problem.path("errors")) {
                    errors.add(
                            new HilalException.FieldError(
                                    error.path("field").asText(), error.path("message").asText()));
                }
            }
        } catch (IOException notJson) {
            // keep the status-based defaults
        }
        return switch (status) {
            case 401 ->
                    new HilalException.AuthenticationException(
                            status, code, message, requestId, errors);
            case 403 ->
                    new HilalException.PermissionException(
                            status, code, message, requestId, errors);
            case 404 ->
                    new HilalException.NotFoundException(status, code, message, requestId, errors);
            case 429 ->
                    new HilalException.RateLimitException(
                            status,
                            code,
                            message,
                            requestId,
                            Math.max(0, retryAfter(response) / 1000));
            default ->
                    status >= 500
                            ? new HilalException.ServerException(
                                    status, code, message, requestId, retryable)
                            : new HilalException.InvalidRequestException(
                                    status, code, message, requestId, errors);
        };
    }
}
