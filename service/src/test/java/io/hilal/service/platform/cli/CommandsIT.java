package io.hilal.service.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.testing.TestApps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator commands, run as {@code ./hilal} runs them, against a test schema. */
class CommandsIT {
    @BeforeAll
    static void pointAtATestSchema() {
        // Dropwizard reads dw.* system properties as configuration overrides.
        System.setProperty("dw.database.url", TestDatabase.newSchema());
        System.setProperty("dw.database.user", TestDatabase.user());
        System.setProperty("dw.database.password", TestDatabase.password());
        System.setProperty("dw.logging.level", "WARN");
    }

    @AfterAll
    static void clear() {
        System.clearProperty("dw.database.url");
        System.clearProperty("dw.database.user");
        System.clearProperty("dw.database.password");
        System.clearProperty("dw.logging.level");
    }

    private static String run(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] withConfig = new String[args.length + 1];
            withConfig[0] = args[0];
            withConfig[1] = TestApps.CONFIG;
            System.arraycopy(args, 1, withConfig, 2, args.length - 1);
            new HilalApplication().run(withConfig);
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }

    @Test
    void createsListsAndRevokesTenantsAndKeys() throws Exception {
        // The schema was migrated when the test database was made: nothing left to apply.
        assertThat(run("migrate"))
                .containsPattern("Schema at version \\d+ \\(0 migrations applied\\)");

        String created =
                run("tenants", "create", "--name", "Souq CLI", "--time-zone", "Asia/Riyadh");
        String tenantId = find(created, "tenantId: (ten_[0-9a-f]+)");
        assertThat(find(created, "apiKey: +(hk_live_\\S+)"))
                .matches("hk_live_[0-9a-f]{16}_[0-9a-f]{64}");
        assertThat(run("tenants", "list"))
                .contains(tenantId)
                .contains("Souq CLI")
                .contains("Asia/Riyadh");

        String key =
                run(
                        "keys",
                        "create",
                        "--tenant",
                        tenantId,
                        "--scopes",
                        "ingest,read",
                        "--name",
                        "pos");
        String keyId = find(key, "keyId: +([0-9a-f]{16})");
        assertThat(run("keys", "list", "--tenant", tenantId))
                .contains(keyId)
                .contains("ingest,read");

        assertThat(run("keys", "revoke", "--tenant", tenantId, "--key", keyId))
                .contains("revoked " + keyId);
        assertThat(run("keys", "list", "--tenant", tenantId))
                .containsPattern(keyId + " +ingest,read +20\\d\\d-");
    }
}
