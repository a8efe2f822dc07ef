package io.hilal.service.platform.cli;

import io.dropwizard.core.setup.Bootstrap;
import io.hilal.core.dashboard.DashboardAuth;
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
 * {@code users create|list|disable --tenant T}: the people who sign in to a tenant's dashboard. The
 * password is never an argument (it would land in the shell history and the process list): it is
 * typed at a prompt, or read from standard input with {@code --password-stdin}.
 */
public final class UsersCommand extends DatabaseCommand {
    public UsersCommand() {
        super("users", "Create, list or disable a tenant's dashboard users");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("action").choices("create", "list", "disable").help("what to do");
        subparser.addArgument("--tenant").required(true).help("tenant id");
        subparser.addArgument("--email").help("the user's email (create, disable)");
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
                        database.jdbi(), new TenantService(database.jdbi(), clock), clock);
        String tenantId = namespace.getString("tenant");
        String email = namespace.getString("email");
        switch (namespace.getString("action")) {
            case "create" -> {
                requireEmail(email);
                char[] password = password(namespace.getBoolean("passwordStdin"));
                DashboardUser user = auth.createUser(tenantId, email, password);
                java.util.Arrays.fill(password, '\0');
                System.out.println("created " + user.userId() + " <" + user.email() + ">");
                System.out.println("sign in at /dashboard/sign-in");
            }
            case "disable" -> {
                requireEmail(email);
                auth.disableUser(tenantId, email);
                System.out.println("disabled " + email + "; their sessions have ended");
            }
            default -> {
                System.out.printf("%-18s %-40s %-26s %s%n", "USER", "EMAIL", "CREATED", "DISABLED");
                for (DashboardUser user : auth.listUsers(tenantId)) {
                    System.out.printf(
                            "%-18s %-40s %-26s %s%n",
                            user.userId(),
                            user.email(),
                            user.createdAt(),
                            user.disabled() ? user.disabledAt() : "-");
                }
            }
        }
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
