package io.hilal.service.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mysql.cj.jdbc.MysqlDataSource;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hilal.core.db.Database;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.demo.OnlineRetailImporter;
import io.hilal.core.pods.DbScope;
import io.hilal.core.pods.PodRouter;
import io.hilal.core.reco.ArtifactChunks;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.platform.cli.DemoCommand;
import io.hilal.service.platform.cli.ImportCommand;
import io.hilal.service.platform.errors.ProblemWriter;
import io.hilal.service.testing.Api;
import io.hilal.service.testing.TestApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Tenant pods through the real service: a home database (the test's shared server) and a second pod
 * on a database server of its own, another process. New tenants are placed by load, each tenant's
 * rows land in its pod and nowhere else, a query without a tenant is refused, and a tenant moved
 * between pods while it keeps ingesting loses no acknowledged event.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantPodsIT {
    /** Set by surefire (service/pom.xml), as an operator's secret store sets a pod's password. */
    private static final String PASSWORD_VARIABLE = "HILAL_POD_TEST_PASSWORD";

    private static final TestDatabase.Server POD_SERVER =
            withPasswordOf(PASSWORD_VARIABLE, TestDatabase.anotherServer());
    private static final String POD_URL;
    private static final String POD_C_URL;

    static {
        POD_SERVER.createSchema("hilal_pod_b");
        POD_URL = POD_SERVER.jdbcUrl("hilal_pod_b");
        POD_SERVER.createSchema("hilal_pod_c");
        POD_C_URL = POD_SERVER.jdbcUrl("hilal_pod_c");
    }

    /**
     * The server, its account's password now the variable's value: unlike the home server's, so a
     * pod that fell back to the home password could not connect.
     */
    private static TestDatabase.Server withPasswordOf(String variable, TestDatabase.Server server) {
        String password = System.getenv(variable);
        if (password == null) {
            throw new IllegalStateException(
                    variable
                            + " is not set: run this test through Maven (service/pom.xml sets it)");
        }
        try (Connection connection =
                        DriverManager.getConnection(
                                server.jdbcUrl(""), server.user(), server.password());
                PreparedStatement statement =
                        connection.prepareStatement("SET PASSWORD = PASSWORD(?)")) {
            statement.setString(1, password);
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new TestDatabase.Server(server.host(), server.port(), server.user(), password);
    }

    static final DropwizardAppExtension<HilalConfiguration> APP =
            TestApps.app(
                    ConfigOverride.config("database.podRefreshMillis", "100"),
                    ConfigOverride.config("database.moveGraceMillis", "200"));

    private static Api operator;
    private static Jdbi home;
    private static Jdbi podB;
    private static String[] alpha;
    private static String[] beta;

    private static final ListAppender<ILoggingEvent> PROBLEM_LINES = new ListAppender<>();

    @BeforeAll
    static void captureProblemLines() {
        PROBLEM_LINES.start();
        ((Logger) LoggerFactory.getLogger(ProblemWriter.class)).addAppender(PROBLEM_LINES);
    }

    @AfterAll
    static void releaseProblemLines() {
        ((Logger) LoggerFactory.getLogger(ProblemWriter.class)).detachAppender(PROBLEM_LINES);
    }

    @BeforeAll
    static void addPodB() {
        operator = new Api(APP.getLocalPort(), TestApps.OPERATOR_KEY);
        home = TestApps.jdbi(APP);
        MysqlDataSource pod = new MysqlDataSource();
        pod.setURL(POD_URL);
        pod.setUser(POD_SERVER.user());
        pod.setPassword(POD_SERVER.password());
        podB = HilalJdbi.configure(Jdbi.create(pod));
        Api.Reply added = operator.post("/v1/operator/pods", addPod("b", POD_URL));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.body()).doesNotContain(POD_SERVER.password());
    }

    private static String addPod(String podId, String url) {
        return "{\"podId\": \""
                + podId
                + "\", \"jdbcUrl\": \""
                + url
                + "\", \"user\": \""
                + POD_SERVER.user()
                + "\", \"password\": \""
                + POD_SERVER.password()
                + "\"}";
    }

    @Test
    @Order(1)
    void aPodIsCheckedBeforeItIsAddedAndBadInputChangesNothing() {
        assertProblem(operator.post("/v1/operator/pods", addPod("Not OK!", POD_URL)), 422, "podId");
        assertProblem(operator.post("/v1/operator/pods", addPod("c", "http://x/")), 422, "jdbcUrl");
        assertProblem(
                operator.post("/v1/operator/pods", addPod("c", "jdbc:mysql://127.0.0.1:1/none")),
                422,
                "jdbcUrl");
        // The same database under another name: a move there would delete the tenant.
        assertProblem(operator.post("/v1/operator/pods", addPod("c", POD_URL)), 422, "jdbcUrl");
        Api.Reply twice = operator.post("/v1/operator/pods", addPod("b", POD_URL));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.contentType()).isEqualTo("application/problem+json");
        assertProblem(
                operator.put("/v1/operator/pods/b/status", "{\"status\": \"SHUT\"}"),
                422,
                "status");
        assertThat(operator.put("/v1/operator/pods/zz/status", "{\"status\": \"CLOSED\"}").status())
                .isEqualTo(404);
        assertThat(new Api(APP.getLocalPort(), null).get("/v1/operator/pods").status())
                .isEqualTo(401);

        Api.Reply pods = operator.get("/v1/operator/pods");
        assertThat(pods.json().get("items").findValuesAsText("podId")).containsExactly("home", "b");
        assertThat(pods.json().get("items").findValuesAsText("status"))
                .containsExactly("ACTIVE", "ACTIVE");
        assertThat(pods.body()).doesNotContain(POD_SERVER.password());
        assertThat(
                        home.<Long, RuntimeException>withHandle(
                                h ->
                                        h.createQuery("SELECT COUNT(*) FROM pods")
                                                .mapTo(Long.class)
                                                .one()))
                .isEqualTo(2);
    }

    @Test
    @Order(2)
    void newTenantsGoToTheLeastLoadedPodAndTheirRowsLandThereOnly() {
        alpha = Api.newTenant(APP.getLocalPort(), "alpha");
        // Both pods empty: home first.
        assertThat(podOf(alpha[0])).isEqualTo("home");
        Api alphaApi = new Api(APP.getLocalPort(), alpha[1]);
        assertThat(alphaApi.post("/v1/events", views("a", 0, 20)).status()).isEqualTo(200);
        assertThat(
                        alphaApi.put("/v1/customers/shared-id", "{\"email\": \"a@example.com\"}")
                                .status())
                .isIn(200, 201);

        beta = Api.newTenant(APP.getLocalPort(), "beta");
        assertThat(podOf(beta[0])).as("home has 20 events of the last day, b none").isEqualTo("b");
        Api betaApi = new Api(APP.getLocalPort(), beta[1]);
        assertThat(betaApi.post("/v1/events", views("b", 0, 7)).status()).isEqualTo(200);
        assertThat(
                        betaApi.put("/v1/customers/shared-id", "{\"email\": \"b@example.com\"}")
                                .status())
                .isIn(200, 201);

        assertThat(events(home, alpha[0])).isEqualTo(20);
        assertThat(events(podB, alpha[0])).isZero();
        assertThat(events(podB, beta[0])).isEqualTo(7);
        assertThat(events(home, beta[0])).isZero();
        assertThat(
                        podB.<List<String>, RuntimeException>withHandle(
                                h ->
                                        h.createQuery(
                                                        "SELECT email FROM customers WHERE"
                                                                + " tenant_id = :t AND"
                                                                + " customer_id = 'shared-id'")
                                                .bind("t", beta[0])
                                                .mapTo(String.class)
                                                .list()))
                .containsExactly("b@example.com");
        // Each tenant reads its own pod through the API, never the other's rows.
        assertThat(betaApi.get("/v1/customers/shared-id").json().get("email").asText())
                .isEqualTo("b@example.com");
        assertThat(alphaApi.get("/v1/customers/shared-id").json().get("email").asText())
                .isEqualTo("a@example.com");
        assertThat(betaApi.get("/v1/overview").json().get("events").asLong()).isEqualTo(7);
        assertThat(alphaApi.get("/v1/overview").json().get("events").asLong()).isEqualTo(20);
        assertThat(betaApi.get("/v1/customers/a-0/events").status()).isEqualTo(404);
        // The operator's per-tenant reads go to the tenant's pod as well.
        assertThat(
                        operator.get("/v1/operator/tenants/" + beta[0] + "/usage?days=1")
                                .json()
                                .at("/stored/events")
                                .asLong())
                .isEqualTo(7);
    }

    @Test
    @Order(3)
    void aQueryWithoutATenantIsRefusedRatherThanSentHome() {
        var database = ((HilalApplication) APP.getApplication()).database();
        Jdbi routed = database.jdbi();
        assertThatThrownBy(
                        () ->
                                routed.withHandle(
                                        h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()))
                .isInstanceOf(PodRouter.MissingScopeException.class);
        assertThat(DbScope.tenant(beta[0], () -> events(routed, beta[0]))).isEqualTo(7);
        assertThat(DbScope.tenant(alpha[0], () -> events(routed, beta[0])))
                .as("alpha's pod has none of beta's rows")
                .isZero();
        assertThat(DbScope.pod("b", () -> events(routed, beta[0]))).isEqualTo(7);
        assertThat(DbScope.home(() -> events(routed, alpha[0]))).isEqualTo(20);
    }

    @Test
    @Order(4)
    void theOperatorsTrainingQuotaHoldsForATenantOnAnotherPod() {
        // The quota is kept at home, the runs it counts in the tenant's pod.
        assertThat(
                        operator.put(
                                        "/v1/operator/tenants/" + beta[0] + "/quotas",
                                        "{\"trainingSecondsPerDay\": 1}")
                                .status())
                .isEqualTo(200);
        podB.useHandle(
                handle ->
                        handle.execute(
                                "INSERT INTO training_requests (tenant_id, request_id, status,"
                                        + " requested_at, started_at, finished_at) VALUES (?,"
                                        + " 'earlier', 'DONE', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)"
                                        + " - INTERVAL 0.5 SECOND, UTC_TIMESTAMP(3) + INTERVAL 5"
                                        + " SECOND)",
                                beta[0]));

        Api.Reply refused = new Api(APP.getLocalPort(), beta[1]).post("/v1/models/train", "");

        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.json().get("code").asText()).isEqualTo("training_quota_exceeded");
        assertThat(new Api(APP.getLocalPort(), alpha[1]).post("/v1/models/train", "").status())
                .as("alpha has no quota")
                .isEqualTo(202);
        assertThat(operator.put("/v1/operator/tenants/" + beta[0] + "/quotas", "{}").status())
                .isEqualTo(200);
    }

    @Test
    @Order(5)
    void movingATenantWhileItIngestsLosesNoAcknowledgedEvent() throws Exception {
        assertProblem(move(beta[0], "nowhere"), 422, "targetPod");
        assertProblem(move(beta[0], "b"), 422, "targetPod");
        assertProblem(move(beta[0], null), 422, "targetPod");
        assertThat(move("ten_missing", "home").status()).isEqualTo(404);
        assertThat(podOf(beta[0])).isEqualTo("b");

        Api betaApi = new Api(APP.getLocalPort(), beta[1]);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger frozenAnswers = new AtomicInteger();
        List<String> unexpected = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread ingest =
                new Thread(
                        () -> {
                            for (int batch = 0; !stop.get(); batch++) {
                                String body = mixed("m" + batch + "-", 5);
                                // As the SDK does: a 503 is tried again, the same batch.
                                while (true) {
                                    Api.Reply reply = betaApi.post("/v1/events", body);
                                    if (reply.status() == 200) {
                                        reply.json()
                                                .get("results")
                                                .forEach(
                                                        r ->
                                                                acknowledged.add(
                                                                        r.get("messageId")
                                                                                .asText()));
                                        break;
                                    }
                                    if (reply.status() == 503
                                            && reply.json()
                                                    .get("code")
                                                    .asText()
                                                    .equals("tenant_moving")
                                            && reply.header("Retry-After") != null) {
                                        frozenAnswers.incrementAndGet();
                                        continue;
                                    }
                                    synchronized (unexpected) {
                                        unexpected.add(reply.status() + " " + reply.body());
                                    }
                                    return;
                                }
                            }
                        },
                        "beta-ingest");
        ingest.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 50);
        // A model whose artifact is stored in several chunks moves with its tenant, byte for byte.
        byte[] artifact = new byte[2 * ArtifactChunks.CHUNK_BYTES + 123];
        new java.util.Random(5).nextBytes(artifact);
        int version =
                new ModelStore(podB, Clock.systemUTC())
                        .saveAndActivate(
                                beta[0],
                                new ModelStore.Trained("als", null, null, "{}", "{}", artifact));

        Api.Reply moved = move(beta[0], "home");

        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        int atSwitch = acknowledged.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= atSwitch + 50);
        stop.set(true);
        ingest.join(30_000);
        assertThat(unexpected).isEmpty();
        assertThat(frozenAnswers.get())
                .as("writes during the switch were told to retry")
                .isPositive();
        // The freeze answers every write of the shop 503 for seconds: logged as the database's
        // outages are, a short line now and then, not a stack trace a request.
        List<ILoggingEvent> movingLines =
                PROBLEM_LINES.list.stream()
                        .filter(line -> line.getFormattedMessage().contains("tenant_moving"))
                        .toList();
        assertThat(movingLines).isNotEmpty().hasSizeLessThanOrEqualTo(frozenAnswers.get());
        assertThat(movingLines).allSatisfy(line -> assertThat(line.getThrowableProxy()).isNull());
        // The operator's own move: a warning that says so, not an error.
        assertThat(movingLines)
                .allSatisfy(
                        line -> {
                            assertThat(line.getLevel()).isEqualTo(Level.WARN);
                            assertThat(line.getFormattedMessage())
                                    .contains("frozen while a move switches it to another pod");
                        });
        assertThat(podOf(beta[0])).isEqualTo("home");
        moved.json()
                .get("counts")
                .forEach(
                        count ->
                                assertThat(count.get("target").asLong())
                                        .as(count.get("table").asText())
                                        .isEqualTo(count.get("source").asLong()));

        List<String> stored =
                home.withHandle(
                        h ->
                                h.createQuery("SELECT message_id FROM events WHERE tenant_id = :t")
                                        .bind("t", beta[0])
                                        .mapTo(String.class)
                                        .list());
        assertThat(stored).containsAll(acknowledged);
        assertThat(stored).hasSize(acknowledged.size() + 7);
        long lines =
                home.withHandle(
                        h ->
                                h.createQuery(
                                                "SELECT COUNT(*) FROM order_lines WHERE tenant_id = :t")
                                        .bind("t", beta[0])
                                        .mapTo(Long.class)
                                        .one());
        assertThat(lines).isEqualTo(acknowledged.stream().filter(id -> id.endsWith("o")).count());
        await().atMost(Duration.ofSeconds(10)).until(() -> events(podB, beta[0]) == 0);
        assertThat(new ModelStore(home, Clock.systemUTC()).artifact(beta[0], "als", version))
                .contains(artifact);
        assertThat(
                        podB.<Long, RuntimeException>withHandle(
                                h ->
                                        h.createQuery(
                                                        "SELECT COUNT(*) FROM model_artifact_chunks"
                                                                + " WHERE tenant_id = :t")
                                                .bind("t", beta[0])
                                                .mapTo(Long.class)
                                                .one()))
                .isZero();
        assertThat(
                        podB.<Long, RuntimeException>withHandle(
                                h ->
                                        h.createQuery(
                                                        "SELECT COUNT(*) FROM customers WHERE"
                                                                + " tenant_id = :t")
                                                .bind("t", beta[0])
                                                .mapTo(Long.class)
                                                .one()))
                .isZero();
        assertThat(betaApi.get("/v1/customers/shared-id").json().get("email").asText())
                .isEqualTo("b@example.com");
        assertThat(betaApi.get("/v1/overview").json().get("events").asLong())
                .isEqualTo(acknowledged.size() + 7);
        assertThat(events(home, alpha[0])).as("alpha untouched").isEqualTo(20);
    }

    @Test
    @Order(5)
    void aPodsPasswordMayComeFromTheEnvironmentAndOnlyTheVariablesNameIsKept() {
        assertProblem(
                operator.post("/v1/operator/pods", envPod("c", "HILAL_POD_NOT_SET_ANYWHERE")),
                422,
                "passwordEnv");
        Api.Reply notSet =
                operator.post("/v1/operator/pods", envPod("c", "HILAL_POD_NOT_SET_ANYWHERE"));
        assertThat(notSet.body()).contains("HILAL_POD_NOT_SET_ANYWHERE is not set");
        // Only variables meant for pods: not a way to send the process's other secrets away.
        assertProblem(
                operator.post("/v1/operator/pods", envPod("c", "HILAL_LINK_SECRET")),
                422,
                "passwordEnv");
        assertProblem(
                operator.post(
                        "/v1/operator/pods",
                        "{\"podId\": \"c\", \"jdbcUrl\": \""
                                + POD_C_URL
                                + "\", \"password\": \"x\", \"passwordEnv\": \""
                                + PASSWORD_VARIABLE
                                + "\"}"),
                422,
                "passwordEnv");
        assertThat(operator.get("/v1/operator/pods").json().get("items").findValuesAsText("podId"))
                .containsExactly("home", "b");

        Api.Reply added = operator.post("/v1/operator/pods", envPod("c", PASSWORD_VARIABLE));

        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json().get("passwordEnv").asText()).isEqualTo(PASSWORD_VARIABLE);
        Api.Reply pods = operator.get("/v1/operator/pods");
        assertThat(pods.json().get("items").findValuesAsText("podId"))
                .containsExactly("home", "b", "c");
        assertThat(added.body() + pods.body()).doesNotContain(POD_SERVER.password());
        // The directory holds the variable's name, never the password.
        assertThat(
                        home.<String, RuntimeException>withHandle(
                                h ->
                                        h.createQuery(
                                                        "SELECT CONCAT(COALESCE(db_password,"
                                                                + " '<none>'), ' ',"
                                                                + " db_password_env) FROM pods"
                                                                + " WHERE pod_id = 'c'")
                                                .mapTo(String.class)
                                                .one()))
                .isEqualTo("<none> " + PASSWORD_VARIABLE);

        // Connections made with the variable's value: alpha's rows move there and are served.
        Api.Reply moved = move(alpha[0], "c");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(podOf(alpha[0])).isEqualTo("c");
        MysqlDataSource pod = new MysqlDataSource();
        pod.setURL(POD_C_URL);
        pod.setUser(POD_SERVER.user());
        pod.setPassword(POD_SERVER.password());
        assertThat(events(HilalJdbi.configure(Jdbi.create(pod)), alpha[0])).isEqualTo(20);
        assertThat(
                        new Api(APP.getLocalPort(), alpha[1])
                                .get("/v1/overview")
                                .json()
                                .get("events")
                                .asLong())
                .isEqualTo(20);
    }

    @Test
    @Order(6)
    void theImportAndDemoCommandsWorkInTheTenantsPod() throws Exception {
        String[] gamma = Api.newTenant(APP.getLocalPort(), "gamma");
        assertThat(podOf(gamma[0])).as("b is empty since beta left").isEqualTo("b");
        Path csv = Files.createTempFile("online-retail-", ".csv");
        Files.writeString(
                csv,
                "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
                        + "536365,85123A,HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,UK\n"
                        + "536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,UK\n"
                        + "536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17851.0,UK\n"
                        + "536367,85123A,HEART T-LIGHT HOLDER,2,2010-12-02 09:00:00,2.55,17852.0,UK\n");
        // The commands' own database, opened as `./hilal import` and `./hilal demo` open it.
        try (Database cli = APP.getConfiguration().getDatabase().open("cli-test")) {
            assertThatThrownBy(() -> ImportCommand.importInto(cli, "ten_missing", csv, line -> {}))
                    .hasMessageContaining("No tenant ten_missing");

            OnlineRetailImporter.Summary imported =
                    ImportCommand.importInto(cli, gamma[0], csv, line -> {});

            assertThat(imported.accepted()).isEqualTo(3);
            assertThat(events(podB, gamma[0])).isEqualTo(3);
            assertThat(events(home, gamma[0])).isZero();

            DemoCommand.loadAndTrain(
                    cli, new TenantService(cli.homeJdbi(), Clock.systemUTC()), gamma[0], csv);
            assertThat(events(podB, gamma[0])).as("imported once").isEqualTo(3);
            assertThat(
                            podB.<Long, RuntimeException>withHandle(
                                    h ->
                                            h.createQuery(
                                                            "SELECT COUNT(*) FROM model_versions"
                                                                    + " WHERE tenant_id = :t")
                                                    .bind("t", gamma[0])
                                                    .mapTo(Long.class)
                                                    .one()))
                    .isPositive();

            // The demo's campaign is sent from threads it does not own (Quartz, an executor):
            // a data source fixed on the tenant reaches its pod from any of them.
            Jdbi fixed =
                    HilalJdbi.configure(
                            Jdbi.create(
                                    cli.pods()
                                            .tenantDataSource(gamma[0], PodRouter.Family.SENDER)));
            AtomicReference<Long> seen = new AtomicReference<>();
            Thread unscoped = new Thread(() -> seen.set(events(fixed, gamma[0])));
            unscoped.start();
            unscoped.join(30_000);
            assertThat(seen.get()).isEqualTo(3);
        } finally {
            Files.delete(csv);
        }
    }

    /**
     * A pod given no password of its own is refused, naming the missing credential, rather than
     * silently connecting with the home database's; the operator may ask for the home database's
     * credentials explicitly (a pod on the home server's account).
     */
    @Test
    @Order(7)
    void aPodWithoutAPasswordIsRefusedUnlessTheHomeCredentialsAreAskedFor() {
        String homeServerSchema = "hilal_pod_home_creds";
        TestDatabase.server().createSchema(homeServerSchema);
        String url = TestDatabase.server().jdbcUrl(homeServerSchema);
        List<String> before =
                operator.get("/v1/operator/pods").json().get("items").findValuesAsText("podId");

        Api.Reply noPassword =
                operator.post(
                        "/v1/operator/pods",
                        "{\"podId\": \"d\", \"jdbcUrl\": \""
                                + url
                                + "\", \"user\": \""
                                + TestDatabase.user()
                                + "\"}");
        assertProblem(noPassword, 422, "password");
        assertThat(noPassword.body()).contains("homeCredentials");
        assertProblem(
                operator.post(
                        "/v1/operator/pods",
                        "{\"podId\": \"d\", \"jdbcUrl\": \""
                                + url
                                + "\", \"password\": \"x\", \"homeCredentials\": true}"),
                422,
                "homeCredentials");
        assertThat(operator.get("/v1/operator/pods").json().get("items").findValuesAsText("podId"))
                .isEqualTo(before);

        Api.Reply added =
                operator.post(
                        "/v1/operator/pods",
                        "{\"podId\": \"d\", \"jdbcUrl\": \""
                                + url
                                + "\", \"homeCredentials\": true}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json().get("homeCredentials").asBoolean()).isTrue();
        assertThat(added.body()).doesNotContain(TestDatabase.password());
        // No tenant goes there in the tests that may follow.
        assertThat(operator.put("/v1/operator/pods/d/status", "{\"status\": \"CLOSED\"}").status())
                .isEqualTo(200);
        assertThat(
                        home.<Boolean, RuntimeException>withHandle(
                                h ->
                                        h.createQuery(
                                                        "SELECT home_credentials AND db_password IS"
                                                                + " NULL AND db_password_env IS NULL"
                                                                + " FROM pods WHERE pod_id = 'd'")
                                                .mapTo(Boolean.class)
                                                .one()))
                .isTrue();
    }

    private static String envPod(String podId, String variable) {
        return "{\"podId\": \""
                + podId
                + "\", \"jdbcUrl\": \""
                + POD_C_URL
                + "\", \"user\": \""
                + POD_SERVER.user()
                + "\", \"passwordEnv\": \""
                + variable
                + "\"}";
    }

    private static Api.Reply move(String tenantId, String target) {
        return operator.post(
                "/v1/operator/moves",
                "{\"tenantId\": \""
                        + tenantId
                        + "\""
                        + (target == null ? "" : ", \"targetPod\": \"" + target + "\"")
                        + "}");
    }

    private static String podOf(String tenantId) {
        return operator.get("/v1/operator/placements/" + tenantId).json().get("podId").asText();
    }

    private static long events(Jdbi jdbi, String tenantId) {
        return jdbi.withHandle(
                h ->
                        h.createQuery("SELECT COUNT(*) FROM events WHERE tenant_id = :t")
                                .bind("t", tenantId)
                                .mapTo(Long.class)
                                .one());
    }

    private static String views(String prefix, int from, int count) {
        List<String> events = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            events.add(
                    "{\"messageId\": \""
                            + prefix
                            + "-view-"
                            + i
                            + "\", \"type\": \"product_viewed\","
                            + " \"customerId\": \""
                            + prefix
                            + "-"
                            + i
                            + "\", \"productId\": \"p1\"}");
        }
        return "{\"events\": [" + String.join(",", events) + "]}";
    }

    /** Views and orders (a message id ending in "o"), so order lines move with their events. */
    private static String mixed(String prefix, int count) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                events.add(
                        "{\"messageId\": \""
                                + prefix
                                + i
                                + "o\", \"type\": \"order_completed\","
                                + " \"customerId\": \"c-"
                                + i
                                + "\", \"orderId\": \""
                                + prefix
                                + i
                                + "\", \"lines\": [{\"productId\": \"p1\", \"quantity\": 1,"
                                + " \"unitPrice\": 5, \"currency\": \"USD\"}]}");
            } else {
                events.add(
                        "{\"messageId\": \""
                                + prefix
                                + i
                                + "v\", \"type\": \"product_viewed\","
                                + " \"customerId\": \"c-"
                                + i
                                + "\", \"productId\": \"p1\"}");
            }
        }
        return "{\"events\": [" + String.join(",", events) + "]}";
    }

    private static void assertProblem(Api.Reply reply, int status, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.json().get("errors").findValuesAsText("field")).contains(field);
    }
}
