package io.hilal.service.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser as far as the dashboard's security is concerned: it keeps cookies, does not follow
 * redirects (so tests see them), and sends an Origin header on POSTs unless told otherwise.
 */
public final class DashboardClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"");

    final String base;
    final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    public DashboardClient(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http =
                HttpClient.newBuilder()
                        .cookieHandler(cookies)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A GET with the given Accept header (null: none). */
    public HttpResponse<String> get(String path, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return send(request);
    }

    /** A form POST from a page of this site. */
    public HttpResponse<String> post(String path, Map<String, String> form) {
        return post(path, form, base);
    }

    /** A form POST with the given Origin header (null: none). */
    HttpResponse<String> post(String path, Map<String, String> form, String origin) {
        return post(path, form, origin, null);
    }

    /** A form POST with the given Origin and Referer headers (null: none). */
    HttpResponse<String> post(
            String path, Map<String, String> form, String origin, String referer) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (referer != null) {
            request.header("Referer", referer);
        }
        return send(request);
    }

    /** Signs in with an API key through the form, as a person would; returns the answer. */
    public HttpResponse<String> signInWithKey(String apiKey) {
        String token = csrfOf(get("/dashboard/sign-in").body());
        return post("/dashboard/sign-in", Map.of("method", "key", "apiKey", apiKey, "csrf", token));
    }

    HttpResponse<String> signInWithPassword(String email, String password) {
        String token = csrfOf(get("/dashboard/sign-in").body());
        return post(
                "/dashboard/sign-in",
                Map.of("method", "password", "email", email, "password", password, "csrf", token));
    }

    /** The synchronizer token of the first form on a page. */
    public static String csrfOf(String html) {
        Matcher matcher = CSRF.matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no CSRF token in the page: " + html);
        }
        return matcher.group(1);
    }

    String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse(null);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(
                    request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(
                        entry ->
                                URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)
                                        + "="
                                        + URLEncoder.encode(
                                                entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
