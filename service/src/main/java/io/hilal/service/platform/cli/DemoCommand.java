package io.hilal.service.platform.cli;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Environment;
import io.hilal.core.db.Database;
import io.hilal.core.events.OverviewService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantService;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.dashboard.HomePageResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code demo}: starts the service, creates the demo tenant (once) with a fresh API key, imports
 * the bundled Online Retail data (once), prints what to try, and keeps serving.
 */
public final class DemoCommand extends ServerCommand<HilalConfiguration> {
    private final Application<HilalConfiguration> application;

    public DemoCommand(Application<HilalConfiguration> application) {
        super(application, "demo", "Run the service with the Online Retail demo tenant loaded");
        this.application = application;
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--data").setDefault(ImportCommand.DEMO_DATA).help("demo CSV");
    }

    @Override
    protected void run(Environment environment, Namespace namespace, HilalConfiguration config)
            throws Exception {
        super.run(environment, namespace, config);
        // The server is up; this second pool shares its (embedded or external) database.
        Database database = config.getDatabase().open("hilal-cli");
        try {
            TenantService tenants = new TenantService(database.jdbi(), Clock.systemUTC());
            Tenant tenant;
            String apiKey;
            var existing = tenants.findTenantByName(HomePageResource.DEMO_TENANT);
            if (existing.isPresent()) {
                tenant = existing.get();
                apiKey =
                        tenants.createKey(
                                        tenant.tenantId(), io.hilal.core.tenant.Scope.all(), "demo")
                                .apiKey();
            } else {
                var created = tenants.createTenant(HomePageResource.DEMO_TENANT, "Europe/London");
                tenant = created.tenant();
                apiKey = created.key().apiKey();
            }
            OverviewService.Overview counts =
                    new OverviewService(database.jdbi()).overview(tenant.tenantId());
            if (counts.events() == 0) {
                Path data = Path.of(namespace.getString("data"));
                if (!Files.exists(data)) {
                    throw new IllegalStateException(
                            "Demo data not found at " + data.toAbsolutePath());
                }
                System.out.println(
                        "Importing " + data + " (takes a minute or two the first time)...");
                var summary =
                        ImportCommand.importer(database, HilalJson.newMapper())
                                .importFile(tenant.tenantId(), data, System.out::println);
                System.out.println(ImportCommand.describe(summary));
            }
            if (application instanceof HilalApplication hilal) {
                System.out.println(
                        "Running the post-Eid campaign (Eid al-Fitr 1432 = 2011-08-30, + 7 days at"
                                + " 10:00 local time) against an embedded SMTP capture...");
                hilal.demoOutbox()
                        .publish(
                                DemoCampaign.run(
                                        database.jdbi(),
                                        HilalJson.newMapper(),
                                        config.getMailLinks()
                                                .build(config.getDatabase().isEmbedded()),
                                        config.getMailLinks().getMessageIdDomain(),
                                        tenant.tenantId(),
                                        System.out::println));
            }
            int port = Integer.parseInt(System.getenv().getOrDefault("HILAL_PORT", "8080"));
            System.out.println();
            System.out.println("=== Hilal demo is running ===");
            System.out.println("  page:     http://localhost:" + port + "/");
            System.out.println("  tenant:   " + tenant.tenantId() + " (" + tenant.name() + ")");
            System.out.println("  API key:  " + apiKey);
            System.out.println(
                    "  try:      curl -H 'Authorization: Bearer "
                            + apiKey
                            + "' http://localhost:"
                            + port
                            + "/v1/overview");
            System.out.println("  stop:     Ctrl-C");
        } finally {
            database.close();
        }
    }
}
