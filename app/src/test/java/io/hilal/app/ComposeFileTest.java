package io.hilal.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code compose.yaml} cannot be started on our build machines (no Docker), so what can go wrong in
 * it without a container is checked here: a variable no configuration file reads (a typo is
 * silently ignored), settings every process must share that differ, a proxy pointing at the wrong
 * port, a command the image does not know, and a README that describes another file.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(HILAL_[A-Z_]+)(?::-([^}]*))?}");
    private static final Set<String> SHARED =
            Set.of(
                    "HILAL_DATABASE_URL",
                    "HILAL_DATABASE_USER",
                    "HILAL_DATABASE_PASSWORD",
                    "HILAL_DB_DURABILITY",
                    "HILAL_LINK_SECRET");

    private static JsonNode services;
    private static Map<String, String> serviceDefaults;
    private static Map<String, String> workerDefaults;

    @BeforeAll
    static void read() throws IOException {
        JsonNode compose =
                new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("compose.yaml").toFile());
        services = compose.path("services");
        serviceDefaults = variables(read("config/service.yml"));
        workerDefaults = variables(read("config/campaign-worker.yml"));
    }

    @Test
    void hilalContainersSetOnlyVariablesTheirConfigurationReads() {
        hilalContainers()
                .forEach(
                        (name, container) -> {
                            Map<String, String> readable = readableBy(command(container));
                            assertThat(environment(container).keySet())
                                    .as("variables of %s", name)
                                    .isSubsetOf(readable.keySet());
                        });
    }

    @Test
    void hilalContainersRunCommandsOfTheImagesEntryPointFromOneImage() throws IOException {
        String entryPoint = read("app/src/main/jib/usr/local/bin/hilal");
        String version = parentVersion();
        hilalContainers()
                .forEach(
                        (name, container) -> {
                            assertThat(container.path("image").asText())
                                    .isEqualTo("hilal:" + version);
                            assertThat(entryPoint)
                                    .as("the entry point's case for %s", name)
                                    .containsPattern(
                                            "(?m)^\\s+([a-z]+\\|)*"
                                                    + command(container)
                                                    + "(\\|[a-z]+)*\\)");
                        });
        assertThat(read("app/pom.xml"))
                .contains("<image>hilal:${project.version}</image>")
                .contains("<entry>/usr/local/bin/hilal</entry>")
                .contains("<image>eclipse-temurin:17-jre</image>");
    }

    @Test
    void everyProcessSharesTheDatabaseAndLinkSecretAndOnlyMigrateMigrates() {
        Map<String, Map<String, String>> shared = new TreeMap<>();
        hilalContainers()
                .forEach(
                        (name, container) -> {
                            Map<String, String> environment = environment(container);
                            assertThat(environment)
                                    .as(name)
                                    .containsKeys(SHARED.toArray(String[]::new));
                            shared.put(name, subset(environment, SHARED));
                            if (command(container).equals("migrate")) {
                                assertThat(environment).doesNotContainKey("HILAL_MIGRATE_ON_START");
                            } else {
                                assertThat(environment)
                                        .as(name)
                                        .containsEntry("HILAL_MIGRATE_ON_START", "false");
                                assertThat(
                                                container
                                                        .path("depends_on")
                                                        .path("migrate")
                                                        .path("condition")
                                                        .asText())
                                        .as("%s starts after the migration", name)
                                        .isEqualTo("service_completed_successfully");
                            }
                        });
        assertThat(new TreeSet<>(shared.values().stream().map(Map::toString).toList())).hasSize(1);
        assertThat(shared).containsKey("migrate");
    }

    @Test
    void theDatabaseUrlNamesTheMysqlServiceItsDatabaseAndAccount() {
        Map<String, String> mysql = environment(services.path("mysql"));
        Map<String, String> any = environment(services.path("migrate"));
        URI url = URI.create(any.get("HILAL_DATABASE_URL").substring("jdbc:".length()));
        assertThat(services.path("mysql").path("image").asText()).startsWith("mysql:8");
        assertThat(url.getHost()).isEqualTo("mysql");
        assertThat(url.getPort()).isEqualTo(3306);
        assertThat(url.getPath()).isEqualTo("/" + mysql.get("MYSQL_DATABASE"));
        assertThat(any.get("HILAL_DATABASE_USER")).isEqualTo(mysql.get("MYSQL_USER"));
        assertThat(any.get("HILAL_DATABASE_PASSWORD")).isEqualTo(mysql.get("MYSQL_PASSWORD"));
    }

    @Test
    void theProxySpreadsRequestsOverEveryServiceAtItsPortAndIsThePublicUrl() throws IOException {
        String nginx = read("deploy/nginx.conf");
        Set<String> upstreams = new TreeSet<>();
        Matcher server = Pattern.compile("(?m)^\\s+server\\s+([^;\\s]+);").matcher(nginx);
        while (server.find()) {
            upstreams.add(server.group(1));
        }
        Set<String> apis = new TreeSet<>();
        hilalContainers()
                .forEach(
                        (name, container) -> {
                            if (command(container).equals("service")) {
                                Map<String, String> environment = environment(container);
                                assertThat(environment).containsEntry("HILAL_BIND_HOST", "0.0.0.0");
                                apis.add(
                                        name
                                                + ":"
                                                + environment.getOrDefault(
                                                        "HILAL_PORT",
                                                        serviceDefaults.get("HILAL_PORT")));
                            }
                        });
        assertThat(apis).hasSize(2);
        assertThat(upstreams).isEqualTo(apis);

        JsonNode proxy = services.path("proxy");
        assertThat(proxy.path("volumes").get(0).asText())
                .startsWith("./deploy/nginx.conf:/etc/nginx/conf.d/default.conf");
        String[] published = proxy.path("ports").get(0).asText().split(":");
        assertThat(nginx).containsPattern("listen\\s+" + published[1] + ";");
        hilalContainers()
                .forEach(
                        (name, container) ->
                                assertThat(
                                                environment(container)
                                                        .getOrDefault(
                                                                "HILAL_PUBLIC_URL",
                                                                "http://localhost:" + published[0]))
                                        .as("%s's public URL", name)
                                        .isEqualTo("http://localhost:" + published[0]));
    }

    @Test
    void eachServiceEnforcesItsShareOfTheIngestQuota() {
        Map<String, Map<String, String>> apis = new TreeMap<>();
        hilalContainers()
                .forEach(
                        (name, container) -> {
                            if (command(container).equals("service")) {
                                apis.put(name, environment(container));
                            }
                        });
        // Each instance enforces ingestEventsPerSecond / HILAL_SERVICE_INSTANCES: left at its
        // default of 1, two services behind the proxy let a tenant ingest twice its quota.
        apis.forEach(
                (name, environment) ->
                        assertThat(environment)
                                .as(name)
                                .containsEntry(
                                        "HILAL_SERVICE_INSTANCES", Integer.toString(apis.size())));
    }

    @Test
    void workersFormOneClusterAndSendToMailpit() {
        Map<String, Map<String, String>> workers = new TreeMap<>();
        hilalContainers()
                .forEach(
                        (name, container) -> {
                            if (command(container).equals("worker")) {
                                workers.put(name, environment(container));
                            }
                        });
        assertThat(workers).hasSize(2);
        assertThat(services.path("mailpit").path("image").asText()).startsWith("axllent/mailpit");
        workers.values()
                .forEach(
                        environment -> {
                            assertThat(environment)
                                    .containsEntry("HILAL_SMTP_HOST", "mailpit")
                                    .containsEntry("HILAL_SMTP_PORT", "1025");
                            assertThat(environment.get("HILAL_SCHEDULER_NAME"))
                                    .isEqualTo(
                                            workers.values()
                                                    .iterator()
                                                    .next()
                                                    .get("HILAL_SCHEDULER_NAME"));
                        });
    }

    @Test
    void servicesSendTheStudiosTestEmailsThroughTheWorkersRelay() {
        hilalContainers()
                .forEach(
                        (name, container) -> {
                            if (command(container).equals("service")) {
                                assertThat(environment(container))
                                        .as(name)
                                        .containsEntry("HILAL_SMTP_HOST", "mailpit")
                                        .containsEntry("HILAL_SMTP_PORT", "1025");
                            }
                        });
    }

    @Test
    void theReadmeTableListsEveryServiceAndWhatItPublishes() throws IOException {
        String readme = read("README.md");
        String fromSection = readme.substring(readme.indexOf("## Containers"));
        String section = fromSection.substring(0, fromSection.indexOf("\n## ", 3));
        Map<String, String> documented = new TreeMap<>();
        Matcher row =
                Pattern.compile("(?m)^\\| (`[^|]+`) \\|[^|]*\\| ([^|]+) \\|$").matcher(section);
        while (row.find()) {
            String published = row.group(2).trim();
            String port = published.equals("—") ? "" : published.split(" ")[0];
            Matcher name = Pattern.compile("`([a-z0-9-]+)`").matcher(row.group(1));
            while (name.find()) {
                documented.put(name.group(1), port);
            }
        }
        Map<String, String> actual = new TreeMap<>();
        services.properties()
                .forEach(
                        entry -> {
                            JsonNode ports = entry.getValue().path("ports");
                            actual.put(
                                    entry.getKey(),
                                    ports.isEmpty() ? "" : ports.get(0).asText().split(":")[0]);
                        });
        assertThat(documented).isEqualTo(actual);
        hilalContainers()
                .values()
                .forEach(container -> assertThat(section).contains("`" + command(container) + "`"));
    }

    private static Map<String, JsonNode> hilalContainers() {
        Map<String, JsonNode> containers = new LinkedHashMap<>();
        services.properties()
                .forEach(
                        entry -> {
                            if (entry.getValue().path("image").asText().startsWith("hilal:")) {
                                containers.put(entry.getKey(), entry.getValue());
                            }
                        });
        assertThat(containers).hasSize(5);
        return containers;
    }

    private static String command(JsonNode container) {
        return container.path("command").get(0).asText();
    }

    private static Map<String, String> environment(JsonNode container) {
        Map<String, String> environment = new TreeMap<>();
        container
                .path("environment")
                .properties()
                .forEach(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        return environment;
    }

    private static Map<String, String> subset(Map<String, String> map, Set<String> keys) {
        return map.entrySet().stream()
                .filter(entry -> keys.contains(entry.getKey()))
                .collect(
                        Collectors.toMap(
                                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    /** The variables a configuration file reads, with their defaults (empty when none). */
    /**
     * What a container's command reads: a worker its YAML; a service its own, and the workers'
     * relay for the studio's test sends.
     */
    private static Map<String, String> readableBy(String command) {
        if (command.equals("worker")) {
            return workerDefaults;
        }
        Map<String, String> readable = new HashMap<>(serviceDefaults);
        if (command.equals("service")) {
            workerDefaults.forEach(
                    (name, value) -> {
                        if (name.startsWith("HILAL_SMTP_")) {
                            readable.putIfAbsent(name, value);
                        }
                    });
        }
        return readable;
    }

    private static Map<String, String> variables(String yaml) {
        Map<String, String> variables = new HashMap<>();
        Matcher matcher = VARIABLE.matcher(yaml);
        while (matcher.find()) {
            variables.putIfAbsent(
                    matcher.group(1), matcher.group(2) == null ? "" : matcher.group(2));
        }
        return variables;
    }

    private static String parentVersion() throws IOException {
        Matcher version =
                Pattern.compile(
                                "<artifactId>hilal-parent</artifactId>\\s*<version>([^<]+)</version>")
                        .matcher(read("pom.xml"));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }

    private static String read(String file) throws IOException {
        return Files.readString(ROOT.resolve(file));
    }
}
