package io.hilal.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.sdk.HilalException;
import io.hilal.sdk.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP to Hilal with retries: I/O errors, 408, 429 and 5xx are retried with exponential backoff and
 * full jitter, honouring {@code Retry-After}; the request (body, idempotency key) is sent
 * byte-for-byte the same each time, so a retry never stores anything twice. Not part of the SDK's
 * API.
 */
public final class HttpTransport {
    /** The longest {@code Retry-After} honoured when the client's backoff ceiling is lower. */
    static final long MAX_RETRY_AFTER_MILLIS = 60_000;

    private final HttpClient http;
    private final URI endpoint;
    private final String apiKey;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Duration callTimeout;
    private final ObjectMapper mapper;

    /**
     * A transport with the client's defaults.
     *
     * @param http the JDK client
     * @param endpoint Hilal's base URL, ending in {@code /}
     * @param apiKey the default API key
     * @param timeout the default timeout of one attempt
     * @param maxAttempts the default attempts, the first included
     * @param firstBackoff the first retry's backoff ceiling
     * @param maxBackoff the largest backoff ceiling
     * @param callTimeout the default total deadline of a call across its attempts
     * @param mapper reads answers
     */
    public HttpTransport(
            HttpClient http,
            URI endpoint,
            String apiKey,
            Duration timeout,
            int maxAttempts,
            Duration firstBackoff,
            Duration maxBackoff,
            Duration callTimeout,
            ObjectMapper mapper) {
        this.http = http;
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.callTimeout = callTimeout;
        this.mapper = mapper;
    }

    /**
     * Sends with the client's settings.
     *
     * @param method the HTTP method
     * @param path the path and query, relative to the endpoint
     * @param body the JSON body, or null
     * @param idempotencyKey the {@code Idempotency-Key} header, or null
     * @return the JSON answer, or null when it had no body
     * @throws HilalException the typed error, after the last attempt
     */
    public JsonNode send(String method, String path, byte[] body, String idempotencyKey) {
        return send(method, path, body, idempotencyKey, RequestOptions.DEFAULT);
    }

    /**
     * Sends with per-call overrides.
     *
     * @param method the HTTP method
     * @param path the path and query, relative to the endpoint
     * @param body the JSON body, or null
     * @param idempotencyKey the {@code Idempotency-Key} header, or null
     * @param options overrides of the API key, timeout and attempts
     * @return the JSON answer, or null when it had no body
     * @throws HilalException the typed error, after the last attempt
     */
    public JsonNode send(
            String method,
            String path,
            byte[] body,
            String idempotencyKey,
            RequestOptions options) {
        String key = options.apiKey() != null ? options.apiKey() : apiKey;
        Duration attemptTimeout = options.timeout() != null ? options.timeout() : timeout;
        int attempts = options.maxAttempts() != null ? options.maxAttempts() : maxAttempts;
        Duration total = options.callTimeout() != null ? options.callTimeout() : callTimeout;
        long deadline = System.nanoTime() + total.toNanos();
        HilalException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw deadlinePassed(total, attempt - 1, last);
            }
            boolean cappedByDeadline = remaining < attemptTimeout.toNanos();
            HttpRequest built =
                    request(
                            method,
                            path,
                            body,
                            idempotencyKey,
                            key,
                            Duration.ofNanos(Math.min(attemptTimeout.toNanos(), remaining)));
            long retryAfterMillis = -1;
            HttpResponse<byte[]> response = null;
            try {
                response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpTimeoutException e) {
                if (cappedByDeadline) {
                    // Cut short by the call's deadline, not its own timeout: say so, and keep the
                    // earlier attempt's error as the cause.
                    throw deadlinePassed(total, attempt, last);
                }
                last =
                        new HilalException.HilalTimeoutException(
                                "Hilal did not answer within "
                                        + built.timeout().orElse(attemptTimeout)
                                        + ": "
                                        + describe(e),
                                e);
            } catch (IOException e) {
                last =
                        new HilalException.HilalConnectionException(
                                "Could not reach Hilal: " + describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HilalException.HilalConnectionException("Interrupted", e);
            }
            if (response != null) {
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return parse(response.body());
                }
                last = error(response);
                if (!retryable(status)) {
                    throw last;
                }
                retryAfterMillis = retryAfter(response);
            }
            if (attempt < attempts) {
                long wait =
                        retryAfterMillis >= 0
                                ? Math.min(
                                        retryAfterMillis,
                                        Math.max(maxBackoff.toMillis(), MAX_RETRY_AFTER_MILLIS))
                                : backoffMillis(attempt);
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (wait >= left) {
                    // The wait alone would pass the deadline: give up now rather than at it.
                    throw deadlinePassed(total, attempt, last);
                }
                pause(wait);
            }
        }
        throw last;
    }

    private HttpRequest request(
            String method,
            String path,
            byte[] body,
            String idempotencyKey,
            String key,
            Duration attemptTimeout) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(endpoint.resolve(path))
                        .timeout(attemptTimeout)
                        .header("Authorization", "Bearer " + key)
                        .header("Accept", "application/json")
                        .header("User-Agent", USER_AGENT)
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
        return request.build();
    }

    private static HilalException deadlinePassed(
            Duration total, int attempts, HilalException last) {
        HilalException.HilalTimeoutException timeout =
                new HilalException.HilalTimeoutException(
                        "The call's deadline of "
                                + total
                                + " passed after "
                                + attempts
                                + (attempts == 1 ? " attempt" : " attempts")
                                + (last == null ? "" : "; the last failed with " + last.code()),
                        last);
        return timeout;
    }

    private static final String USER_AGENT =
            "hilal-java/0.1 Java/" + System.getProperty("java.version");

    /** Whether Hilal may answer differently later: timeouts, rate limits, server errors. */
    static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new HilalException.HilalConnectionException(
                    "Hilal answered with a body that is not JSON", e);
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
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
        boolean retryable = retryable(status);
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
