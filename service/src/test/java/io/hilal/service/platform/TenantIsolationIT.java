package io.hilal.service.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.platform.auth.RequiresScope;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Generated from the registered resources: every tenant endpoint whose path takes an id is called
 * with tenant A's key and tenant B's ids. Reads and deletes must answer 404; upserts create A's own
 * object; B's data must not change. A new endpoint with an id joins this test by itself.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TenantIsolationIT {
    static final String URL = io.hilal.core.testing.TestDatabase.newSchema();
    static final DropwizardAppExtension<HilalConfiguration> APP = TestApps.app(URL);
    private static final Pattern TEMPLATE = Pattern.compile("\\{(\\w+)(:[^}]*)?}");

    static Api tenantA;
    static Api tenantB;
    static Map<String, String> idsOfB;
    static String campaignOfB;
    static String journeyOfB;
    static String experimentOfB;

    static final String CAMPAIGN =
            "{\"name\": \"B's sale\", \"audience\": {},"
                    + " \"offer\": {\"subject\": \"Hello\", \"html\": \"<p>Hi</p>\", \"text\": \"Hi\"},"
                    + " \"schedule\": {\"type\": \"at\", \"date\": \"2026-12-01\","
                    + " \"localTime\": \"10:00\", \"validFor\": \"P3D\"}}";

    /** A valid body for writes that are not upserts, so that they reach the tenant check. */
    static final Map<String, String> BODIES =
            Map.of(
                    "PUT /v1/campaigns/{id}",
                    CAMPAIGN,
                    "POST /v1/suppressions/{email}/removal",
                    "{\"consentSource\": \"test\"}");

    /** PUTs that create the caller's own object under any id, and a valid body for each. */
    static final Map<String, String> UPSERTS =
            Map.of(
                    "/v1/customers/{id}", "{}",
                    "/v1/products/{id}", "{}",
                    "/v1/calendar-dates/{name}", "{\"date\": \"2026-12-02\"}");

    @BeforeAll
    static void twoTenants() {
        tenantA = new Api(APP.getLocalPort(), Api.newTenant(APP.getLocalPort(), "A")[1]);
        String[] b = Api.newTenant(APP.getLocalPort(), "B");
        tenantB = new Api(APP.getLocalPort(), b[1]);
        tenantB.put("/v1/customers/b-customer", "{\"email\": \"b@example.com\"}");
        tenantB.put(
                "/v1/products/b-product",
                "{\"title\": \"B's dates\", \"price\": 5, \"currency\": \"SAR\"}");
        tenantB.post(
                "/v1/events",
                "{\"events\": [{\"messageId\": \"b-1\", \"type\": \"product_viewed\","
                        + " \"customerId\": \"b-customer\", \"productId\": \"b-product\"}]}");
        // A campaign of B's with a send ledger, so its lift report exists for B, and a date.
        campaignOfB = tenantB.post("/v1/campaigns", CAMPAIGN).json().get("id").asText();
        journeyOfB =
                tenantB.post(
                                "/v1/journeys",
                                "{\"name\": \"B's journey\", \"kind\": \"abandoned_cart\","
                                        + " \"delay\": \"PT4H\", \"offer\": {\"subject\":"
                                        + " \"Hi\", \"html\": \"<p>Hi</p>\", \"text\":"
                                        + " \"Hi\"}}")
                        .json()
                        .get("id")
                        .asText();
        assertThat(tenantB.put("/v1/calendar-dates/b-sale", "{\"date\": \"2026-12-01\"}").status())
                .isEqualTo(200);
        String tenantIdOfB = b[0];
        new io.hilal.core.campaigns.sending.SendLedger(
                        io.hilal.core.db.HilalJdbi.configure(
                                org.jdbi.v3.core.Jdbi.create(
                                        io.hilal.core.testing.TestDatabase.dataSource(URL))),
                        java.time.Clock.systemUTC(),
                        "test")
                .plan(
                        new io.hilal.core.campaigns.sending.SendLedger.Run(
                                tenantIdOfB, campaignOfB, "r1"),
                        List.of(
                                new io.hilal.core.campaigns.sending.PlannedSend(
                                        "b-customer",
                                        java.time.Instant.now(),
                                        java.time.Instant.now().plusSeconds(3600),
                                        false)));
        assertThat(tenantB.get("/v1/campaigns/" + campaignOfB + "/lift").status()).isEqualTo(200);
        // A suppressed address of B's.
        org.jdbi.v3.core.Jdbi.create(io.hilal.core.testing.TestDatabase.dataSource(URL))
                .useHandle(
                        handle ->
                                handle.execute(
                                        "INSERT INTO suppressions (tenant_id, email, reason,"
                                                + " created_at) VALUES (?, 'b@example.com',"
                                                + " 'unsubscribe', NOW(3))",
                                        tenantIdOfB));
        // A model experiment of B's, over a stored EASE version.
        new io.hilal.core.reco.ModelStore(
                        io.hilal.core.db.HilalJdbi.configure(
                                org.jdbi.v3.core.Jdbi.create(
                                        io.hilal.core.testing.TestDatabase.dataSource(URL))),
                        java.time.Clock.systemUTC())
                .saveAndActivate(
                        tenantIdOfB,
                        new io.hilal.core.reco.ModelStore.Trained(
                                io.hilal.core.reco.TrainingService.EASE_KIND,
                                null,
                                java.time.Instant.now(),
                                "{}",
                                "{}",
                                io.hilal.core.reco.ease.EaseModel.train(
                                                Map.of(
                                                        "b-customer",
                                                        List.of("b-product", "b-other"),
                                                        "b-second",
                                                        List.of("b-product")),
                                                1.0,
                                                1,
                                                5)
                                        .toBytes()));
        experimentOfB =
                tenantB.post(
                                "/v1/experiments",
                                "{\"name\": \"B's test\", \"a\": {\"kind\": \"popularity\"},"
                                        + " \"b\": {\"kind\": \"ease\"}}")
                        .json()
                        .get("experimentId")
                        .asText();
        String keyOfB =
                tenantB.post("/v1/api-keys", "{\"scopes\": [\"read\"]}")
                        .json()
                        .get("keyId")
                        .asText();
        // Which of B's objects each kind of path names.
        idsOfB =
                Map.of(
                        "/v1/customers/{id}",
                        "b-customer",
                        "/v1/products/{id}",
                        "b-product",
                        "/v1/campaigns/{id}",
                        campaignOfB,
                        "/v1/journeys/{id}",
                        journeyOfB,
                        "/v1/calendar-dates/{name}",
                        "b-sale",
                        "/v1/api-keys/{keyId}",
                        keyOfB,
                        "/v1/suppressions/{email}",
                        "b@example.com",
                        "/v1/experiments/{id}",
                        experimentOfB);
    }

    record Endpoint(String method, String template) {}

    static List<Endpoint> tenantEndpointsWithIds() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Class<?> type : resourceClasses()) {
            Path classPath = type.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String verb = verb(method);
                boolean tenantScoped =
                        method.isAnnotationPresent(RequiresScope.class)
                                || type.isAnnotationPresent(RequiresScope.class);
                if (verb == null || !tenantScoped) {
                    continue;
                }
                Path methodPath = method.getAnnotation(Path.class);
                String template =
                        classPath.value() + (methodPath == null ? "" : methodPath.value());
                if (TEMPLATE.matcher(template).find()) {
                    endpoints.add(new Endpoint(verb, template));
                }
            }
        }
        return endpoints;
    }

    /** The resource classes Jersey serves, read from its endpoint listing. */
    private static java.util.Set<Class<?>> resourceClasses() {
        java.util.Set<Class<?>> classes = new java.util.LinkedHashSet<>();
        Matcher matcher =
                Pattern.compile("\\((io\\.hilal\\.[\\w.$]+)\\)")
                        .matcher(
                                APP.getEnvironment()
                                        .jersey()
                                        .getResourceConfig()
                                        .getEndpointsInfo());
        while (matcher.find()) {
            try {
                classes.add(Class.forName(matcher.group(1)));
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
        }
        return classes;
    }

    private static String verb(Method method) {
        return Stream.of(GET.class, POST.class, PUT.class, DELETE.class)
                .filter(method::isAnnotationPresent)
                .map(annotation -> annotation.getSimpleName())
                .findFirst()
                .orElse(null);
    }

    private static String pathWithIdsOfB(String template) {
        for (Map.Entry<String, String> entry : idsOfB.entrySet()) {
            if (template.startsWith(entry.getKey())) {
                String rest = template.substring(entry.getKey().length());
                assertThat(TEMPLATE.matcher(rest).find())
                        .as("no id of B known for the rest of " + template)
                        .isFalse();
                return entry.getKey().replaceAll(TEMPLATE.pattern(), entry.getValue()) + rest;
            }
        }
        throw new AssertionError("Add an id of tenant B for " + template + " to this test");
    }

    private static String snapshotOfB() {
        return tenantB.get("/v1/customers/b-customer").body()
                + tenantB.get("/v1/customers/b-customer/events").body()
                + tenantB.get("/v1/products/b-product").body()
                + tenantB.get("/v1/api-keys").body()
                + tenantB.get("/v1/calendar-dates").body()
                + tenantB.get("/v1/campaigns/" + campaignOfB).body()
                + tenantB.get("/v1/campaigns/" + campaignOfB + "/ledger").body()
                + tenantB.get("/v1/journeys/" + journeyOfB).body()
                + tenantB.get("/v1/experiments/" + experimentOfB).body()
                + tenantB.get("/v1/overview").body()
                + tenantB.get("/v1/suppressions").body();
    }

    @Test
    void everyEndpointWithAnIdAnswers404ForAnotherTenantsObjectsAndChangesNothing() {
        List<Endpoint> endpoints = new ArrayList<>(tenantEndpointsWithIds());
        // Upserts last: once A has its own object under B's id, A's reads would find it.
        endpoints.sort(java.util.Comparator.comparing(endpoint -> endpoint.method().equals("PUT")));
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(6);
        String before = snapshotOfB();
        for (Endpoint endpoint : endpoints) {
            String path = pathWithIdsOfB(endpoint.template());
            String body =
                    endpoint.method().equals("PUT") || endpoint.method().equals("POST")
                            ? UPSERTS.getOrDefault(
                                    endpoint.template(),
                                    BODIES.getOrDefault(
                                            endpoint.method() + " " + endpoint.template(), "{}"))
                            : null;
            Api.Reply reply =
                    tenantA.send(
                            endpoint.method(),
                            path,
                            body,
                            body == null ? null : "application/json");
            if (endpoint.template().endsWith("/rows")) {
                // Rows for an unknown customer are popular rows, by design: nothing of B's.
                assertThat(reply.status()).as(endpoint.toString()).isEqualTo(200);
                assertThat(reply.json().get("personalized").asBoolean()).isFalse();
            } else if (endpoint.template().endsWith("/recommendations")) {
                // Likewise: A has no purchases, so the list is empty, not B's.
                assertThat(reply.status()).as(endpoint.toString()).isEqualTo(200);
                assertThat(reply.json().get("items")).isEmpty();
            } else if (endpoint.method().equals("PUT")
                    && UPSERTS.containsKey(endpoint.template())) {
                // An upsert by A creates A's own object under that id; B's stays as it was.
                assertThat(reply.status()).as(endpoint.toString()).isEqualTo(200);
            } else {
                assertThat(reply.status()).as(endpoint.toString()).isEqualTo(404);
                assertThat(reply.contentType()).isEqualTo("application/problem+json");
                // Nothing of B's, beyond the path A itself sent (echoed as the problem's
                // instance: /v1/suppressions/{email} names B's address in its path).
                com.fasterxml.jackson.databind.node.ObjectNode problem =
                        (com.fasterxml.jackson.databind.node.ObjectNode) reply.json();
                problem.remove("instance");
                assertThat(problem.toString())
                        .doesNotContain("b@example.com")
                        .doesNotContain("B's dates");
            }
        }
        assertThat(snapshotOfB()).isEqualTo(before);
        assertThat(tenantA.get("/v1/customers/b-customer").json().has("email")).isFalse();
    }

    @Test
    void theCampaignsApiAnswers404ForTheCallersOwnJourneyAndChangesNothing() {
        // A journey's row and ledger share the campaigns' tables; give it a send, so that its
        // lift and funnel exist to be reached.
        org.jdbi.v3.core.Jdbi jdbi =
                io.hilal.core.db.HilalJdbi.configure(
                        org.jdbi.v3.core.Jdbi.create(
                                io.hilal.core.testing.TestDatabase.dataSource(URL)));
        String tenantIdOfB =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT tenant_id FROM campaigns WHERE"
                                                        + " campaign_id = :id")
                                        .bind("id", journeyOfB)
                                        .mapTo(String.class)
                                        .one());
        new io.hilal.core.campaigns.sending.SendLedger(jdbi, java.time.Clock.systemUTC(), "test")
                .plan(
                        new io.hilal.core.campaigns.sending.SendLedger.Run(
                                tenantIdOfB, journeyOfB, "2026-12-01"),
                        List.of(
                                new io.hilal.core.campaigns.sending.PlannedSend(
                                        "b-customer",
                                        java.time.Instant.now().plusSeconds(3600),
                                        java.time.Instant.now().plusSeconds(7200),
                                        false)));
        java.util.function.Supplier<String> journeyRows =
                () ->
                        jdbi.withHandle(
                                handle ->
                                        handle.createQuery(
                                                        "SELECT CONCAT(c.status, ' ',"
                                                                + " c.updated_at, ' ', s.state, ' ',"
                                                                + " s.updated_at) FROM campaigns c"
                                                                + " JOIN campaign_sends s ON"
                                                                + " s.tenant_id = c.tenant_id AND"
                                                                + " s.campaign_id = c.campaign_id"
                                                                + " WHERE c.campaign_id = :id")
                                                .bind("id", journeyOfB)
                                                .mapTo(String.class)
                                                .list()
                                                .toString());
        String before = journeyRows.get() + tenantB.get("/v1/journeys/" + journeyOfB).body();
        List<Endpoint> endpoints =
                tenantEndpointsWithIds().stream()
                        .filter(endpoint -> endpoint.template().startsWith("/v1/campaigns/{id}"))
                        .toList();
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(12);
        for (Endpoint endpoint : endpoints) {
            String path = endpoint.template().replace("{id}", journeyOfB);
            String body =
                    endpoint.method().equals("PUT") || endpoint.method().equals("POST")
                            ? BODIES.getOrDefault(
                                    endpoint.method() + " " + endpoint.template(), "{}")
                            : null;
            Api.Reply reply =
                    tenantB.send(
                            endpoint.method(),
                            path,
                            body,
                            body == null ? null : "application/json");
            assertThat(reply.status()).as(endpoint.toString()).isEqualTo(404);
            assertThat(reply.contentType())
                    .as(endpoint.toString())
                    .isEqualTo("application/problem+json");
            assertThat(reply.json().get("detail").asText())
                    .as(endpoint.toString())
                    .isEqualTo("No campaign with id '" + journeyOfB + "'");
        }
        assertThat(journeyRows.get() + tenantB.get("/v1/journeys/" + journeyOfB).body())
                .isEqualTo(before)
                .contains("scheduled");
        // The journey itself still answers on its own API.
        assertThat(tenantB.get("/v1/journeys/" + journeyOfB + "/lift").status()).isEqualTo(200);
    }

    @Test
    void listsShowOnlyTheCallersOwnData() {
        assertThat(tenantA.get("/v1/products").body()).doesNotContain("b-product");
        assertThat(tenantA.get("/v1/api-keys").json().get("items")).hasSize(1);
        assertThat(tenantA.get("/v1/overview").json().get("events").asLong()).isZero();
    }
}
