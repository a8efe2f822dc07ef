package io.hilal.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.tenant.Scope;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.security.ServedRoutes.Route;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tenant-isolation matrix, generated from the routes Jersey serves ({@link ServedRoutes}):
 *
 * <ul>
 *   <li>every tenant route with an id, with each method it serves (and HEAD for each GET), called
 *       with each of tenant A's keys (one per scope, and one with all scopes), on tenant B's ids,
 *       written plainly and percent-encoded: 403 when the key lacks the route's scope, else 404;
 *   <li>every tenant route, with every key of A's that lacks its scope, on A's own ids: 403;
 *   <li>the Segment endpoints with every key of A's without the {@code ingest} scope: 403;
 *   <li>every dashboard page or form with an id, signed in with A's keys, on B's campaign: 404 (403
 *       when the session lacks the route's scope), and every dashboard route, signed in without its
 *       scope, on A's own ids: 403;
 *   <li>the operator routes with each of A's keys: 401 (a tenant key is no operator key);
 *   <li>every method a tenant route with an id does not serve: 405.
 * </ul>
 *
 * After every call the database rows of tenant B (every table with a {@code tenant_id}) are exactly
 * as before the matrix, and tenant A's are as before the call; B's data read back through the API
 * with B's own key is the same at the end. The only 2xx answers are the documented ones: rows and
 * recommendations for an id A does not know (popular, not B's), and upserts, which create A's own
 * object under the id. Every answer is free of B's data. A new route joins by itself; a route whose
 * id this test cannot name, or that is neither a tenant, dashboard, operator nor a known public
 * route, fails it.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TenantIsolationMatrixIT {
    static final String URL = TestDatabase.newSchema();

    // One instance for the whole matrix; the per-tenant rate limit would only slow it down.
    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(URL, ConfigOverride.config("rateLimit.enabled", "false"));

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private static final String PROBLEM = "application/problem+json";
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");

    /** Routes that need no tenant credential, each with the reason. */
    private static final Map<String, String> PUBLIC =
            Map.of(
                    "GET /", "the home page redirects to the dashboard",
                    "GET /dashboard/sign-in", "the sign-in form",
                    "POST /dashboard/sign-in", "signing in",
                    "GET /v1/unsubscribe/{token}", "email link: a signed token, no key",
                    "POST /v1/unsubscribe/{token}", "email link: a signed token, no key",
                    "GET /v1/c/{token}", "email link: a signed token, no key",
                    "HEAD /v1/c/{token}", "email link checked by a mail scanner: no key",
                    "GET /v1/nfm/{token}", "email link: a signed token, no key",
                    "POST /v1/nfm/{token}", "email link: a signed token, no key");

    /**
     * Routes that check the key themselves (Segment's write key), and the scopes any one of which
     * opens them: {@code ingest}, and {@code client} (keys a browser may publish).
     */
    private static final Map<String, Set<Scope>> OWN_KEY_CHECK =
            Map.of("/segment/v1/", EnumSet.of(Scope.INGEST, Scope.CLIENT));

    /** PUTs that create the caller's own object under any id: 200 with A's key, B's untouched. */
    private static final Set<String> UPSERTS =
            Set.of(
                    "PUT /v1/customers/{id}",
                    "PUT /v1/products/{id}",
                    "PUT /v1/calendar-dates/{name}");

    /**
     * Reads that answer for any id by design: rows and recommendations for a customer the tenant
     * does not know are the popular ones, which for A (no events) are empty or popular among A's.
     */
    private static final Set<String> ANY_ID_READS =
            Set.of("/v1/customers/{id}/rows", "/v1/customers/{id}/recommendations");

    private static final String CAMPAIGN =
            "{\"name\": \"%s\", \"audience\": {},"
                    + " \"offer\": {\"subject\": \"Hello\", \"html\": \"<p>Hi</p>\", \"text\": \"Hi\"},"
                    + " \"schedule\": {\"type\": \"at\", \"date\": \"2026-12-01\","
                    + " \"localTime\": \"10:00\", \"validFor\": \"P3D\"}}";

    /** Valid bodies, so that writes get past validation to the tenant check. */
    private static final Map<String, String> BODIES =
            Map.of(
                    "PUT /v1/campaigns/{id}",
                    CAMPAIGN.formatted("A's rename"),
                    "PUT /v1/calendar-dates/{name}",
                    "{\"date\": \"2026-12-02\"}",
                    "PUT /v1/customers/{id}",
                    "{\"email\": \"a-upsert@example.com\"}",
                    "PUT /v1/products/{id}",
                    "{\"title\": \"A's upsert\"}",
                    "POST /v1/suppressions/{email}/removal",
                    "{\"consentSource\": \"A's form\"}");

    /** Strings of B's that no answer to A may contain. */
    private static final List<String> SECRETS_OF_B =
            List.of(
                    "b-secret@example.com",
                    "B's secret dates",
                    "B's secret sale",
                    "B secret tenant");

    /** Ids of one tenant's objects, by what they name. */
    record Ids(
            String customer,
            String product,
            String campaign,
            String calendarDate,
            String apiKey,
            String suppressedEmail,
            String journey,
            String experiment) {}

    /** Who calls: the headers that authenticate, and the scopes they carry. */
    record Caller(String name, Map<String, String> headers, Set<Scope> scopes, String csrf) {}

    /** One call of the matrix and the answer it must get. */
    record Case(
            String group,
            Route route,
            String method,
            String path,
            Caller caller,
            Set<Integer> expected,
            boolean upsert) {
        @Override
        public String toString() {
            return group + ": " + method + " " + path + " as " + caller.name();
        }
    }

    static String tenantA;
    static String tenantB;
    static Api apiOfB;
    static Ids idsOfA;
    static Ids idsOfB;
    static final Map<String, Caller> KEYS_OF_A = new LinkedHashMap<>();
    static final List<Caller> SESSIONS_OF_A = new ArrayList<>();
    static TenantRows rows;

    @BeforeAll
    static void twoTenants() {
        int port = APP.getLocalPort();
        String[] a = Api.newTenant(port, "A");
        String[] b = Api.newTenant(port, "B secret tenant");
        tenantA = a[0];
        tenantB = b[0];
        Api apiOfA = new Api(port, a[1]);
        apiOfB = new Api(port, b[1]);
        idsOfB =
                objects(
                        apiOfB,
                        tenantB,
                        "b",
                        "b-secret@example.com",
                        "B's secret dates",
                        "B's secret sale");
        idsOfA = objects(apiOfA, tenantA, "a", "a@example.com", "A's dates", "A's sale");
        // A send in B's ledger, so that B's campaign has sends, a ledger and a lift report.
        new SendLedger(
                        HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(URL))),
                        Clock.systemUTC(),
                        "test")
                .plan(
                        new SendLedger.Run(tenantB, idsOfB.campaign(), "r1"),
                        List.of(
                                new PlannedSend(
                                        idsOfB.customer(),
                                        Instant.now(),
                                        Instant.now().plusSeconds(3600),
                                        false)));
        assertThat(apiOfB.get("/v1/campaigns/" + idsOfB.campaign() + "/lift").status())
                .isEqualTo(200);

        KEYS_OF_A.put("A's all-scopes key", bearer("A's all-scopes key", a[1], Scope.all()));
        for (Scope scope : Scope.values()) {
            String name = "A's " + scope.wireName() + " key";
            Api.Reply key =
                    apiOfA.post(
                            "/v1/api-keys",
                            "{\"name\": \""
                                    + name
                                    + "\", \"scopes\": [\""
                                    + scope.wireName()
                                    + "\"]}");
            assertThat(key.status()).as(key.body()).isEqualTo(201);
            KEYS_OF_A.put(name, bearer(name, key.json().get("apiKey").asText(), EnumSet.of(scope)));
        }
        SESSIONS_OF_A.add(signIn("A's dashboard (read key)", KEYS_OF_A.get("A's read key")));
        SESSIONS_OF_A.add(
                signIn("A's dashboard (all-scopes key)", KEYS_OF_A.get("A's all-scopes key")));
        rows = new TenantRows(URL);
    }

    @AfterAll
    static void closeRows() throws Exception {
        rows.close();
    }

    /** A customer (with an event), a product, a campaign, a calendar date and a spare key. */
    private static Ids objects(
            Api api,
            String tenantId,
            String prefix,
            String email,
            String productTitle,
            String campaignName) {
        String customer = prefix + "-customer";
        String product = prefix + "-product";
        assertThat(api.put("/v1/customers/" + customer, "{\"email\": \"" + email + "\"}").status())
                .isEqualTo(200);
        assertThat(
                        api.put(
                                        "/v1/products/" + product,
                                        "{\"title\": \""
                                                + productTitle
                                                + "\", \"price\": 5, \"currency\": \"SAR\"}")
                                .status())
                .isEqualTo(200);
        assertThat(
                        api.post(
                                        "/v1/events",
                                        "{\"events\": [{\"messageId\": \""
                                                + prefix
                                                + "-1\", \"type\": \"product_viewed\","
                                                + " \"customerId\": \""
                                                + customer
                                                + "\", \"productId\": \""
                                                + product
                                                + "\"}]}")
                                .status())
                .isEqualTo(200);
        Api.Reply campaign = api.post("/v1/campaigns", CAMPAIGN.formatted(campaignName));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        Api.Reply journey =
                api.post(
                        "/v1/journeys",
                        "{\"name\": \""
                                + campaignName
                                + " journey\", \"kind\": \"abandoned_cart\", \"delay\":"
                                + " \"PT4H\", \"offer\": {\"subject\": \"Hi\", \"html\":"
                                + " \"<p>Hi</p>\", \"text\": \"Hi\"}}");
        assertThat(journey.status()).as(journey.body()).isEqualTo(201);
        // A program holdout of its own, so that each tenant's setting and report are there.
        assertThat(api.put("/v1/program-holdout", "{\"share\": 0.1}").status()).isEqualTo(200);
        String date = prefix + "-sale";
        assertThat(api.put("/v1/calendar-dates/" + date, "{\"date\": \"2026-12-01\"}").status())
                .isEqualTo(200);
        Api.Reply key = api.post("/v1/api-keys", "{\"name\": \"spare\", \"scopes\": [\"read\"]}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        // The customer's address on the tenant's suppression list (an unsubscribe, as a link
        // would record it), so /v1/suppressions/{email} has an object of each tenant to name.
        Jdbi.create(TestDatabase.dataSource(URL))
                .useHandle(
                        handle ->
                                handle.execute(
                                        "INSERT INTO suppressions (tenant_id, email, reason,"
                                                + " created_at) SELECT tenant_id, ?,"
                                                + " 'unsubscribe', NOW(3) FROM customers"
                                                + " WHERE customer_id = ? AND email = ?",
                                        email,
                                        customer,
                                        email));
        // A model experiment over a stored EASE version.
        new io.hilal.core.reco.ModelStore(
                        HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(URL))),
                        Clock.systemUTC())
                .saveAndActivate(
                        tenantId,
                        new io.hilal.core.reco.ModelStore.Trained(
                                io.hilal.core.reco.TrainingService.EASE_KIND,
                                null,
                                Instant.now(),
                                "{}",
                                "{}",
                                io.hilal.core.reco.ease.EaseModel.train(
                                                Map.of(
                                                        customer,
                                                        List.of(product, prefix + "-other"),
                                                        prefix + "-second",
                                                        List.of(product)),
                                                1.0,
                                                1,
                                                5)
                                        .toBytes()));
        Api.Reply experiment =
                api.post(
                        "/v1/experiments",
                        "{\"name\": \""
                                + campaignName
                                + " experiment\", \"a\": {\"kind\": \"popularity\"},"
                                + " \"b\": {\"kind\": \"ease\"}}");
        assertThat(experiment.status()).as(experiment.body()).isEqualTo(201);
        // Stopped: while one runs, every rows read stores its impression, a write of its own.
        String experimentId = experiment.json().get("experimentId").asText();
        assertThat(api.post("/v1/experiments/" + experimentId + "/stop", "").status())
                .isEqualTo(200);
        return new Ids(
                customer,
                product,
                campaign.json().get("id").asText(),
                date,
                key.json().get("keyId").asText(),
                email,
                journey.json().get("id").asText(),
                experimentId);
    }

    private static Caller bearer(String name, String key, Set<Scope> scopes) {
        return new Caller(name, Map.of("Authorization", "Bearer " + key), scopes, null);
    }

    @Test
    void everyRouteRefusesAnotherTenantsIdsAndEveryWrongScopeWithoutAnEffect() {
        List<Route> routes = ServedRoutes.of(APP.getEnvironment());
        List<String> unclassified =
                routes.stream()
                        .filter(
                                route ->
                                        route.requiredScope().isEmpty()
                                                && !route.signedIn()
                                                && !route.operatorOnly()
                                                && ownKeyScopes(route).isEmpty()
                                                && !PUBLIC.containsKey(route.toString()))
                        .map(Route::toString)
                        .toList();
        assertThat(unclassified)
                .as("routes that are neither tenant, dashboard, operator, Segment nor public")
                .isEmpty();

        List<Case> cases = new ArrayList<>();
        cases.addAll(wrongScopeOnOwnIds(routes));
        cases.addAll(segmentWithoutIngest(routes));
        cases.addAll(operatorRoutes(routes));
        cases.addAll(dashboardWrongScope(routes));
        cases.addAll(dashboardOnIdsOfB(routes));
        cases.addAll(unservedMethods(routes));
        // Upserts last: once A has its own object under B's id, A's reads of that id find it.
        List<Case> crossTenant = crossTenant(routes);
        crossTenant.stream().filter(c -> !c.upsert()).forEach(cases::add);
        crossTenant.stream().filter(Case::upsert).forEach(cases::add);

        long refusals =
                cases.stream()
                        .filter(
                                c ->
                                        c.expected().equals(Set.of(403))
                                                || c.expected().equals(Set.of(404)))
                        .count();
        Map<String, Long> byGroup = new TreeMap<>();
        cases.forEach(c -> byGroup.merge(c.group(), 1L, Long::sum));
        System.out.printf(
                "Tenant-isolation matrix: %d routes served, %d cases, %d answering 403 or 404 %s%n",
                routes.size(), cases.size(), refusals, byGroup);
        assertThat(refusals).as("cases that must answer 403 or 404").isGreaterThanOrEqualTo(300);

        Set<String> volatileOfA = Set.of("dashboard_sessions");
        String apiViewOfB = apiViewOfB();
        String rowsOfB = rows.of(tenantB, Set.of());
        String rowsOfA = rows.of(tenantA, volatileOfA);
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        int upsertsSeen = 0;
        // Rows and recommendations for a tenant without a model queue a training run of the
        // caller's own (its training_requests): the one write to A's rows a read may make.
        Set<String> queuedTrainingOfA = Set.of("dashboard_sessions", "training_requests");
        for (Case c : cases) {
            boolean anyIdRead = ANY_ID_READS.contains(c.route().template());
            String beforeOfA = anyIdRead ? rows.of(tenantA, queuedTrainingOfA) : null;
            HttpResponse<String> reply = send(c);
            check(c, reply).ifPresent(failures::add);
            if (!rows.of(tenantB, Set.of()).equals(rowsOfB)) {
                failures.add(c + ": changed tenant B's rows");
                rowsOfB = rows.of(tenantB, Set.of());
            }
            String nowOfA = rows.of(tenantA, volatileOfA);
            if (anyIdRead) {
                if (!rows.of(tenantA, queuedTrainingOfA).equals(beforeOfA)) {
                    failures.add(c + ": changed tenant A's rows beyond queueing a training run");
                }
            } else if (!c.upsert() && !nowOfA.equals(rowsOfA)) {
                failures.add(c + ": changed tenant A's rows (answered " + reply.statusCode() + ")");
            } else if (c.upsert() && !nowOfA.equals(rowsOfA)) {
                upsertsSeen++;
            }
            rowsOfA = nowOfA;
        }
        System.out.printf(
                "Tenant-isolation matrix: %d cases in %d ms%n",
                cases.size(), (System.nanoTime() - started) / 1_000_000);
        assertThat(failures).as("cases that failed").isEmpty();
        // The row check can see a write: A's upserts under B's ids changed A's own rows.
        assertThat(upsertsSeen).isPositive();
        assertThat(apiViewOfB()).as("B's data read back with B's key").isEqualTo(apiViewOfB);
    }

    /** Tenant routes with an id, every method served, every key of A's, B's ids. */
    private static List<Case> crossTenant(List<Route> routes) {
        List<Case> cases = new ArrayList<>();
        for (Route route : routes) {
            Optional<Scope> scope = route.requiredScope();
            if (scope.isEmpty() || route.parameters().isEmpty()) {
                continue;
            }
            for (String method : withHead(route.method())) {
                for (Caller key : KEYS_OF_A.values()) {
                    for (boolean encoded : List.of(false, true)) {
                        String path = route.fill(name -> id(route, name, idsOfB, encoded));
                        boolean allowed = key.scopes().contains(scope.get());
                        boolean upsert = allowed && UPSERTS.contains(route.toString());
                        Set<Integer> expected;
                        if (!allowed) {
                            expected = Set.of(403);
                        } else if (upsert || ANY_ID_READS.contains(route.template())) {
                            expected = Set.of(200);
                        } else {
                            expected = Set.of(404);
                        }
                        cases.add(new Case("B's ids", route, method, path, key, expected, upsert));
                    }
                }
            }
        }
        return cases;
    }

    /** Every tenant route with every key of A's that lacks its scope, on A's own ids. */
    private static List<Case> wrongScopeOnOwnIds(List<Route> routes) {
        List<Case> cases = new ArrayList<>();
        for (Route route : routes) {
            Optional<Scope> scope = route.requiredScope();
            if (scope.isEmpty()) {
                continue;
            }
            for (String method : withHead(route.method())) {
                for (Caller key : KEYS_OF_A.values()) {
                    if (key.scopes().contains(scope.get())) {
                        continue;
                    }
                    String path = route.fill(name -> id(route, name, idsOfA, false));
                    cases.add(
                            new Case("wrong scope", route, method, path, key, Set.of(403), false));
                }
            }
        }
        return cases;
    }

    /** Segment's endpoints check the write key themselves: every key without ingest gets 403. */
    private static List<Case> segmentWithoutIngest(List<Route> routes) {
        List<Case> cases = new ArrayList<>();
        for (Route route : routes) {
            Optional<Set<Scope>> scopes = ownKeyScopes(route);
            if (scopes.isEmpty()) {
                continue;
            }
            for (String path : expansions(route)) {
                for (Caller key : KEYS_OF_A.values()) {
                    // A 'client' key is a Segment write key by design (events, no email or
                    // consent changes: SegmentHardeningIT), so it is not a wrong scope here.
                    if (key.scopes().stream().noneMatch(scopes.get()::contains)) {
                        cases.add(
                                new Case(
                                        "Segment wrong scope",
                                        route,
                                        route.method(),
                                        path,
                                        key,
                                        Set.of(403),
                                        false));
                    }
                }
            }
        }
        return cases;
    }

    /** Operator routes, with B's tenant id where they take one: no tenant key opens them. */
    private static List<Case> operatorRoutes(List<Route> routes) {
        List<Case> cases = new ArrayList<>();
        for (Route route : routes) {
            if (!route.operatorOnly()) {
                continue;
            }
            for (Caller key : KEYS_OF_A.values()) {
                String path = route.fill(name -> id(route, name, idsOfB, false));
                cases.add(
                        new Case("operator", route, route.method(), path, key, Set.of(401), false));
            }
        }
        return cases;
    }

    /**
     * Dashboard routes with an id, signed in as A, on B's ids: the page is a 404, or a 403 when the
     * session lacks the route's scope (as an API key lacking a route's scope gets 403).
     */
    private static List<Case> dashboardOnIdsOfB(List<Route> routes) {
        List<Case> cases = new ArrayList<>();
        for (Route route : routes) {
            if (!route.signedIn() || route.parameters().isEmpty()) {
                continue;
            }
            for (String method : withHead(route.method())) {
                for (Caller session : SESSIONS_OF_A) {
                    for (boolean encoded : List.of(false, true)) {
                        String path = route.fill(name -> id(route, name, idsOfB, encoded));
                        cases.add(
                                new Case(
                                        "dashboard, B's ids",
                                        route,
                                        method,
                                        path,
                                        session,
                                        session.scopes().contains(route.dashboardScope())
                                                ? Set.of(404)
                                                : Set.of(403),
                                        false));
                    }
                }
            }
        }
        return cases;
    }

    /** Dashboard routes with a scope, signed in as A without it, on A's own ids: 403. */
    private static List<Case> dashboardWrongScope(List<Route> routes) {
        List<Case> cases = new ArrayList<>();
        for (Route route : routes) {
            if (!route.signedIn()) {
                continue;
            }
            for (String method : withHead(route.method())) {
                for (Caller session : SESSIONS_OF_A) {
                    if (!session.scopes().contains(route.dashboardScope())) {
                        String path = route.fill(name -> id(route, name, idsOfA, false));
                        cases.add(
                                new Case(
                                        "dashboard wrong scope",
                                        route,
                                        method,
                                        path,
                                        session,
                                        Set.of(403),
                                        false));
                    }
                }
            }
        }
        return cases;
    }

    /** Methods a tenant route with an id does not serve, on B's ids: 405, never a 2xx. */
    private static List<Case> unservedMethods(List<Route> routes) {
        Map<String, Set<String>> served = new TreeMap<>();
        Map<String, Route> example = new TreeMap<>();
        for (Route route : routes) {
            if (route.requiredScope().isPresent() && !route.parameters().isEmpty()) {
                served.computeIfAbsent(route.template(), t -> new java.util.HashSet<>())
                        .add(route.method());
                example.putIfAbsent(route.template(), route);
            }
        }
        List<Case> cases = new ArrayList<>();
        Caller all = KEYS_OF_A.get("A's all-scopes key");
        served.forEach(
                (template, methods) -> {
                    Route route = example.get(template);
                    for (String method : METHODS) {
                        if (!methods.contains(method)) {
                            String path = route.fill(name -> id(route, name, idsOfB, false));
                            cases.add(
                                    new Case(
                                            "unserved method",
                                            route,
                                            method,
                                            path,
                                            all,
                                            Set.of(405),
                                            false));
                        }
                    }
                });
        return cases;
    }

    private static List<String> withHead(String method) {
        return method.equals("GET") ? List.of("GET", "HEAD") : List.of(method);
    }

    private static Optional<Set<Scope>> ownKeyScopes(Route route) {
        return OWN_KEY_CHECK.entrySet().stream()
                .filter(entry -> route.template().startsWith(entry.getKey()))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** A route's concrete paths: one per alternative of a parameter such as {type: a|b}. */
    private static List<String> expansions(Route route) {
        List<String> paths = List.of(route.template());
        for (String parameter : route.parameters()) {
            String regex =
                    route.regex(parameter)
                            .orElseThrow(() -> new AssertionError("no values known for " + route));
            List<String> next = new ArrayList<>();
            for (String path : paths) {
                for (String value : regex.split("\\|")) {
                    next.add(
                            path.replaceFirst(
                                    "\\{\\s*" + Pattern.quote(parameter) + "\\s*(:[^}]*)?}",
                                    Matcher.quoteReplacement(value.strip())));
                }
            }
            paths = next;
        }
        return paths;
    }

    /** The id of one tenant's object that a path parameter names, plain or percent-encoded. */
    private static String id(Route route, String parameter, Ids ids, boolean encoded) {
        String template = route.template();
        String value;
        if (parameter.equals("action")) {
            // Not an id: a verb of the route (its first alternative, or launch).
            return route.regex(parameter)
                    .map(choices -> choices.split("\\|")[0].strip())
                    .orElse("launch");
        } else if (parameter.equals("campaignId")) {
            value = ids.campaign();
        } else if (parameter.equals("tenantId")) {
            value = ids == idsOfB ? tenantB : tenantA;
        } else if (template.startsWith("/v1/operator/") && parameter.equals("podId")) {
            // A pod is no tenant's object: an operator route, which no tenant key opens.
            value = "home";
        } else if (template.startsWith("/v1/operator/") && parameter.equals("keyId")) {
            value = ids.apiKey();
        } else if (template.startsWith("/v1/customers/{")) {
            value = ids.customer();
        } else if (template.startsWith("/v1/products/{")) {
            value = ids.product();
        } else if (template.startsWith("/v1/campaigns/{")) {
            value = ids.campaign();
        } else if (template.startsWith("/v1/journeys/{")) {
            value = ids.journey();
        } else if (template.startsWith("/v1/experiments/{")) {
            value = ids.experiment();
        } else if (template.startsWith("/v1/calendar-dates/{")) {
            value = ids.calendarDate();
        } else if (template.startsWith("/v1/api-keys/{")) {
            value = ids.apiKey();
        } else if (template.startsWith("/v1/suppressions/{")) {
            value = ids.suppressedEmail();
        } else {
            throw new AssertionError(
                    "Which tenant object does {" + parameter + "} of " + route + " name? Add it.");
        }
        return encoded ? percentEncodeAll(value) : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Every byte percent-encoded: a path filter reading the raw path must not be fooled. */
    private static String percentEncodeAll(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            encoded.append('%').append(String.format("%02X", b & 0xff));
        }
        return encoded.toString();
    }

    private static HttpResponse<String> send(Case c) {
        String key = c.method() + " " + c.route().template();
        boolean withBody = c.method().equals("POST") || c.method().equals("PUT");
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base() + c.path()))
                        .timeout(Duration.ofSeconds(30));
        c.caller().headers().forEach(request::header);
        String body = null;
        if (withBody && c.route().signedIn()) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
            request.header("Origin", base());
            body = "csrf=" + c.caller().csrf();
        } else if (withBody) {
            request.header("Content-Type", "application/json");
            body = BODIES.getOrDefault(key, "{}");
        }
        request.method(
                c.method(),
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(c.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What is wrong with an answer, if anything. */
    private static Optional<String> check(Case c, HttpResponse<String> reply) {
        int status = reply.statusCode();
        String type = reply.headers().firstValue("Content-Type").orElse("");
        if (!c.expected().contains(status)) {
            return Optional.of(
                    c
                            + ": answered "
                            + status
                            + ", expected "
                            + c.expected()
                            + ": "
                            + reply.body());
        }
        for (String secret : SECRETS_OF_B) {
            if (reply.body().contains(secret)) {
                return Optional.of(c + ": the answer shows B's '" + secret + "'");
            }
        }
        if (status >= 400) {
            String wanted = c.route().signedIn() ? "text/html" : PROBLEM;
            if (!type.startsWith(wanted)) {
                return Optional.of(c + ": answered " + status + " as '" + type + "'");
            }
            if (!c.method().equals("HEAD") && wanted.equals(PROBLEM)) {
                JsonNode problem = json(reply.body());
                if (problem == null || problem.path("status").asInt() != status) {
                    return Optional.of(c + ": not a problem body: " + reply.body());
                }
            }
        }
        return Optional.empty();
    }

    private static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** B's objects as B's own key reads them. */
    private static String apiViewOfB() {
        Function<String, String> read = path -> apiOfB.get(path).status() + apiOfB.get(path).body();
        return String.join(
                "\n",
                read.apply("/v1/customers/" + idsOfB.customer()),
                read.apply("/v1/customers/" + idsOfB.customer() + "/events"),
                read.apply("/v1/products/" + idsOfB.product()),
                read.apply("/v1/campaigns/" + idsOfB.campaign()),
                read.apply("/v1/campaigns/" + idsOfB.campaign() + "/ledger"),
                read.apply("/v1/campaigns/" + idsOfB.campaign() + "/sends"),
                read.apply("/v1/calendar-dates"),
                read.apply("/v1/program-holdout"),
                read.apply("/v1/api-keys"));
    }

    /** Signs in to the dashboard with a key, through the form; the session's cookie and token. */
    private static Caller signIn(String name, Caller key) {
        HttpResponse<String> form = raw("GET", "/dashboard/sign-in", Map.of(), null);
        String formCookie = cookie(form, "hilal_sign_in");
        String csrf = csrfOf(form.body());
        String apiKey = key.headers().get("Authorization").substring("Bearer ".length());
        HttpResponse<String> signedIn =
                raw(
                        "POST",
                        "/dashboard/sign-in",
                        Map.of(
                                "Cookie",
                                "hilal_sign_in=" + formCookie,
                                "Origin",
                                base(),
                                "Content-Type",
                                "application/x-www-form-urlencoded"),
                        "method=key&apiKey="
                                + URLEncoder.encode(apiKey, StandardCharsets.UTF_8)
                                + "&csrf="
                                + csrf);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        Map<String, String> headers =
                Map.of("Cookie", "hilal_session=" + cookie(signedIn, "hilal_session"));
        HttpResponse<String> page = raw("GET", "/dashboard/campaigns", headers, null);
        assertThat(page.statusCode()).isEqualTo(200);
        return new Caller(name, headers, key.scopes(), csrfOf(page.body()));
    }

    private static String cookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith(name + "="))
                .map(header -> header.substring(name.length() + 1).split(";", 2)[0])
                .findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + name));
    }

    private static String csrfOf(String html) {
        Matcher matcher = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"").matcher(html);
        assertThat(matcher.find()).as("a CSRF token in " + html).isTrue();
        return matcher.group(1);
    }

    private static HttpResponse<String> raw(
            String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + APP.getLocalPort();
    }
}
