package io.hilal.service.platform.cli;

import io.dropwizard.core.setup.Bootstrap;
import io.hilal.core.db.Database;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantService;
import io.hilal.service.HilalConfiguration;
import java.time.Clock;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code tenants create --name N [--time-zone Z]} and {@code tenants list}. */
public final class TenantsCommand extends DatabaseCommand {
    public TenantsCommand() {
        super("tenants", "Create or list tenants (create prints the tenant's first API key once)");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("action").choices("create", "list").help("what to do");
        subparser.addArgument("--name").help("the new tenant's name");
        subparser.addArgument("--time-zone").dest("timeZone").setDefault("UTC").help("IANA zone");
    }

    @Override
    void run(Database database, Namespace namespace, Bootstrap<HilalConfiguration> bootstrap) {
        TenantService tenants =
                new TenantService(
                        database.homeJdbi(),
                        Clock.systemUTC(),
                        new io.hilal.core.pods.TenantPlacer(
                                database.pods(), database.jdbi(), Clock.systemUTC()));
        if ("create".equals(namespace.getString("action"))) {
            TenantService.CreatedTenant created =
                    tenants.createTenant(
                            namespace.getString("name"), namespace.getString("timeZone"));
            System.out.println("tenantId: " + created.tenant().tenantId());
            System.out.println(
                    "apiKey:   " + created.key().apiKey() + "   (shown once; all scopes)");
            return;
        }
        System.out.printf("%-26s %-24s %-20s %s%n", "TENANT", "CREATED", "TIME ZONE", "NAME");
        for (Tenant tenant : tenants.listTenants()) {
            System.out.printf(
                    "%-26s %-24s %-20s %s%n",
                    tenant.tenantId(), tenant.createdAt(), tenant.timeZone(), tenant.name());
        }
    }
}
