package io.hilal.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests: real requests, JSON bodies, no framework in between. */
public final class Api {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String base;
    private final String token;

    public Api(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public Api as(String otherToken) {
        return new Api(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherToken);
    }

    /** A response: status, headers and the body parsed as JSON when it is JSON. */
    public record Reply(int status, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + raw.body(), e);
            }
        }

        public String contentType() {
            return raw.headers().firstValue("Content-Type").orElse("");
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String body() {
            return raw.body();
        }
    }

    public Reply get(String path) {
        return send("GET", path, null, null);
    }

    /** A GET with an Accept header, e.g. text/csv. */
    public Reply getAccepting(String path, String accept) {
        return send(
                "GET",
                path,
                null,
                null,
                token == null ? null : "Bearer " + token,
                java.util.Map.of("Accept", accept));
    }

    public Reply delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Reply post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    public Reply put(String path, String json) {
        return send("PUT", path, json, "application/json");
    }

    public Reply send(String method, String path, String body, String contentType) {
        return send(method, path, body, contentType, token == null ? null : "Bearer " + token);
    }

    /** A JSON request with the given Authorization header, e.g. Basic credentials. */
    public Reply sendWithAuthorization(
            String method, String path, String body, String authorization) {
        return send(method, path, body, "application/json", authorization);
    }

    /** A JSON request with extra headers, e.g. Idempotency-Key. */
    public Reply sendWithHeaders(
            String method, String path, String body, java.util.Map<String, String> headers) {
        return send(
                method,
                path,
                body,
                "application/json",
                token == null ? null : "Bearer " + token,
                headers);
    }

    private Reply send(
            String method, String path, String body, String contentType, String authorization) {
        return send(method, path, body, contentType, authorization, java.util.Map.of());
    }

    private Reply send(
            String method,
            String path,
            String body,
            String contentType,
            String authorization,
            java.util.Map<String, String> headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response =
                    HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a tenant through the operator API; returns {tenantId, apiKey}. */
    public static String[] newTenant(int port, String name) {
        Reply reply =
                new Api(port, TestApps.OPERATOR_KEY)
                        .post("/v1/operator/tenants", "{\"name\": \"" + name + "\"}");
        if (reply.status() != 201) {
            throw new IllegalStateException("tenant not created: " + reply.body());
        }
        return new String[] {
            reply.json().get("tenantId").asText(), reply.json().get("apiKey").asText()
        };
    }
}
