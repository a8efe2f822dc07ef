package io.hilal.service.platform.cli;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Environment;
import io.hilal.core.db.Database;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.events.OverviewService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.pods.DbScope;
import io.hilal.core.pods.PodRouter;
import io.hilal.core.pods.TenantPlacer;
import io.hilal.core.reco.ModelLoader;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.TrainingService;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantService;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code demo}: starts the service, creates the demo tenant (once) with a fresh API key, imports
 * the bundled Online Retail data (once), prints the key (which also signs in to the dashboard) and
 * what to try, and keeps serving.
 */
public final class DemoCommand extends ServerCommand<HilalConfiguration> {
    public static final String DEMO_TENANT = "Hilal demo (Online Retail)";
    private final Application<HilalConfiguration> application;
    private final DemoSending sending;

    /** {@code sending}: the campaign worker's send job, which sends the demo's campaign. */
    public DemoCommand(Application<HilalConfiguration> application, DemoSending sending) {
        super(application, "demo", "Run the service with the Online Retail demo tenant loaded");
        this.application = application;
        this.sending = sending;
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
            Clock clock = Clock.systemUTC();
            // Tenants and keys are the home database's; a new tenant is placed by load, as the
            // operator's `tenants create` places one.
            TenantService tenants =
                    new TenantService(
                            database.homeJdbi(),
                            clock,
                            new TenantPlacer(database.pods(), database.jdbi(), clock));
            Tenant tenant;
            String apiKey;
            var existing = tenants.findTenantByName(DEMO_TENANT);
            if (existing.isPresent()) {
                tenant = existing.get();
                apiKey =
                        tenants.createKey(
                                        tenant.tenantId(), io.hilal.core.tenant.Scope.all(), "demo")
                                .apiKey();
            } else {
                var created = tenants.createTenant(DEMO_TENANT, "Europe/London");
                tenant = created.tenant();
                apiKey = created.key().apiKey();
            }
            loadAndTrain(
                    database, tenants, tenant.tenantId(), Path.of(namespace.getString("data")));
            if (application instanceof HilalApplication hilal) {
                System.out.println(
                        "Running the post-Eid campaign (Eid al-Fitr 1432 = 2011-08-30, + 7 days at"
                                + " 10:00 local time) against an embedded SMTP capture...");
                // It plans and sends: the sender's connections, the tenant's whichever thread
                // asks (the worker's Quartz job and the sender's executor send it).
                Jdbi tenantSender =
                        HilalJdbi.configure(
                                Jdbi.create(
                                        database.pods()
                                                .tenantDataSource(
                                                        tenant.tenantId(),
                                                        PodRouter.Family.SENDER)));
                DemoCampaign.run(
                                tenantSender,
                                database.dataSource(),
                                sending,
                                HilalJson.newMapper(),
                                config.getMailLinks().build(config.getDatabase()),
                                config.getMailLinks().getMessageIdDomain(),
                                tenant.tenantId(),
                                System.out::println)
                        .ifPresent(hilal.demoOutbox()::publish);
            }
            int port = Integer.parseInt(System.getenv().getOrDefault("HILAL_PORT", "8080"));
            System.out.println();
            System.out.println("=== Hilal demo is running ===");
            System.out.println("  tenant:     " + tenant.tenantId() + " (" + tenant.name() + ")");
            System.out.println("  API key:    " + apiKey);
            System.out.println(
                    "  dashboard:  http://localhost:"
                            + port
                            + "/dashboard  (sign in with the API key above)");
            System.out.println(
                    "  try:        curl -H 'Authorization: Bearer "
                            + apiKey
                            + "' http://localhost:"
                            + port
                            + "/v1/overview");
            System.out.println("  stop:       Ctrl-C");
        } finally {
            database.close();
        }
    }

    /**
     * Imports the demo data and trains the tenant's models, once each. The tenant's data goes to
     * its pod: with several pods a query outside the tenant's scope is refused.
     */
    public static void loadAndTrain(
            Database database, TenantService tenants, String tenantId, Path data) {
        DbScope.tenant(tenantId, () -> loadAndTrainInScope(database, tenants, tenantId, data));
    }

    private static void loadAndTrainInScope(
            Database database, TenantService tenants, String tenantId, Path data) {
        OverviewService.Overview counts = new OverviewService(database.jdbi()).overview(tenantId);
        if (counts.events() == 0) {
            if (!Files.exists(data)) {
                throw new IllegalStateException("Demo data not found at " + data.toAbsolutePath());
            }
            System.out.println("Importing " + data + " (takes a minute or two the first time)...");
            var summary = ImportCommand.importFile(database, tenantId, data, System.out::println);
            System.out.println(ImportCommand.describe(summary));
        }
        TrainingService training =
                new TrainingService(
                        new RecommendationTrainer(database.jdbi()),
                        new ModelStore(database.jdbi(), Clock.systemUTC()),
                        tenants);
        // The demo trains as a step of its own, before serving: requests never train.
        if (new ModelLoader(new ModelStore(database.jdbi(), Clock.systemUTC()))
                        .activeVersion(tenantId)
                == 0) {
            System.out.println("Training the demo tenant's models...");
            int version = training.train(tenantId);
            System.out.println(
                    "Model v" + version + " trained; offline metrics on the last 30 days:");
            new ModelStore(database.jdbi(), Clock.systemUTC())
                    .versions(tenantId).stream()
                            // The ALS version shares the number; the holdout scores
                            // are the recommender's.
                            .filter(
                                    v ->
                                            v.version() == version
                                                    && RecommendationModel.KIND.equals(v.kind()))
                            .findFirst()
                            .ifPresent(v -> printMetrics(v.metrics()));
        }
    }

    /** One line per model: Recall@20 and NDCG@20 on the held-out last 30 days. */
    private static void printMetrics(String metricsJson) {
        try {
            var holdout = HilalJson.newMapper().readTree(metricsJson).path("holdout");
            if (!"ok".equals(holdout.path("status").asText())) {
                System.out.println("  (" + holdout.path("reason").asText("not enough data") + ")");
                return;
            }
            for (var score : holdout.path("scores")) {
                if (score.path("k").asInt() == 20) {
                    System.out.printf(
                            "  %-9s %-18s Recall@20 %.4f  NDCG@20 %.4f%n",
                            score.path("task").asText(),
                            score.path("model").asText(),
                            score.path("recall").asDouble(),
                            score.path("ndcg").asDouble());
                }
            }
        } catch (java.io.IOException e) {
            System.out.println("  " + metricsJson);
        }
    }
}
