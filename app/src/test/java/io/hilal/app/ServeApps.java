package io.hilal.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.TestApps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./hilal serve} for the app's tests: the service with its in-process campaign worker on
 * random ports, a fresh schema, no SMTP relay whatever the environment says (mail goes to the
 * built-in capture) and a worker that looks for due sends every second; plus a shop with a sender
 * identity and customers where it is about noon, and the API calls the tests make.
 */
final class ServeApps {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServeApps() {}

    static DropwizardAppExtension<HilalConfiguration> serve() {
        return app(
                true,
                TestDatabase.newSchema(),
                TestApps.OPERATOR_KEY,
                TestApps.LINK_SECRET,
                worker("smtp.host", ""),
                worker("sending.pollSeconds", "1"));
    }

    /**
     * {@code serve} on {@code database} with its worker sending through {@code relay}, polling for
     * due sends and journey entries every second.
     */
    static DropwizardAppExtension<HilalConfiguration> serveWithRelay(
            String database, String operatorKey, GreenMail relay) {
        return app(
                true,
                database,
                operatorKey,
                "test-link-secret-0123456789abcdef0123456789",
                worker("smtp.host", "127.0.0.1"),
                ConfigOverride.config(
                        ServeCommand.WORKER_PROPERTY_PREFIX,
                        "smtp.port",
                        () -> Integer.toString(relay.getSmtp().getPort())),
                worker("sending.pollSeconds", "1"),
                worker("journeys.pollSeconds", "1"));
    }

    /**
     * {@code serve --no-worker}, the service alone as in production, with the workers' relay
     * ({@code HILAL_SMTP_*} in the worker's YAML) set to {@code relay}.
     */
    static DropwizardAppExtension<HilalConfiguration> serveAlone(GreenMail relay) {
        return app(
                false,
                TestDatabase.newSchema(),
                TestApps.OPERATOR_KEY,
                TestApps.LINK_SECRET,
                worker("smtp.host", "127.0.0.1"),
                ConfigOverride.config(
                        ServeCommand.WORKER_PROPERTY_PREFIX,
                        "smtp.port",
                        () -> Integer.toString(relay.getSmtp().getPort())));
    }

    /**
     * {@code serve} with or without its worker on random ports, on {@code database}, quiet below
     * WARN; {@code workerSettings} override the worker's YAML.
     */
    private static DropwizardAppExtension<HilalConfiguration> app(
            boolean worker,
            String database,
            String operatorKey,
            String linkSecret,
            ConfigOverride... workerSettings) {
        List<ConfigOverride> overrides =
                new ArrayList<>(
                        List.of(
                                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                                ConfigOverride.config("database.url", database),
                                ConfigOverride.config("database.user", TestDatabase.user()),
                                ConfigOverride.config("database.password", TestDatabase.password()),
                                ConfigOverride.config("operatorKey", operatorKey),
                                ConfigOverride.config("mailLinks.secret", linkSecret),
                                ConfigOverride.config("logging.level", "WARN")));
        overrides.addAll(List.of(workerSettings));
        return new DropwizardAppExtension<>(
                HilalServer.class,
                config("service.yml"),
                (String) null,
                application ->
                        new ServeCommand(
                                (HilalApplication) application,
                                config("campaign-worker.yml"),
                                worker),
                overrides.toArray(ConfigOverride[]::new));
    }

    private static ConfigOverride worker(String key, String value) {
        return ConfigOverride.config(ServeCommand.WORKER_PROPERTY_PREFIX, key, value);
    }

    /** A started SMTP capture on a free loopback port; the caller stops it. */
    static GreenMail relay() {
        GreenMail relay = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        relay.start();
        return relay;
    }

    private static String config(String file) {
        return Path.of("..", "config", file).toAbsolutePath().normalize().toString();
    }

    /** A fixed-offset zone where it is about noon now, away from quiet hours and midnight. */
    static int noonOffset() {
        return Math.max(-11, Math.min(14, 12 - ZonedDateTime.now(ZoneId.of("UTC")).getHour()));
    }

    /** The zone id of a whole-hour offset from UTC ("Etc/GMT-3" is UTC+3). */
    static String zone(int offset) {
        return offset == 0 ? "UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
    }

    /** The next whole minute in {@code zone} at least {@code lead} away, leaving time to launch. */
    static ZonedDateTime nextMinute(String zone, Duration lead) {
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of(zone));
        ZonedDateTime at = now.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        return Duration.between(now, at).compareTo(lead) < 0 ? at.plusMinutes(1) : at;
    }

    /**
     * A new tenant with a sender identity and consenting customers c-1…c-n (c-i@example.invalid),
     * customer i in {@code zones[i-1]}; returns its API key.
     */
    static String shop(int port, String name, String... zones) {
        String key =
                api(
                                port,
                                "POST",
                                "/v1/operator/tenants",
                                TestApps.OPERATOR_KEY,
                                "{\"name\": \"" + name + "\"}")
                        .get("apiKey")
                        .asText();
        api(
                port,
                "PUT",
                "/v1/sender-identity",
                key,
                "{\"fromAddress\": \"offers@shop.example\", \"fromName\": \""
                        + name
                        + "\", \"postalAddress\": \"1 Souq St, Riyadh\"}");
        for (int i = 1; i <= zones.length; i++) {
            api(
                    port,
                    "PUT",
                    "/v1/customers/c-" + i,
                    key,
                    "{\"email\": \"c"
                            + i
                            + "@example.invalid\", \"timeZone\": \""
                            + zones[i - 1]
                            + "\", \"emailConsent\": {\"status\": \"granted\", \"source\":"
                            + " \"test\"}}");
        }
        return key;
    }

    /** An API call that must succeed; its JSON answer. */
    static JsonNode api(int port, String method, String path, String token, String body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response =
                    HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as(method + " " + path + ": " + response.body())
                    .isLessThan(300);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
