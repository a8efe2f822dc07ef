package io.hilal.service.platform.cli;

import io.dropwizard.core.setup.Bootstrap;
import io.hilal.core.dashboard.DashboardAuth;
import io.hilal.core.dashboard.DashboardRole;
import io.hilal.core.dashboard.DashboardUser;
import io.hilal.core.db.Database;
import io.hilal.core.tenant.TenantService;
import io.hilal.service.HilalConfiguration;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code users create|list|role|disable --tenant T}: the people who sign in to a tenant's
 * dashboard, each with a role ({@code --role viewer|marketer|admin}; a new user is a viewer unless
 * told otherwise, and {@code role} changes it, effective on their next request). The password is
 * never an argument (it would land in the shell history and the process list): it is typed at a
 * prompt, or read from standard input with {@code --password-stdin}.
 */
public final class UsersCommand extends DatabaseCommand {
    public UsersCommand() {
        super("users", "Create, list, change the role of or disable a tenant's dashboard users");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser
                .addArgument("action")
                .choices("create", "list", "role", "disable")
                .help("what to do");
        subparser.addArgument("--tenant").required(true).help("tenant id");
        subparser.addArgument("--email").help("the user's email (create, role, disable)");
        subparser
                .addArgument("--role")
                .choices("viewer", "marketer", "admin")
                .help(
                        "viewer: reads; marketer: also launches and pauses campaigns; admin:"
                                + " everything (create: default viewer; role: required)");
        subparser
                .addArgument("--password-stdin")
                .dest("passwordStdin")
                .action(net.sourceforge.argparse4j.impl.Arguments.storeTrue())
                .help("read the password from the first line of standard input");
    }

    @Override
    void run(Database database, Namespace namespace, Bootstrap<HilalConfiguration> bootstrap)
            throws IOException {
        Clock clock = Clock.systemUTC();
        DashboardAuth auth =
                new DashboardAuth(
                        database.homeJdbi(), new TenantService(database.homeJdbi(), clock), clock);
        String tenantId = namespace.getString("tenant");
        String email = namespace.getString("email");
        switch (namespace.getString("action")) {
            case "create" -> {
                requireEmail(email);
                char[] password = password(namespace.getBoolean("passwordStdin"));
                DashboardRole role = role(namespace, DashboardRole.VIEWER);
                DashboardUser user = auth.createUser(tenantId, email, password, role);
                java.util.Arrays.fill(password, '\0');
                System.out.println(
                        "created "
                                + user.userId()
                                + " <"
                                + user.email()
                                + "> as "
                                + user.role().wireName());
                System.out.println("sign in at /dashboard/sign-in");
            }
            case "role" -> {
                requireEmail(email);
                DashboardRole role = role(namespace, null);
                auth.setRole(tenantId, email, role);
                System.out.println(email + " is now " + role.wireName());
            }
            case "disable" -> {
                requireEmail(email);
                auth.disableUser(tenantId, email);
                System.out.println("disabled " + email + "; their sessions have ended");
            }
            default -> {
                System.out.printf(
                        "%-18s %-40s %-9s %-26s %s%n",
                        "USER", "EMAIL", "ROLE", "CREATED", "DISABLED");
                for (DashboardUser user : auth.listUsers(tenantId)) {
                    System.out.printf(
                            "%-18s %-40s %-9s %-26s %s%n",
                            user.userId(),
                            user.email(),
                            user.role().wireName(),
                            user.createdAt(),
                            user.disabled() ? user.disabledAt() : "-");
                }
            }
        }
    }

    private static DashboardRole role(Namespace namespace, DashboardRole otherwise) {
        String given = namespace.getString("role");
        if (given == null) {
            if (otherwise == null) {
                throw new IllegalArgumentException("--role is required");
            }
            return otherwise;
        }
        return DashboardRole.fromWireName(given).orElseThrow();
    }

    private static void requireEmail(String email) {
        if (email == null || email.isBlank()) {
            throw new IllegalArgumentException("--email is required");
        }
    }

    private static char[] password(boolean fromStdin) throws IOException {
        Console console = System.console();
        if (!fromStdin && console != null) {
            char[] first = console.readPassword("Password (at least %d characters): ", 12);
            char[] again = console.readPassword("Again: ");
            if (first == null || !java.util.Arrays.equals(first, again)) {
                throw new IllegalArgumentException("the passwords differ");
            }
            return first;
        }
        String line =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        .readLine();
        if (line == null) {
            throw new IllegalArgumentException("no password on standard input");
        }
        return line.toCharArray();
    }
}
