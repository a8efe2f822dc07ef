package io.hilal.service.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The service's half of the contract with the Java SDK: every exchange in the repository's {@code
 * contract/} folder is played against the real service, and the answer must match the fixture — the
 * same fields and values, or for recommendation answers the same fields and types. The SDK's {@code
 * ContractTest} plays the same files against its own types, so neither side can change a field
 * without the other's tests failing.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ContractIT {
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app();
    static final Path CONTRACT = Path.of("..", "contract").toAbsolutePath().normalize();
    static final Path ANSWERS = Path.of("target", "contract-answers");
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** In this order: the catalog first, then customers and events, then what is read from them. */
    static final List<String> EXCHANGES =
            List.of(
                    "products-batch",
                    "product-upsert",
                    "customers-batch",
                    "customer-upsert",
                    "customer-get",
                    "events-batch",
                    "rows",
                    "recommendations",
                    "similar-products",
                    "campaign-create",
                    "campaign-preview",
                    "campaign-launch",
                    "campaigns-list",
                    "campaign-ledger",
                    "campaign-lift",
                    "campaign-unknown-sends",
                    "campaign-unknown-sends-resend",
                    "campaign-unknown-sends-close",
                    "program-holdout-set",
                    "program-holdout-get",
                    "program-holdout-report",
                    "problem-validation",
                    "problem-not-found");

    static Api api;
    static String tenantId;

    @BeforeAll
    static void tenant() {
        String[] tenant = Api.newTenant(APP.getLocalPort(), "contract");
        tenantId = tenant[0];
        api = new Api(APP.getLocalPort(), tenant[1]);
        // Not part of the contract, but a campaign cannot be launched without it.
        Api.Reply identity =
                api.put(
                        "/v1/sender-identity",
                        "{\"fromAddress\": \"offers@souq.example\", \"fromName\": \"Souq Dates\","
                                + " \"postalAddress\": \"1 Souq St, Riyadh\"}");
        assertThat(identity.status()).as(identity.body()).isEqualTo(200);
    }

    @Test
    void everyExchangeMatchesItsFixture() throws IOException {
        List<String> failures = new ArrayList<>();
        // Ids the service assigned: the fixture's value and the real one that replaces it.
        Map<String, String> assigned = new LinkedHashMap<>();
        for (String name : EXCHANGES) {
            String text = Files.readString(CONTRACT.resolve(name + ".json"));
            for (Map.Entry<String, String> id : assigned.entrySet()) {
                text = text.replace(id.getKey(), id.getValue());
            }
            JsonNode fixture = MAPPER.readTree(text);
            JsonNode request = fixture.get("request");
            JsonNode expected = fixture.get("response");
            Api.Reply reply =
                    api.send(
                            request.get("method").asText(),
                            request.get("path").asText() + query(request.get("query")),
                            request.has("body") ? request.get("body").toString() : null,
                            request.has("body") ? "application/json" : null);
            // The real answers, to copy into a fixture when the contract changes on purpose.
            Files.createDirectories(ANSWERS);
            Files.writeString(ANSWERS.resolve(name + ".json"), reply.body());
            if (name.equals("events-batch")) {
                // The worker trains on what was ingested before anything is read from it.
                TestApps.train(APP, tenantId);
            }
            List<String> differences = new ArrayList<>();
            if (reply.status() != expected.get("status").asInt()) {
                differences.add(
                        "status "
                                + reply.status()
                                + ", the contract has "
                                + expected.get("status"));
            }
            if (expected.has("contentType")
                    && !reply.contentType().startsWith(expected.get("contentType").asText())) {
                differences.add("content type " + reply.contentType());
            }
            Set<String> volatileFields = new TreeSet<>();
            fixture.path("volatile").forEach(field -> volatileFields.add(field.asText()));
            fixture.path("assigned").forEach(field -> volatileFields.add(field.asText()));
            Set<String> optionalFields = new TreeSet<>();
            fixture.path("optional").forEach(field -> optionalFields.add(field.asText()));
            boolean shapeOnly = "shape".equals(fixture.path("compare").asText("values"));
            compare(
                    "",
                    expected.get("body"),
                    reply.json(),
                    shapeOnly,
                    volatileFields,
                    optionalFields,
                    differences);
            for (JsonNode field : fixture.path("assigned")) {
                String fixtureId = expected.get("body").path(field.asText()).asText();
                String realId = reply.json().path(field.asText()).asText();
                if (!fixtureId.isEmpty() && !realId.isEmpty()) {
                    assigned.put(fixtureId, realId);
                }
            }
            if (!differences.isEmpty()) {
                failures.add(
                        String.format(
                                "the answer to contract/%s.json differs:%n  %s%nanswer: %s",
                                name, String.join("\n  ", differences), reply.body()));
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n\n", failures));
        }
    }

    @Test
    void everyFixtureInTheFolderIsPlayed() throws IOException {
        try (Stream<Path> files = Files.list(CONTRACT)) {
            assertThat(
                            files.map(f -> f.getFileName().toString())
                                    .filter(f -> f.endsWith(".json"))
                                    .map(f -> f.substring(0, f.length() - ".json".length())))
                    .containsExactlyInAnyOrderElementsOf(EXCHANGES);
        }
    }

    private static String query(JsonNode query) {
        if (query == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, JsonNode> parameter : query.properties()) {
            text.append(text.length() == 0 ? '?' : '&')
                    .append(parameter.getKey())
                    .append('=')
                    .append(
                            URLEncoder.encode(
                                    parameter.getValue().asText(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    /**
     * Objects must have exactly the fixture's fields, save that optional ones (a product's image,
     * which the catalog may not have) may be left out. In value mode leaves must be equal (numbers
     * by value) except volatile fields, which need only the same type; in shape mode leaves need
     * only the same JSON type, and each array element must have the shape of a fixture element.
     */
    static void compare(
            String path,
            JsonNode expected,
            JsonNode actual,
            boolean shapeOnly,
            Set<String> volatileFields,
            Set<String> optionalFields,
            List<String> differences) {
        String field = path.substring(path.lastIndexOf('/') + 1);
        if (expected.isObject()) {
            if (!actual.isObject()) {
                differences.add(path + ": expected an object, got " + actual);
                return;
            }
            Set<String> expectedFields = names(expected);
            Set<String> actualFields = names(actual);
            Set<String> missing = new TreeSet<>(expectedFields);
            missing.removeAll(actualFields);
            missing.removeAll(optionalFields);
            if (!expectedFields.containsAll(actualFields) || !missing.isEmpty()) {
                differences.add(
                        path + ": fields " + actualFields + ", the contract has " + expectedFields);
            }
            for (String name : expectedFields) {
                if (actual.has(name)) {
                    compare(
                            path + "/" + name,
                            expected.get(name),
                            actual.get(name),
                            shapeOnly,
                            volatileFields,
                            optionalFields,
                            differences);
                }
            }
        } else if (expected.isArray()) {
            if (!actual.isArray()) {
                differences.add(path + ": expected an array, got " + actual);
                return;
            }
            if (expected.isEmpty() != actual.isEmpty()) {
                differences.add(
                        path
                                + ": "
                                + actual.size()
                                + " items, the contract has "
                                + expected.size());
                return;
            }
            if (!shapeOnly && expected.size() != actual.size()) {
                differences.add(
                        path
                                + ": "
                                + actual.size()
                                + " items, the contract has "
                                + expected.size());
                return;
            }
            for (int i = 0; i < actual.size(); i++) {
                compare(
                        path + "/" + i,
                        expected.get(Math.min(i, expected.size() - 1)),
                        actual.get(i),
                        shapeOnly,
                        volatileFields,
                        optionalFields,
                        differences);
            }
        } else if (shapeOnly || volatileFields.contains(field)) {
            if (expected.getNodeType() != actual.getNodeType()) {
                differences.add(
                        path
                                + ": a "
                                + actual.getNodeType()
                                + ", the contract has a "
                                + expected.getNodeType());
            }
        } else if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                differences.add(path + ": " + actual + ", the contract has " + expected);
            }
        } else if (!expected.equals(actual)) {
            differences.add(path + ": " + actual + ", the contract has " + expected);
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
