package io.hilal.service;

import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.hilal.core.admin.AdminGuard;
import io.hilal.core.admin.AdminRequestIds;
import io.hilal.core.admin.DatabaseHealthCheck;
import io.hilal.core.admin.HealthEndpoints;
import io.hilal.core.api.Idempotency;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.EngagementService;
import io.hilal.core.campaigns.LiftOutlook;
import io.hilal.core.campaigns.SendTimeComparison;
import io.hilal.core.campaigns.SuppressionService;
import io.hilal.core.campaigns.feedback.MailEventService;
import io.hilal.core.campaigns.funnel.CampaignFunnelService;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.CustomerService;
import io.hilal.core.catalog.LiveCatalog;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.dashboard.DashboardAuth;
import io.hilal.core.dashboard.DashboardQueries;
import io.hilal.core.db.Database;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.events.OverviewService;
import io.hilal.core.events.StoredEventsQuota;
import io.hilal.core.experiments.ExperimentService;
import io.hilal.core.journeys.JourneyService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.lift.LiftReportService;
import io.hilal.core.pods.PodService;
import io.hilal.core.pods.TenantMover;
import io.hilal.core.pods.TenantPlacer;
import io.hilal.core.program.ProgramHoldoutService;
import io.hilal.core.program.ProgramLiftService;
import io.hilal.core.reco.CustomerSignalsDao;
import io.hilal.core.reco.LiveSales;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.PopularityFallback;
import io.hilal.core.tenant.TenantQuotaService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.tenant.TenantUsageService;
import io.hilal.service.campaigns.CampaignFunnelResource;
import io.hilal.service.campaigns.CampaignResource;
import io.hilal.service.campaigns.MailCapture;
import io.hilal.service.campaigns.MailEventResource;
import io.hilal.service.campaigns.MailLinkResource;
import io.hilal.service.campaigns.MailLinkThrottle;
import io.hilal.service.campaigns.SenderSettingsResource;
import io.hilal.service.campaigns.SuppressionResource;
import io.hilal.service.campaigns.TestSends;
import io.hilal.service.catalog.CustomerResource;
import io.hilal.service.catalog.ProductResource;
import io.hilal.service.dashboard.CampaignPagesResource;
import io.hilal.service.dashboard.CampaignStudioResource;
import io.hilal.service.dashboard.CustomerRowsPageResource;
import io.hilal.service.dashboard.DashboardErrorPages;
import io.hilal.service.dashboard.DashboardFeature;
import io.hilal.service.dashboard.DemoOutbox;
import io.hilal.service.dashboard.HomePageResource;
import io.hilal.service.dashboard.LiftPagesResource;
import io.hilal.service.dashboard.ModelsPageResource;
import io.hilal.service.dashboard.OutboxResource;
import io.hilal.service.dashboard.OverviewPageResource;
import io.hilal.service.dashboard.OverviewResource;
import io.hilal.service.dashboard.SenderPageResource;
import io.hilal.service.dashboard.SignInResource;
import io.hilal.service.dashboard.SignOutResource;
import io.hilal.service.dashboard.UnknownSendsResource;
import io.hilal.service.dashboard.data.DashboardCampaigns;
import io.hilal.service.dashboard.data.LiftReports;
import io.hilal.service.dashboard.data.StoredLiftReports;
import io.hilal.service.events.EventResource;
import io.hilal.service.journeys.JourneyResource;
import io.hilal.service.platform.auth.AttemptLimits;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.ClientAddresses;
import io.hilal.service.platform.auth.IngestQuotaFilter;
import io.hilal.service.platform.auth.IngestRateQuota;
import io.hilal.service.platform.auth.TenantRateLimiter;
import io.hilal.service.platform.cli.DemoCommand;
import io.hilal.service.platform.cli.DemoSending;
import io.hilal.service.platform.cli.EvaluateCommand;
import io.hilal.service.platform.cli.ImportCommand;
import io.hilal.service.platform.cli.KeysCommand;
import io.hilal.service.platform.cli.MigrateCommand;
import io.hilal.service.platform.cli.TenantsCommand;
import io.hilal.service.platform.cli.UsersCommand;
import io.hilal.service.platform.errors.BodyLimit;
import io.hilal.service.platform.errors.ProblemErrorHandler;
import io.hilal.service.platform.errors.ProblemMapper;
import io.hilal.service.platform.errors.ProblemWriter;
import io.hilal.service.platform.errors.RequestIds;
import io.hilal.service.platform.errors.StrictJsonNumbers;
import io.hilal.service.platform.health.PingResource;
import io.hilal.service.platform.metrics.PrometheusEndpoint;
import io.hilal.service.pods.PodResource;
import io.hilal.service.program.ProgramHoldoutResource;
import io.hilal.service.recommendations.ExperimentResource;
import io.hilal.service.recommendations.ItemDetails;
import io.hilal.service.recommendations.ModelCacheBudget;
import io.hilal.service.recommendations.ModelResource;
import io.hilal.service.recommendations.RecommendationCache;
import io.hilal.service.recommendations.RecommendationResource;
import io.hilal.service.recommendations.RowsResource;
import io.hilal.service.recommendations.ServedRecommendations;
import io.hilal.service.recommendations.SimilarProductsResource;
import io.hilal.service.reports.LiftCsvResource;
import io.hilal.service.reports.LiftOverviewResource;
import io.hilal.service.reports.LiftResource;
import io.hilal.service.reports.SendTimeResource;
import io.hilal.service.segment.SegmentPrefix;
import io.hilal.service.segment.SegmentResource;
import io.hilal.service.tenants.ApiKeyResource;
import io.hilal.service.tenants.OperatorResource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/** The Hilal service: REST API, dashboard and operator commands. */
public class HilalApplication extends Application<HilalConfiguration> {
    private final DemoOutbox demoOutbox = new DemoOutbox();
    private final MailCapture mailCapture = new MailCapture();
    private final TestSends testSends = new TestSends();

