package io.hilal.service.platform.cli;

import io.dropwizard.core.setup.Bootstrap;
import io.hilal.core.db.Database;
import io.hilal.core.tenant.ApiKey;
import io.hilal.core.tenant.Scope;
import io.hilal.core.tenant.TenantService;
import io.hilal.service.HilalConfiguration;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code keys create|list|revoke --tenant T}: a tenant's API keys. */
public final class KeysCommand extends DatabaseCommand {
    public KeysCommand() {
        super("keys", "Create, list or revoke a tenant's API keys");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("action").choices("create", "list", "revoke").help("what to do");
        subparser.addArgument("--tenant").required(true).help("tenant id");
        subparser
                .addArgument("--scopes")
                .setDefault("ingest,read,campaigns,admin")
                .help("comma-separated: ingest, read, campaigns, admin");
        subparser.addArgument("--name").setDefault("cli").help("a label for the key");
        subparser.addArgument("--key").help("the key id to revoke");
    }

    @Override
    void run(Database database, Namespace namespace, Bootstrap<HilalConfiguration> bootstrap) {
        TenantService tenants = new TenantService(database.homeJdbi(), Clock.systemUTC());
        String tenantId = namespace.getString("tenant");
        switch (namespace.getString("action")) {
            case "create" -> {
                Set<Scope> scopes = EnumSet.noneOf(Scope.class);
                for (String name : namespace.getString("scopes").split(",")) {
                    scopes.add(
                            Scope.fromWireName(name.strip())
                                    .orElseThrow(
                                            () ->
                                                    new IllegalArgumentException(
                                                            "unknown scope " + name)));
                }
                TenantService.CreatedKey created =
                        tenants.createKey(tenantId, scopes, namespace.getString("name"));
                System.out.println("keyId:  " + created.key().keyId());
                System.out.println("apiKey: " + created.apiKey() + "   (shown once)");
            }
            case "revoke" -> {
                ApiKey revoked = tenants.revokeKey(tenantId, namespace.getString("key"));
                System.out.println("revoked " + revoked.keyId() + " at " + revoked.revokedAt());
            }
            default -> {
                System.out.printf("%-18s %-30s %-26s %s%n", "KEY", "SCOPES", "REVOKED", "NAME");
                for (ApiKey key : tenants.listKeys(tenantId)) {
                    System.out.printf(
                            "%-18s %-30s %-26s %s%n",
                            key.keyId(),
                            Scope.encode(key.scopes()),
                            key.revoked() ? key.revokedAt() : "-",
                            key.name());
                }
            }
        }
    }
}
