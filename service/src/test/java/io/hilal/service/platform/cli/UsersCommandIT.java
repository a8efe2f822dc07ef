package io.hilal.service.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.dashboard.DashboardAuth;
import io.hilal.core.dashboard.DashboardRole;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.tenant.Scope;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.testing.TestApps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ./hilal users}: an operator creates, lists and disables dashboard users. */
class UsersCommandIT {
    static String url;
    static DashboardAuth auth;
    static String tenantId;

    @BeforeAll
    static void pointAtATestSchema() {
        url = TestDatabase.newSchema();
        System.setProperty("dw.database.url", url);
        System.setProperty("dw.database.user", TestDatabase.user());
        System.setProperty("dw.database.password", TestDatabase.password());
        System.setProperty("dw.logging.level", "WARN");
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        TenantService tenants = new TenantService(jdbi, Clock.systemUTC());
        tenantId = tenants.createTenant("Souq Dates", "Asia/Riyadh").tenant().tenantId();
        auth = new DashboardAuth(jdbi, tenants, Clock.systemUTC());
    }

    @AfterAll
    static void clear() {
        System.clearProperty("dw.database.url");
        System.clearProperty("dw.database.user");
        System.clearProperty("dw.database.password");
        System.clearProperty("dw.logging.level");
    }

    private static String run(String stdin, String... args) throws Exception {
        PrintStream original = System.out;
        InputStream originalIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] withConfig = new String[args.length + 1];
            withConfig[0] = args[0];
            withConfig[1] = TestApps.CONFIG;
            System.arraycopy(args, 1, withConfig, 2, args.length - 1);
            new HilalApplication().run(withConfig);
        } finally {
            System.setOut(original);
            System.setIn(originalIn);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void createsAUserWhoCanSignInThenDisablesThem() throws Exception {
        String created =
                run(
                        "a passphrase of some length\n",
                        "users",
                        "create",
                        "--tenant",
                        tenantId,
                        "--email",
                        "Owner@Souq.example",
                        "--password-stdin");

        assertThat(created).contains("<owner@souq.example> as viewer");
        assertThat(created).doesNotContain("a passphrase of some length");
        var session =
                auth.signInWithPassword(
                        "owner@souq.example", "a passphrase of some length".toCharArray());
        assertThat(session.session().tenantId()).isEqualTo(tenantId);
        assertThat(session.session().scopes()).containsExactly(Scope.READ);
        assertThat(run("", "users", "list", "--tenant", tenantId)).contains("owner@souq.example");

        run("", "users", "disable", "--tenant", tenantId, "--email", "owner@souq.example");

        assertThat(auth.session(session.token())).isEmpty();
        assertThatThrownBy(
                        () ->
                                auth.signInWithPassword(
                                        "owner@souq.example",
                                        "a passphrase of some length".toCharArray()))
                .hasMessageContaining("The email or the password is wrong");
    }

    @Test
    void refusesAShortPasswordAndATakenEmailAndCreatesNothing() {
        auth.createUser(
                tenantId,
                "taken@souq.example",
                "long enough password".toCharArray(),
                DashboardRole.VIEWER);

        assertThatThrownBy(
                        () ->
                                auth.createUser(
                                        tenantId,
                                        "new@souq.example",
                                        "short".toCharArray(),
                                        DashboardRole.VIEWER))
                .hasMessageContaining("password");
        assertThatThrownBy(
                        () ->
                                auth.createUser(
                                        tenantId,
                                        "TAKEN@souq.example",
                                        "another long password".toCharArray(),
                                        DashboardRole.VIEWER))
                .hasMessageContaining("already exists");
        assertThat(auth.listUsers(tenantId))
                .extracting(user -> user.email())
                .doesNotContain("new@souq.example")
                .containsOnlyOnce("taken@souq.example");
    }

    @Test
    void aRoleGivesASessionItsScopesAndAChangeTakesEffectOnTheNextRequest() throws Exception {
        String created =
                run(
                        "a passphrase of some length\n",
                        "users",
                        "create",
                        "--tenant",
                        tenantId,
                        "--email",
                        "marketer@souq.example",
                        "--role",
                        "marketer",
                        "--password-stdin");
        assertThat(created).contains("<marketer@souq.example> as marketer");
        var session =
                auth.signInWithPassword(
                        "marketer@souq.example", "a passphrase of some length".toCharArray());
        assertThat(session.session().scopes())
                .containsExactlyInAnyOrder(Scope.READ, Scope.CAMPAIGNS);

        run(
                "",
                "users",
                "role",
                "--tenant",
                tenantId,
                "--email",
                "marketer@souq.example",
                "--role",
                "viewer");

        assertThat(auth.session(session.token()).orElseThrow().scopes())
                .containsExactly(Scope.READ);
        assertThat(run("", "users", "list", "--tenant", tenantId))
                .containsPattern("marketer@souq.example\\s+viewer");
        run(
                "",
                "users",
                "role",
                "--tenant",
                tenantId,
                "--email",
                "marketer@souq.example",
                "--role",
                "admin");
        assertThat(auth.session(session.token()).orElseThrow().scopes())
                .containsExactlyInAnyOrderElementsOf(Scope.all());
    }
}