    /**
     * How the demo's campaign is sent: by a campaign worker's Quartz send job, which the service
     * alone cannot run (it does not depend on the worker); {@code ./hilal}'s application, which has
     * both, supplies it and with it the {@code demo} command. Null: no demo command.
     */
    protected DemoSending demoSending() {
        return null;
    }

    /** Where the demo command puts its campaign's outbox for the dashboard. */
    public DemoOutbox demoOutbox() {
        return demoOutbox;
    }

    private volatile RecommendationCache recommendations;

    private volatile PrometheusRegistry prometheus;

    private volatile Database database;

    /** The open database, once running (for operator tasks and tests). */
    public Database database() {
        return database;
    }

    private final HealthCheckRegistry readinessChecks = new HealthCheckRegistry();

    /** Checks /health/ready runs besides the health checks (an in-process worker's SMTP relay). */
    public HealthCheckRegistry readinessChecks() {
        return readinessChecks;
    }

    /**
     * The metrics this instance's admin port serves at /prometheus, once running (an in-process
     * worker adds its own).
     */
    public PrometheusRegistry prometheus() {
        return prometheus;
    }

    /** The models this instance serves from, once running (for operator tasks and tests). */
    public RecommendationCache recommendations() {
        return recommendations;
    }

    /**
     * The built-in SMTP capture, started by {@code ./hilal serve} when its worker has no relay; the
     * dashboard's outbox shows what it received.
     */
    public MailCapture mailCapture() {
        return mailCapture;
    }

    /**
     * The campaign studio's test sends, enabled by {@code ./hilal serve} with its worker's relay.
     */
    public TestSends testSends() {
        return testSends;
    }

    public static void main(String[] args) throws Exception {
        new HilalApplication().run(args);
    }

    @Override
    public String getName() {
        return "hilal";
    }

