package io.hilal.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.dashboard.DashboardAuth;
import io.hilal.core.dashboard.DashboardRole;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19, medium: what an unauthenticated caller can make the service do is limited per client
 * address (and per email for sign-in), checked before the expensive part. Each limiter keeps its
 * own buckets, so the tests below do not spend each other's attempts; all come from 127.0.0.1.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AttemptLimitsIT {
    static final String DATABASE = TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(
                    DATABASE,
                    // An hour, so no attempt comes back while a test runs.
                    ConfigOverride.config("rateLimit.attemptWindow", "1 hour"),
                    ConfigOverride.config("rateLimit.signInsPerAddress", "6"),
                    ConfigOverride.config("rateLimit.signInsPerEmail", "3"),
                    ConfigOverride.config("rateLimit.unknownKeysPerAddress", "3"),
                    ConfigOverride.config("rateLimit.mailLinksPerAddress", "3"));
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"");
    static final String BOGUS_KEY = "hk_live_0000000000000000_" + "0".repeat(64);

    static String tenantId;
    static String key;

    @BeforeAll
    static void tenant() {
        String[] created = Api.newTenant(APP.getLocalPort(), "attempt-limits");
        tenantId = created[0];
        key = created[1];
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(DATABASE)));
        new DashboardAuth(jdbi, new TenantService(jdbi, Clock.systemUTC()), Clock.systemUTC())
                .createUser(
                        tenantId,
                        "owner@limits.example",
                        "correct horse battery".toCharArray(),
                        DashboardRole.VIEWER);
    }

    @Test
    void signInIsLimitedPerEmailAndPerAddressBeforeAnyPasswordIsChecked() {
        // Successful sign-ins give their attempt back: many of them never lock the owner out.
        for (int i = 0; i < 8; i++) {
            assertThat(signIn("owner@limits.example", "correct horse battery").statusCode())
                    .isEqualTo(303);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(signIn("owner@limits.example", "guess " + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = signIn("owner@limits.example", "correct horse battery");
        assertLimited(locked);

        // Another email from the same address still gets its answer, until the address is spent.
        assertThat(signIn("someone@limits.example", "guess").statusCode()).isEqualTo(401);
        assertThat(signIn("someone@limits.example", "guess").statusCode()).isEqualTo(401);
        assertThat(signIn("other@limits.example", "guess").statusCode()).isEqualTo(401);
        assertLimited(signIn("third@limits.example", "guess"));
    }

    @Test
    void unknownApiKeysAreLimitedPerAddressAcrossTheApiAndSegment() {
        Api bogus = new Api(APP.getLocalPort(), BOGUS_KEY);
        for (int i = 0; i < 3; i++) {
            assertThat(bogus.get("/v1/overview").status()).isEqualTo(401);
        }
        Api.Reply limited = bogus.get("/v1/overview");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).isEqualTo("application/problem+json");
        assertThat(limited.json().get("code").asText()).isEqualTo("rate_limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 3600L);

        String basic =
                Base64.getEncoder()
                        .encodeToString((BOGUS_KEY + ":").getBytes(StandardCharsets.UTF_8));
        Api.Reply segment =
                bogus.sendWithAuthorization(
                        "POST",
                        "/segment/v1/track",
                        "{\"userId\": \"u1\", \"event\": \"Signed Up\"}",
                        "Basic " + basic);
        assertThat(segment.status()).isEqualTo(429);
        assertThat(segment.header("Retry-After")).isNotNull();
        assertThat(new Api(APP.getLocalPort(), key).get("/v1/customers/u1").status())
                .isIn(404, 429);
    }

    @Test
    void emailLinksAreLimitedPerAddress() {
        Api anyone = new Api(APP.getLocalPort(), null);
        for (int i = 0; i < 3; i++) {
            assertThat(anyone.get("/v1/nfm/not-a-token-" + i).status()).isBetween(400, 499);
        }
        Api.Reply limited = anyone.get("/v1/c/not-a-token");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).isEqualTo("application/problem+json");
        assertThat(limited.header("Retry-After")).isNotNull();
    }

    private static void assertLimited(HttpResponse<String> reply) {
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(429);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.headers().firstValue("Retry-After")).isPresent();
        assertThat(reply.body()).contains("\"rate_limited\"");
    }

    /** The sign-in form as a browser submits it: page, cookie, token, then the POST. */
    private static HttpResponse<String> signIn(String email, String password) {
        HttpClient http =
                HttpClient.newBuilder()
                        .cookieHandler(new CookieManager())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        try {
            String page =
                    http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/dashboard/sign-in"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            Matcher csrf = CSRF.matcher(page);
            assertThat(csrf.find()).as(page).isTrue();
            Map<String, String> form =
                    Map.of(
                            "method",
                            "password",
                            "email",
                            email,
                            "password",
                            password,
                            "csrf",
                            csrf.group(1));
            String body =
                    form.entrySet().stream()
                            .map(
                                    e ->
                                            e.getKey()
                                                    + "="
                                                    + URLEncoder.encode(
                                                            e.getValue(), StandardCharsets.UTF_8))
                            .collect(Collectors.joining("&"));
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + "/dashboard/sign-in"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Origin", base)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