    @Override
    public void initialize(Bootstrap<HilalConfiguration> bootstrap) {
        // Substitution inside defaults, so that one variable can default to another's value
        // (HILAL_PUBLIC_URL to http://localhost:${HILAL_PORT}).
        bootstrap.setConfigurationSourceProvider(
                new SubstitutingSourceProvider(
                        bootstrap.getConfigurationSourceProvider(),
                        new EnvironmentVariableSubstitutor(false, true)));
        bootstrap.addCommand(new MigrateCommand());
        bootstrap.addCommand(new TenantsCommand());
        bootstrap.addCommand(new KeysCommand());
        bootstrap.addCommand(new UsersCommand());
        bootstrap.addCommand(new ImportCommand());
        DemoSending demoSending = demoSending();
        if (demoSending != null) {
            // The demo's campaign goes out through a campaign worker: only where one can run.
            bootstrap.addCommand(new DemoCommand(this, demoSending));
        }
        bootstrap.addCommand(new EvaluateCommand());
    }

    @Override
    public void run(HilalConfiguration config, Environment environment) {
        Clock clock = Clock.systemUTC();
        // Strict JSON for the API only: configuration parsing (done by now) needs coercion.
        ObjectMapper mapper = HilalJson.configure(environment.getObjectMapper());

        Database database = config.getDatabase().open("hilal");
        this.database = database;
        environment
                .lifecycle()
                .manage(
                        new Managed() {
                            @Override
                            public void start() {
                                // Up and stopped by its shutdown hook from now on: the database
                                // it started outlives the rest of that stop.
                                database.closedByTheApplication();
                            }

                            @Override
                            public void stop() {
                                database.close();
                            }
                        });
        environment
                .healthChecks()
                .register("database", new DatabaseHealthCheck(database.homeJdbi()));
        prometheus = PrometheusEndpoint.install(environment, database.pool());
        environment
                .admin()
                .addServlet("live", HealthEndpoints.live(environment.healthChecks(), mapper))
                .addMapping(HealthEndpoints.LIVE);
        environment
                .admin()
                .addServlet(
                        "ready",
                        HealthEndpoints.ready(environment.healthChecks(), readinessChecks, mapper))
                .addMapping(HealthEndpoints.READY);

        // Tenants, keys, quotas and dashboard accounts live in the home database; everything else
        // in each tenant's pod, through database.jdbi(), routed by the request's tenant.
        TenantPlacer placer = new TenantPlacer(database.pods(), database.jdbi(), clock);
        TenantService tenants = new TenantService(database.homeJdbi(), clock, placer);
        TenantQuotaService quotas = new TenantQuotaService(database.homeJdbi(), clock);
        EventIngestService ingest =
                new EventIngestService(
                        database.jdbi(), mapper, clock, new StoredEventsQuota(quotas));
        CustomerService customers = new CustomerService(database.jdbi(), mapper, clock);
        ProductService products = new ProductService(database.jdbi(), mapper, clock);
        OverviewService overview = new OverviewService(database.jdbi());

        ProblemWriter problems = new ProblemWriter(mapper);
        environment
                .servlets()
                .addFilter("request-ids", new RequestIds())
                .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
        environment
                .servlets()
                .addFilter("client-addresses", new ClientAddresses())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        environment
                .servlets()
                .addFilter("body-limit", new BodyLimit(config.getMaxBodyBytes(), problems))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        environment
                .getApplicationContext()
                .setErrorHandler(new ProblemErrorHandler(problems, mapper));
        // Jetty rejects some requests (an ambiguous URI such as "/v1/campaigns//ledger") before
        // any context sees them, answering with the Server's error handler; Dropwizard installs a
        // plain HTML one there. Replace it before the connectors open.
        environment
                .lifecycle()
                .addEventListener(
                        new LifeCycle.Listener() {
                            @Override
                            public void lifeCycleStarting(LifeCycle event) {
                                if (event instanceof Server server) {
                                    server.setErrorHandler(
                                            new ProblemErrorHandler(problems, mapper));
                                }
                            }
                        });
        environment
                .admin()
                .addFilter(
                        "admin-guard",
                        new AdminGuard(
                                config.getAdminHosts(), config.getAdminToken(), problems::write))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        // Admin requests get an id for their request log line, as the API's do. Mapped after the
        // guard, it runs before it (each mapping goes first), so a refused request has one too.
        environment
                .admin()
                .addFilter("request-ids", new AdminRequestIds())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        environment.jersey().register(new ProblemMapper(problems, new DashboardErrorPages()));
        environment.jersey().register(new StrictJsonNumbers(mapper.getFactory()));
        TenantRateLimiter rateLimiter = config.getRateLimit().build();
        AttemptLimits attempts = config.getRateLimit().buildAttemptLimits();
        IngestRateQuota ingestQuota = config.getRateLimit().buildIngestQuota(quotas);
        environment
                .jersey()
                .register(
                        new AuthFeature(
                                tenants,
                                rateLimiter,
                                attempts.unknownKeysByAddress(),
                                config.getOperatorKey()));

        environment
                .jersey()
                .register(
                        new OperatorResource(
                                tenants,
                                new TenantUsageService(database.jdbi(), tenants, clock),
                                quotas,
                                new io.hilal.core.reco.SharedPriors(database.jdbi(), clock)));
        environment
                .jersey()
                .register(
                        new PodResource(
                                new PodService(
                                        database.pods(),
                                        database.homeJdbi(),
                                        placer,
                                        new TenantMover(
                                                database.pods(),
                                                database.homeJdbi(),
                                                clock,
                                                Duration.ofMillis(
                                                        config.getDatabase().getMoveGraceMillis())),
                                        clock)));
        environment.jersey().register(new ApiKeyResource(tenants));
        environment.jersey().register(new IngestQuotaFilter(ingestQuota));
        environment.jersey().register(new EventResource(ingest, ingestQuota));
        environment
                .jersey()
                .register(
                        new SegmentResource(
                                tenants,
                                rateLimiter,
                                attempts.unknownKeysByAddress(),
                                ingestQuota,
                                ingest,
                                customers,
                                mapper));
        environment.jersey().register(new SegmentPrefix(config.getSegmentPathPrefix()));
        environment.jersey().register(new CustomerResource(customers));
        environment.jersey().register(new ProductResource(products));
        environment.jersey().register(new OverviewResource(overview));
        environment.jersey().register(new PingResource());
        ModelStore models = new ModelStore(database.jdbi(), database.homeJdbi(), clock);
        LiveCatalog catalog = new LiveCatalog(database.jdbi());
        // Serving never trains: it reads the worker's models, or best sellers until there is one.
        recommendations =
                new RecommendationCache(
                        models,
                        new PopularityFallback(database.jdbi()),
                        new CustomerSignalsDao(database.jdbi()),
                        catalog,
                        new LiveSales(database.jdbi()),
                        RecommendationCache.REFRESH,
                        config.getRows().build(),
                        ModelCacheBudget.ofMegabytes(config.getModelCacheMegabytes()));

        MailLinks links = config.getMailLinks().build(config.getDatabase());
        CampaignService campaigns =
                new CampaignService(
                        database.jdbi(),
                        mapper,
                        clock,
                        tenants,
                        new EmailComposer(database.jdbi(), links, catalog),
                        new SendLedger(
                                database.jdbi(), clock, config.getMailLinks().getMessageIdDomain()),
                        recommendations::model,
                        new LiftOutlook.Thresholds(
                                config.getLift().getMinCustomersPerArm(),
                                config.getLift().getMinBuyersPerArm()));
        environment
                .jersey()
                .register(
                        new CampaignResource(
                                campaigns, new Idempotency(database.jdbi(), clock), mapper));
        environment.jersey().register(new SenderSettingsResource(campaigns));
        environment
                .jersey()
                .register(new SuppressionResource(new SuppressionService(database.jdbi(), clock)));
        environment
                .jersey()
                .register(new MailEventResource(new MailEventService(database.jdbi(), clock)));
        environment
                .jersey()
                .register(
                        new OutboxResource(
                                mailCapture,
                                demoOutbox,
                                campaigns,
                                database.jdbi().onDemand(DashboardQueries.class),
                                clock));
        environment.jersey().register(new UnknownSendsResource(campaigns));
        environment.jersey().register(new SenderPageResource(campaigns));
        environment
                .jersey()
                .register(
                        new CampaignStudioResource(
                                campaigns,
                                overview,
                                testSends,
                                mailCapture,
                                clock,
                                new ItemDetails(database.jdbi(), catalog)));
        environment
                .jersey()
                .register(
                        new MailLinkResource(
                                // A customer's clicks and unsubscribes are not the tenant's
                                // ingest: no quota may turn them away.
                                new EngagementService(
                                        database.jdbi(),
                                        mapper,
                                        clock,
                                        links,
                                        new EventIngestService(database.jdbi(), mapper, clock))));
        environment.jersey().register(new MailLinkThrottle(attempts.mailLinksByAddress()));
        environment.jersey().register(new HomePageResource());
        environment.jersey().register(new ModelResource(models));
        ItemDetails details = new ItemDetails(database.jdbi(), catalog);
        ExperimentService experiments = new ExperimentService(database.jdbi(), models, clock);
        ServedRecommendations served =
                new ServedRecommendations(recommendations, experiments, clock);
        environment.jersey().register(new ExperimentResource(experiments, served));
        environment.jersey().register(new RowsResource(recommendations, served, details));
        environment.jersey().register(new RecommendationResource(served, details));
        environment.jersey().register(new SimilarProductsResource(recommendations, details));
        LiftReportService lift = config.getLift().build(database.jdbi(), mapper, clock);
        JourneyService journeys = new JourneyService(database.jdbi(), mapper, clock);
        environment
                .jersey()
                .register(
                        new JourneyResource(
                                journeys, lift, new Idempotency(database.jdbi(), clock), mapper));
        environment.jersey().register(new LiftResource(lift, campaigns));
        SendTimeComparison sendTimes =
                new SendTimeComparison(database.jdbi(), mapper, clock, lift.options());
        environment.jersey().register(new SendTimeResource(sendTimes, lift, campaigns));
        ProgramHoldoutService programHoldouts = new ProgramHoldoutService(database.jdbi(), clock);
        ProgramLiftService programLift =
                new ProgramLiftService(
                        database.jdbi(), clock, programHoldouts, lift.options().analysis());
        environment.jersey().register(new ProgramHoldoutResource(programHoldouts, programLift));
        CampaignFunnelService funnels = new CampaignFunnelService(database.jdbi(), clock);
        environment.jersey().register(new CampaignFunnelResource(funnels, lift, campaigns));
        environment.jersey().register(new LiftCsvResource(lift, campaigns));
        environment.jersey().register(new LiftOverviewResource(lift));

        DashboardAuth dashboardAuth = new DashboardAuth(database.homeJdbi(), tenants, clock);
        environment.jersey().register(new DashboardFeature(dashboardAuth, rateLimiter));
        environment
                .jersey()
                .register(
                        new SignInResource(
                                dashboardAuth,
                                attempts.signInByAddress(),
                                attempts.signInByEmail()));
        environment.jersey().register(new SignOutResource(dashboardAuth));
        DashboardQueries dashboardQueries = database.jdbi().onDemand(DashboardQueries.class);
        DashboardCampaigns dashboardCampaigns = new DashboardCampaigns(campaigns);
        LiftReports liftReports = liftReports(database, lift, dashboardCampaigns, clock);
        environment.jersey().register(new OverviewPageResource(dashboardQueries, overview));
        environment.jersey().register(new ModelsPageResource(models, experiments, mapper));
        environment
                .jersey()
                .register(
                        new CustomerRowsPageResource(
                                recommendations, new CustomerSignalsDao(database.jdbi()), models));
        environment
                .jersey()
                .register(
                        new CampaignPagesResource(
                                dashboardQueries,
                                dashboardCampaigns,
                                liftReports,
                                journeys,
                                demoOutbox,
                                funnels,
                                sendTimes));
        environment
                .jersey()
                .register(new LiftPagesResource(liftReports, programLift, programHoldouts));
    }

    /** The lift reports the dashboard shows: the stored ones, as the lift API serves them. */
    protected LiftReports liftReports(
            Database database,
            LiftReportService reports,
            DashboardCampaigns campaigns,
            Clock clock) {
        return new StoredLiftReports(reports, campaigns, database.jdbi(), clock);
    }
}
