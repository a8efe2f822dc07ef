package io.hilal.service.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.api.Page;
import io.hilal.core.campaigns.SendTimeComparison;
import io.hilal.core.campaigns.funnel.CampaignFunnelService;
import io.hilal.core.campaigns.sending.SendState;
import io.hilal.core.dashboard.DashboardAuth;
import io.hilal.core.dashboard.DashboardQueries;
import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.dashboard.RepeatPurchaseLift;
import io.hilal.core.error.Checks;
import io.hilal.core.error.HilalException;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.events.OverviewService;
import io.hilal.core.experiments.ExperimentService;
import io.hilal.core.journeys.Journey;
import io.hilal.core.journeys.JourneyService;
import io.hilal.core.lift.LiftReport;
import io.hilal.core.lift.LiftVerdict;
import io.hilal.core.reco.ModelDao;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.ModelVersion;
import io.hilal.core.reco.ProductInfo;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.tenant.Scope;
import io.hilal.service.dashboard.charts.EventsPerDayChart;
import io.hilal.service.dashboard.charts.ForestPlot;
import io.hilal.service.dashboard.charts.Format;
import io.hilal.service.dashboard.charts.RepeatPurchaseCurves;
import io.hilal.service.dashboard.data.CampaignDirectory;
import io.hilal.service.dashboard.data.LiftReports;
import io.hilal.service.recommendations.RecommendationCache;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The signed-in dashboard: overview, models, a customer's rows, campaigns and lift. Every page
 * shows the session's tenant only; the pages read through the same services as the REST API, and
 * campaigns and lift through two small interfaces ({@link CampaignDirectory}, {@link LiftReports}).
 */
@Path("/dashboard")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class DashboardResource {
    static final Set<Integer> RANGES = Set.of(30, 90, 365);
    private static final int DEFAULT_RANGE = 90;
    private static final int OUTBOX_PREVIEW = 20;
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
                    .withZone(ZoneOffset.UTC);
    private static final List<SendState> LEDGER_COLUMNS =
            List.of(
                    SendState.PLANNED,
                    SendState.SENDING,
                    SendState.SENT,
                    SendState.HELD_OUT,
                    SendState.SUPPRESSED,
                    SendState.DEFERRED,
                    SendState.EXPIRED,
                    SendState.FAILED,
                    SendState.UNKNOWN_INFLIGHT);

    private final DashboardAuth auth;
    private final DashboardQueries queries;
    private final OverviewService overview;
    private final ModelStore models;
    private final RecommendationCache recommendations;
    private final CampaignDirectory campaigns;
    private final LiftReports lift;
    private final JourneyService journeys;
    private final DemoOutbox demoOutbox;
    private final CampaignFunnelService funnels;
    private final SendTimeComparison sendTimes;
    private final ObjectMapper mapper;
    private final ExperimentService experiments;
    private final Pages pages = new Pages();

    public DashboardResource(
            DashboardAuth auth,
            DashboardQueries queries,
            OverviewService overview,
            ModelStore models,
            RecommendationCache recommendations,
            CampaignDirectory campaigns,
            LiftReports lift,
            JourneyService journeys,
            DemoOutbox demoOutbox,
            CampaignFunnelService funnels,
            SendTimeComparison sendTimes,
            ObjectMapper mapper,
            ExperimentService experiments) {
        this.auth = auth;
        this.queries = queries;
        this.overview = overview;
        this.models = models;
        this.recommendations = recommendations;
        this.campaigns = campaigns;
        this.lift = lift;
        this.journeys = journeys;
        this.demoOutbox = demoOutbox;
        this.funnels = funnels;
        this.sendTimes = sendTimes;
        this.mapper = mapper;
        this.experiments = experiments;
    }

    @GET
    public Response overview(
            @QueryParam("days") Integer days, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        String tenantId = session.tenantId();
        int range = days != null && RANGES.contains(days) ? days : DEFAULT_RANGE;
        NumberFormat numbers = numbers();
        OverviewService.Overview counts = overview.overview(tenantId);
        DashboardQueries.RepeatCount repeat = queries.repeatCount(tenantId);
        Map<String, Object> scope = new HashMap<>();
        scope.put("customers", numbers.format(counts.customers()));
        scope.put("products", numbers.format(counts.products()));
        scope.put("orders", numbers.format(counts.orders()));
        scope.put("events", numbers.format(counts.events()));
        scope.put("buyers", numbers.format(repeat.buyers()));
        scope.put("repeaters", numbers.format(repeat.repeaters()));
        scope.put(
                "repeatRate",
                repeat.buyers() == 0
                        ? "–"
                        : Format.percent((double) repeat.repeaters() / repeat.buyers()));
        Optional<Instant> latest = queries.latestEvent(tenantId);
        if (latest.isPresent()) {
            LocalDate last = latest.get().atZone(ZoneOffset.UTC).toLocalDate();
            LocalDate first = last.minusDays(range - 1L);
            Map<LocalDate, EventsPerDayChart.Day> byDay = new HashMap<>();
            for (DashboardQueries.DayCount day :
                    queries.eventsPerDay(
                            tenantId,
                            first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                            last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())) {
                LocalDate date = LocalDate.parse(day.day());
                byDay.put(date, new EventsPerDayChart.Day(date, day.events(), day.orders()));
            }
            List<EventsPerDayChart.Day> series = EventsPerDayChart.everyDay(first, last, byDay);
            List<Map<String, Object>> table = new ArrayList<>();
            for (EventsPerDayChart.Day day : series) {
                table.add(
                        Map.of(
                                "day", day.day().format(DAY),
                                "events", numbers.format(day.events()),
                                "orders", numbers.format(day.orders())));
            }
            scope.put("hasEvents", true);
            scope.put("chart", EventsPerDayChart.render("events-per-day", series));
            scope.put("days", table);
            scope.put("from", first.format(DAY));
            scope.put("to", last.format(DAY));
            List<Map<String, Object>> ranges = new ArrayList<>();
            for (int option : List.of(30, 90, 365)) {
                ranges.add(Map.of("days", option, "current", option == range));
            }
            scope.put("ranges", ranges);
        }
        return pages.page(200, session, "overview", "overview", "Overview", scope);
    }

    @GET
    @Path("models")
    public Response models(@Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        List<Map<String, Object>> versions = new ArrayList<>();
        for (ModelVersion version : models.versions(session.tenantId())) {
            Map<String, Object> row = new HashMap<>();
            row.put("kind", version.kind());
            row.put("version", version.version());
            row.put("active", version.active());
            row.put("trainedAt", TIME.format(version.trainedAt()));
            row.put(
                    "window",
                    version.windowEnd() == null
                            ? "–"
                            : (version.windowStart() == null
                                            ? "all history"
                                            : TIME.format(version.windowStart()))
                                    + " to "
                                    + TIME.format(version.windowEnd()));
            row.put("size", numbers().format(version.sizeBytes()) + " bytes");
            List<Map<String, Object>> metrics = entries(withoutHoldout(version.metrics()));
            List<Map<String, Object>> params = entries(version.params());
            row.put("metrics", metrics);
            row.put("hasMetrics", !metrics.isEmpty());
            row.put("params", params);
            row.put("hasParams", !params.isEmpty());
            versions.add(row);
        }
        List<Map<String, Object>> training = new ArrayList<>();
        for (ModelDao.TrainingStatus status : models.recentTraining(session.tenantId())) {
            Map<String, Object> row = new HashMap<>();
            row.put("requestId", status.requestId());
            row.put("status", status.status().toLowerCase(Locale.ROOT));
            row.put("requestedAt", TIME.format(status.requestedAt()));
            row.put(
                    "finishedAt",
                    status.finishedAt() == null ? "–" : TIME.format(status.finishedAt()));
            row.put("error", status.error());
            training.add(row);
        }
        List<Map<String, Object>> quality = quality(session.tenantId());
        Map<String, Object> scope = new HashMap<>();
        scope.put("quality", quality);
        scope.put("hasQuality", !quality.isEmpty());
        scope.put("versions", versions);
        scope.put("hasVersions", !versions.isEmpty());
        scope.put("training", training);
        scope.put("hasTraining", !training.isEmpty());
        scope.put(
                "experimentsSection",
                ExperimentsSection.of(experiments.reports(session.tenantId())));
        return pages.page(200, session, "models", "models", "Models", scope);
    }

    @GET
    @Path("customers")
    public Response customers(
            @QueryParam("customer") String customer, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        Map<String, Object> scope = new HashMap<>();
        String customerId = customer == null ? null : customer.strip();
        int status = 200;
        if (customerId != null && !customerId.isEmpty()) {
            scope.put("customer", customerId);
            Checks checks = new Checks().id("customer", customerId, true);
            if (checks.ok()) {
                scope.put("rows", rows(session.tenantId(), customerId));
            } else {
                scope.put("error", "A customer id " + checks.errors().get(0).message() + ".");
                status = 400;
            }
        }
        return pages.page(status, session, "customers", "customers", "Customer rows", scope);
    }

    @GET
    @Path("campaigns")
    public Response campaigns(@Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        Map<String, Map<SendState, Long>> counts = ledgerCounts(session.tenantId());
        Map<String, Long> unknown = new HashMap<>();
        for (DashboardQueries.UnknownSends group : queries.undecidedUnknown(session.tenantId())) {
            unknown.merge(group.campaignId(), group.sends(), Long::sum);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CampaignDirectory.Campaign campaign : campaigns.campaigns(session.tenantId())) {
            Map<String, Object> row = describe(campaign);
            row.put("counts", countCells(counts.get(campaign.campaignId())));
            // Whatever the status says, sends of unknown fate show until someone decides.
            Long undecided = unknown.get(campaign.campaignId());
            if (undecided != null) {
                row.put("unknown", numbers().format(undecided));
            }
            row.put(
                    "demoOutbox",
                    demoOutbox.of(session.tenantId(), campaign.campaignId()).isPresent());
            rows.add(row);
        }
        Map<String, Object> scope = new HashMap<>();
        scope.put("campaigns", rows);
        scope.put("hasCampaigns", !rows.isEmpty());
        scope.put("states", stateHeaders());
        List<Map<String, Object>> journeyRows = journeyRows(session.tenantId(), counts);
        scope.put("journeys", journeyRows);
        scope.put("hasJourneys", !journeyRows.isEmpty());
        scope.put("window", lift.windowDays());
        return pages.page(200, session, "campaigns", "campaigns", "Campaigns", scope);
    }

    /**
     * The tenant's journeys with their sends by state and their rolling lift: every customer who
     * entered, measured from their first entry, against the journey's holdout.
     */
    private List<Map<String, Object>> journeyRows(
            String tenantId, Map<String, Map<SendState, Long>> counts) {
        List<Map<String, Object>> rows = new ArrayList<>();
        String cursor = null;
        do {
            Page<Journey> page = journeys.page(tenantId, cursor, 100);
            for (Journey journey : page.items()) {
                Map<String, Object> row = new HashMap<>();
                row.put("journeyId", journey.id());
                row.put("name", journey.name());
                row.put("kind", journey.kind().wireName().replace('_', ' '));
                row.put("status", journey.status().wireName());
                row.put("delay", journey.delay());
                row.put("holdout", Format.percent(journey.holdoutShare()));
                row.put("counts", countCells(counts.get(journey.id())));
                lift.report(tenantId, journey.id())
                        .ifPresent(report -> row.put("lift", liftSummary(report)));
                rows.add(row);
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return rows;
    }

    @GET
    @Path("campaigns/{campaignId}")
    public Response campaign(
            @PathParam("campaignId") String campaignId, @Context ContainerRequestContext request) {
        return campaignPage(DashboardFeature.session(request), campaignId, 200, null);
    }

    @POST
    @Path("campaigns/{campaignId}/launch")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @DashboardScope(Scope.CAMPAIGNS)
    public Response launch(
            @PathParam("campaignId") String campaignId, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        return control(session, campaignId, () -> campaigns.launch(session.tenantId(), campaignId));
    }

    @POST
    @Path("campaigns/{campaignId}/pause")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @DashboardScope(Scope.CAMPAIGNS)
    public Response pause(
            @PathParam("campaignId") String campaignId, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        return control(session, campaignId, () -> campaigns.pause(session.tenantId(), campaignId));
    }

    /**
     * Runs a launch or pause; afterwards back to the campaign's page. A refusal (no sender
     * identity, a status that does not allow it) shows the campaign page again with the reason, and
     * another tenant's or an unknown campaign is a 404, as the page itself would be.
     */
    private Response control(DashboardSession session, String campaignId, Runnable action) {
        if (campaigns.campaign(session.tenantId(), campaignId).isEmpty()) {
            return notFound(session, "campaigns", "There is no campaign " + campaignId + ".");
        }
        try {
            action.run();
        } catch (NotFoundException e) {
            return notFound(session, "campaigns", "There is no campaign " + campaignId + ".");
        } catch (HilalException e) {
            return campaignPage(session, campaignId, e.status(), e.detail());
        }
        return backToCampaign(campaignId);
    }

    private Response campaignPage(
            DashboardSession session, String campaignId, int status, String error) {
        Optional<CampaignDirectory.Campaign> campaign =
                campaigns.campaign(session.tenantId(), campaignId);
        if (campaign.isEmpty()) {
            return notFound(session, "campaigns", "There is no campaign " + campaignId + ".");
        }
        Map<String, Object> scope = describe(campaign.get());
        scope.put("states", stateHeaders());
        scope.put(
                "counts",
                countCells(ledgerCounts(session.tenantId()).get(campaign.get().campaignId())));
        List<Map<String, Object>> outbox = new ArrayList<>();
        for (DashboardQueries.QueuedSend send :
                queries.outbox(session.tenantId(), campaignId, OUTBOX_PREVIEW)) {
            outbox.add(
                    Map.of(
                            "customerId", send.customerId(),
                            "runId", send.runId(),
                            "sendAt", TIME.format(send.sendAt()),
                            "validUntil", TIME.format(send.validUntil())));
        }
        scope.put("outbox", outbox);
        scope.put("hasOutbox", !outbox.isEmpty());
        unknownSends(session, campaignId).ifPresent(unknown -> scope.put("unknown", unknown));
        scope.put("outboxLimit", OUTBOX_PREVIEW);
        boolean controllable =
                campaigns.controllable()
                        && (campaign.get().launchable() || campaign.get().pausable());
        scope.put("controllable", controllable);
        // The buttons show only to a session that may use them; the POSTs check it again.
        boolean controls = session.has(Scope.CAMPAIGNS);
        scope.put("launchable", controls && campaign.get().launchable());
        scope.put("pausable", controls && campaign.get().pausable());
        scope.put("resumes", "paused".equals(campaign.get().status()));
        if (error != null) {
            scope.put("error", error);
        }
        scope.put(
                "funnel",
                FunnelView.of(funnels.funnel(session.tenantId(), campaignId, lift.windowDays())));
        sendTimes
                .ifBestTime(session.tenantId(), campaignId, lift.windowDays())
                .ifPresent(report -> scope.put("sendTime", SendTimeView.of(report)));
        demoOutbox
                .of(session.tenantId(), campaignId)
                .ifPresent(snapshot -> scope.put("demo", demo(snapshot)));
        lift.report(session.tenantId(), campaignId)
                .ifPresent(report -> scope.put("lift", liftSummary(report)));
        return pages.page(
                status,
                session,
                "campaign",
                "campaigns",
                "Campaign " + campaign.get().name(),
                scope);
    }

    @GET
    @Path("lift")
    public Response lift(@Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        List<ForestPlot.Row> plotted = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LiftReports.Report report : lift.reports(session.tenantId())) {
            rows.add(liftSummary(report));
            LiftReport.Metrics metrics = report.report().metrics();
            if (metrics != null) {
                LiftReport.Metric repeat = metrics.repeatPurchaseRate();
                plotted.add(
                        new ForestPlot.Row(
                                report.campaignName(),
                                repeat.difference() * 100,
                                repeat.low() * 100,
                                repeat.high() * 100,
                                intervalLabel(report.report()),
                                "n = "
                                        + numbers()
                                                .format(
                                                        report.report()
                                                                .assignment()
                                                                .treatedCustomers())
                                        + " / "
                                        + numbers()
                                                .format(
                                                        report.report()
                                                                .assignment()
                                                                .holdoutCustomers())));
            }
        }
        Map<String, Object> scope = new HashMap<>();
        scope.put("reports", rows);
        scope.put("hasReports", !rows.isEmpty());
        scope.put("window", lift.windowDays());
        if (!plotted.isEmpty()) {
            scope.put(
                    "chart",
                    ForestPlot.render(
                            "lift-forest",
                            "Repeat-purchase lift by campaign, with each report's interval",
                            plotted));
        }
        return pages.page(200, session, "lift", "lift", "Lift", scope);
    }

    @GET
    @Path("lift/{campaignId}")
    public Response liftReport(
            @PathParam("campaignId") String campaignId, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        Optional<LiftReports.Report> report = lift.report(session.tenantId(), campaignId);
        if (report.isEmpty()) {
            return notFound(session, "lift", "There is no lift report for " + campaignId + ".");
        }
        LiftReport stored = report.get().report();
        Map<String, Object> scope = liftSummary(report.get());
        scope.put("metrics", metricRows(stored));
        scope.put("statusDetail", stored.statusDetail());
        scope.put("peeking", stored.peeking().note());
        scope.put("assignment", stored.assignment().definition());
        scope.put("windowDefinition", stored.window().definition());
        scope.put("warnings", stored.warnings());
        scope.put("hasWarnings", !stored.warnings().isEmpty());
        scope.put(
                "ledgerStates",
                stored.assignment().ledgerStates().entrySet().stream()
                        .map(
                                entry ->
                                        Map.of(
                                                "state",
                                                label(SendState.valueOf(entry.getKey())),
                                                "count",
                                                numbers().format(entry.getValue())))
                        .toList());
        putVariants(scope, stored.variants());
        RepeatPurchaseLift.Result result = lift.curves(session.tenantId(), campaignId);
        scope.put("curveN", numbers().format(result.treatedN() + result.holdoutN()));
        if (!result.treated().isEmpty() && !result.holdout().isEmpty()) {
            scope.put(
                    "chart",
                    RepeatPurchaseCurves.render(
                            "repeat-curves", curve(result.treated()), curve(result.holdout())));
            List<Map<String, Object>> days = new ArrayList<>();
            for (int i = 0; i < result.treated().size(); i++) {
                RepeatPurchaseLift.Point treated = result.treated().get(i);
                RepeatPurchaseLift.Point holdout = result.holdout().get(i);
                days.add(
                        Map.of(
                                "day", treated.day(),
                                "treated", Format.percent(treated.rate()),
                                "treatedInterval",
                                        Format.percent(treated.low())
                                                + " – "
                                                + Format.percent(treated.high()),
                                "holdout", Format.percent(holdout.rate()),
                                "holdoutInterval",
                                        Format.percent(holdout.low())
                                                + " – "
                                                + Format.percent(holdout.high())));
            }
            scope.put("days", days);
        }
        return pages.page(
                200,
                session,
                "lift-report",
                "lift",
                "Lift of " + report.get().campaignName(),
                scope);
    }

    /** The offer variants' table and their allocation day by day, when the campaign has any. */
    private static void putVariants(Map<String, Object> scope, LiftReport.Variants variants) {
        if (variants == null) {
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LiftReport.VariantFigures v : variants.variants()) {
            Map<String, Object> row = new HashMap<>();
            row.put("name", v.name());
            row.put("sends", numbers().format(v.sends()));
            row.put("clickers", numbers().format(v.clickers()));
            row.put("customers", numbers().format(v.customers()));
            row.put("buyers", numbers().format(v.buyers()));
            row.put("orders", numbers().format(v.orders()));
            if (v.difference() != null) {
                row.put("rate", Format.percent(v.rate()));
                row.put("difference", Format.points(v.difference() * 100));
                row.put(
                        "interval",
                        Format.points(v.low() * 100) + " to " + Format.points(v.high() * 100));
                row.put("significant", v.significant());
            } else {
                row.put("notEnoughData", v.notEnoughData());
            }
            rows.add(row);
        }
        List<String> names =
                variants.variants().stream().map(LiftReport.VariantFigures::name).toList();
        List<Map<String, Object>> days = new ArrayList<>();
        for (LiftReport.Day day : variants.allocation()) {
            long total = day.sends().values().stream().mapToLong(Long::longValue).sum();
            List<String> shares = new ArrayList<>();
            for (String name : names) {
                long count = day.sends().getOrDefault(name, 0L);
                shares.add(
                        numbers().format(count)
                                + " ("
                                + Format.percent(total == 0 ? 0 : (double) count / total)
                                + ")");
            }
            days.add(Map.of("date", day.date().toString(), "shares", shares));
        }
        scope.put("hasVariants", true);
        scope.put("variants", rows);
        scope.put("variantNames", names);
        scope.put("variantDays", days);
        scope.put("variantsDefinition", variants.definition());
    }

    @POST
    @Path("sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @DashboardScope(Scope.READ)
    public Response signOut(@Context ContainerRequestContext request) {
        auth.signOut(DashboardFeature.token(request));
        boolean secure = request.getSecurityContext().isSecure();
        return Pages.withHeaders(
                        Response.seeOther(UriBuilder.fromPath("/dashboard/sign-in").build()))
                .cookie(
                        SignInResource.cookie(
                                DashboardFeature.SESSION_COOKIE, "", "/dashboard", 0, secure))
                .build();
    }

    /**
     * The demo's captured emails for the page: subject, recipient, the text part, and the HTML part
     * for a sandboxed {@code <iframe srcdoc>} (escaped into the attribute by the template; the
     * sandbox allows no scripts, forms or navigation of the page, and the frame inherits the page's
     * policy, so it loads nothing from elsewhere).
     */
    private Map<String, Object> demo(DemoOutbox.Snapshot snapshot) {
        List<Map<String, Object>> emails = new ArrayList<>();
        int index = 0;
        for (DemoOutbox.Email email : snapshot.emails()) {
            index++;
            Map<String, Object> row = new HashMap<>();
            row.put("first", index == 1);
            row.put("to", email.to());
            row.put("subject", email.subject());
            row.put("html", email.html() == null ? "" : email.html());
            row.put("hasHtml", email.html() != null && !email.html().isBlank());
            row.put("text", email.text() == null ? "" : email.text());
            emails.add(row);
        }
        List<Map<String, Object>> counts = new ArrayList<>();
        for (SendState state : LEDGER_COLUMNS) {
            counts.add(
                    Map.of(
                            "state",
                            label(state),
                            "count",
                            numbers().format(snapshot.counts().getOrDefault(state.name(), 0L))));
        }
        Map<String, Object> demo = new HashMap<>();
        demo.put("received", numbers().format(snapshot.received()));
        demo.put(
                "shown",
                emails.isEmpty()
                        ? "none was kept"
                        : emails.size() == 1
                                ? "the first is below, as its recipient saw it"
                                : "the first "
                                        + emails.size()
                                        + " are below, as their recipients saw them");
        demo.put("emails", emails);
        demo.put("counts", counts);
        return demo;
    }

    private Response backToCampaign(String campaignId) {
        return Pages.withHeaders(
                        Response.seeOther(
                                UriBuilder.fromPath("/dashboard/campaigns/{id}").build(campaignId)))
                .build();
    }

    private Response notFound(DashboardSession session, String nav, String message) {
        return pages.page(404, session, "not-found", nav, "Not found", Map.of("message", message));
    }

    /**
     * The campaign's sends of unknown fate nobody decided on yet, per run and the worker that
     * stopped while sending them, and whether this session may decide; empty when there are none.
     */
    private Optional<Map<String, Object>> unknownSends(
            DashboardSession session, String campaignId) {
        long total = 0;
        List<Map<String, Object>> groups = new ArrayList<>();
        for (DashboardQueries.UnknownSends group : queries.undecidedUnknown(session.tenantId())) {
            if (group.campaignId().equals(campaignId)) {
                total += group.sends();
                groups.add(
                        Map.of(
                                "runId", group.runId(),
                                "worker", group.worker() == null ? "unknown" : group.worker(),
                                "sends", numbers().format(group.sends()),
                                "since", TIME.format(group.since())));
            }
        }
        if (total == 0) {
            return Optional.empty();
        }
        Map<String, Object> unknown = new HashMap<>();
        unknown.put("count", numbers().format(total));
        unknown.put("groups", groups);
        unknown.put("decides", session.has(Scope.CAMPAIGNS));
        return Optional.of(unknown);
    }

    private Map<String, Object> describe(CampaignDirectory.Campaign campaign) {
        Map<String, Object> row = new HashMap<>();
        row.put("campaignId", campaign.campaignId());
        row.put("name", campaign.name());
        row.put("status", campaign.status());
        row.put("audience", campaign.audience());
        row.put(
                "holdout",
                campaign.holdoutShare() == null ? "–" : Format.percent(campaign.holdoutShare()));
        return row;
    }

    private Map<String, Map<SendState, Long>> ledgerCounts(String tenantId) {
        Map<String, Map<SendState, Long>> counts = new LinkedHashMap<>();
        for (DashboardQueries.StateCount count : queries.ledgerCounts(tenantId)) {
            counts.computeIfAbsent(count.campaignId(), id -> new EnumMap<>(SendState.class))
                    .merge(SendState.valueOf(count.state()), count.sends(), Long::sum);
        }
        return counts;
    }

    private static List<Map<String, Object>> stateHeaders() {
        List<Map<String, Object>> headers = new ArrayList<>();
        for (SendState state : LEDGER_COLUMNS) {
            headers.add(Map.of("state", label(state)));
        }
        return headers;
    }

    private List<Map<String, Object>> countCells(Map<SendState, Long> counts) {
        List<Map<String, Object>> cells = new ArrayList<>();
        for (SendState state : LEDGER_COLUMNS) {
            long value = counts == null ? 0 : counts.getOrDefault(state, 0L);
            cells.add(Map.of("state", label(state), "count", numbers().format(value)));
        }
        return cells;
    }

    private static String label(SendState state) {
        String words = state.name().replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /**
     * The headline of a stored report: its status, sample sizes, the repeat-rate lift (the metric
     * the forest plot draws) with interval, relative lift and p-value, the sample-ratio check, and
     * what it all means in one sentence.
     */
    private Map<String, Object> liftSummary(LiftReports.Report report) {
        LiftReport stored = report.report();
        LiftReport.Assignment assignment = stored.assignment();
        NumberFormat numbers = numbers();
        Map<String, Object> row = new HashMap<>();
        row.put("campaignId", report.campaignId());
        row.put("name", report.campaignName());
        row.put("window", stored.windowDays());
        row.put("computedAt", TIME.format(stored.computedAt()));
        row.put("closesAt", TIME.format(stored.window().closesAt()));
        row.put("treatedN", numbers.format(assignment.treatedCustomers()));
        row.put("holdoutN", numbers.format(assignment.holdoutCustomers()));
        row.put("treatedBuyers", numbers.format(assignment.treatedBuyers()));
        row.put("holdoutBuyers", numbers.format(assignment.holdoutBuyers()));
        row.put(
                "status",
                switch (stored.status()) {
                    case FINAL -> "Final";
                    case INTERIM -> "Interim";
                    case NOT_ENOUGH_DATA -> "Not enough data yet";
                });
        row.put("final", stored.status() == LiftReport.Status.FINAL);
        row.put("interim", stored.status() == LiftReport.Status.INTERIM);
        row.put("enoughData", stored.metrics() != null);
        LiftReport.SampleRatio ratio = stored.sampleRatio();
        row.put("srmMismatch", ratio.mismatch());
        row.put("srmChecked", ratio.pValue() != null);
        row.put("srmObserved", Format.percent(ratio.observedHoldoutShare()));
        row.put(
                "srmExpected",
                ratio.expectedHoldoutShare() == null
                        ? "–"
                        : Format.percent(ratio.expectedHoldoutShare()));
        row.put("srmSource", ratio.expectedShareSource());
        row.put("srmPValue", ratio.pValue() == null ? "–" : pValue(ratio.pValue()));
        row.put("look", LiftVerdict.look(stored));
        row.put("intervalLabel", intervalLabel(stored));
        if (stored.dataCutoff() != null) {
            row.put("dataCutoff", TIME.format(stored.dataCutoff()));
        }
        if (stored.metrics() == null) {
            row.put("verdict", LiftVerdict.of(stored));
            return row;
        }
        LiftReport.Metric repeat = stored.metrics().repeatPurchaseRate();
        row.put("treatedRate", Format.percent(repeat.unadjusted().treated()));
        row.put("holdoutRate", Format.percent(repeat.unadjusted().holdout()));
        row.put("difference", Format.points(repeat.difference() * 100));
        String interval =
                Format.signed(repeat.low() * 100) + " to " + Format.signed(repeat.high() * 100);
        row.put("interval", interval + " pp");
        row.put("relative", relative(repeat));
        row.put("pValue", pValue(repeat.pValue()));
        row.put("significant", repeat.significant());
        row.put("up", repeat.low() > 0);
        row.put("down", repeat.high() < 0);
        row.put(
                "mde",
                String.format(Locale.ROOT, "%.1f pp", repeat.minimumDetectableEffect() * 100));
        row.put("varianceReduction", Format.percent(repeat.varianceReduction()));
        LiftReport.Incremental incremental = stored.incrementalRevenue();
        if (incremental != null) {
            String currency = stored.currencies().size() == 1 ? stored.currencies().get(0) : "";
            row.put("incremental", money(incremental.estimate(), currency));
            row.put(
                    "incrementalInterval",
                    intervalLabel(stored)
                            + " "
                            + money(incremental.low(), currency)
                            + " to "
                            + money(incremental.high(), currency));
        }
        row.put("verdict", LiftVerdict.of(stored));
        return row;
    }

    /** "99% always-valid interval" at an interim look, "96% interval" at the final one. */
    private static String intervalLabel(LiftReport report) {
        double confidence =
                report.look() == null ? report.confidence() : report.look().intervalConfidence();
        String percent = String.format(Locale.ROOT, "%.1f", confidence * 100).replace(".0", "");
        return percent
                + "% "
                + (report.look() != null && report.look().interim() ? "always-valid " : "")
                + "interval";
    }

    /** The three metrics of a report as table rows, each level and difference in its own unit. */
    private static List<Map<String, Object>> metricRows(LiftReport report) {
        List<Map<String, Object>> rows = new ArrayList<>();
        LiftReport.Metrics metrics = report.metrics();
        if (metrics == null) {
            return rows;
        }
        String currency = report.currencies().size() == 1 ? report.currencies().get(0) : "";
        rows.add(
                metricRow(
                        "repeat-rate",
                        "Repeat-purchase rate",
                        metrics.repeatPurchaseRate(),
                        value -> Format.percent(value),
                        value -> Format.points(value * 100)));
        rows.add(
                metricRow(
                        "orders",
                        "Orders per customer",
                        metrics.ordersPerCustomer(),
                        value -> String.format(Locale.ROOT, "%.3f", value),
                        value -> signed(value, 3)));
        rows.add(
                metricRow(
                        "revenue",
                        "Revenue per customer" + (currency.isEmpty() ? "" : " (" + currency + ")"),
                        metrics.revenuePerCustomer(),
                        value -> String.format(Locale.ROOT, "%.2f", value),
                        value -> signed(value, 2)));
        return rows;
    }

    private static Map<String, Object> metricRow(
            String id,
            String name,
            LiftReport.Metric metric,
            java.util.function.DoubleFunction<String> level,
            java.util.function.DoubleFunction<String> difference) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("definition", metric.definition());
        row.put("treated", level.apply(metric.unadjusted().treated()));
        row.put("holdout", level.apply(metric.unadjusted().holdout()));
        row.put("difference", difference.apply(metric.difference()));
        row.put(
                "interval",
                difference.apply(metric.low()) + " to " + difference.apply(metric.high()));
        row.put("relative", relative(metric));
        row.put("pValue", pValue(metric.pValue()));
        row.put("role", "secondary".equals(metric.role()) ? "Secondary" : "Primary");
        row.put(
                "adjustedPValue",
                metric.adjustedPValue() == null ? "–" : pValue(metric.adjustedPValue()));
        row.put("significant", metric.significant());
        row.put("varianceReduction", Format.percent(metric.varianceReduction()));
        row.put("mde", difference.apply(metric.minimumDetectableEffect()).replace("+", ""));
        row.put(
                "unadjusted",
                difference.apply(metric.unadjusted().difference())
                        + " ("
                        + difference.apply(metric.unadjusted().low())
                        + " to "
                        + difference.apply(metric.unadjusted().high())
                        + ")");
        return row;
    }

    private static String relative(LiftReport.Metric metric) {
        if (metric.relative() == null) {
            return "–";
        }
        String text = Format.signed(metric.relative() * 100) + "%";
        if (metric.relativeLow() != null && metric.relativeHigh() != null) {
            text +=
                    " ("
                            + Format.signed(metric.relativeLow() * 100)
                            + " to "
                            + Format.signed(metric.relativeHigh() * 100)
                            + "%)";
        }
        return text;
    }

    private static String pValue(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static String money(double amount, String currency) {
        return signed(amount, 2) + (currency.isEmpty() ? "" : " " + currency);
    }

    /** A signed number with a fixed number of decimals (a true minus sign for negatives). */
    private static String signed(double value, int decimals) {
        String text = String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(value));
        if (text.matches("[0.]+")) {
            return text;
        }
        return (value > 0 ? "+" : "\u2212") + text;
    }

    private static List<RepeatPurchaseCurves.Point> curve(List<RepeatPurchaseLift.Point> points) {
        return points.stream()
                .map(
                        point ->
                                new RepeatPurchaseCurves.Point(
                                        point.day(), point.rate(), point.low(), point.high()))
                .toList();
    }

    private Map<String, Object> rows(String tenantId, String customerId) {
        Rows rows =
                recommendations.rows(
                        tenantId,
                        customerId,
                        io.hilal.core.reco.RowsService.Context.HOME,
                        io.hilal.core.reco.RowsFilter.NONE,
                        5,
                        6);
        RecommendationModel model = recommendations.model(tenantId);
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Rows.Row row : rows.rows()) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (ScoredItem item : row.items()) {
                ProductInfo product = model.product(item.productId());
                items.add(
                        Map.of(
                                "productId", item.productId(),
                                "title",
                                        product == null || product.title() == null
                                                ? item.productId()
                                                : product.title(),
                                "reason", item.reason()));
            }
            shown.add(Map.of("title", row.title(), "evidence", row.evidence(), "items", items));
        }
        return Map.of("personalized", rows.personalized(), "list", shown, "any", !shown.isEmpty());
    }

    /** A model's metrics or parameters as name–value pairs, nested names joined by dots. */
    /**
     * The active recommender's offline scores at K = 20 on the tenant's last 30 days held out, each
     * model next to its baseline, best first within a task.
     */
    private List<Map<String, Object>> quality(String tenantId) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ModelVersion version : models.active(tenantId)) {
            if (!"recommender".equals(version.kind()) || version.metrics() == null) {
                continue;
            }
            try {
                JsonNode holdout = mapper.readTree(version.metrics()).path("holdout");
                for (JsonNode score : holdout.path("scores")) {
                    if (score.path("k").asInt() != 20) {
                        continue;
                    }
                    Map<String, Object> row = new HashMap<>();
                    row.put("task", score.path("task").asText());
                    row.put("model", score.path("model").asText());
                    row.put(
                            "recall",
                            String.format(Locale.ROOT, "%.4f", score.path("recall").asDouble()));
                    row.put(
                            "ndcg",
                            String.format(Locale.ROOT, "%.4f", score.path("ndcg").asDouble()));
                    row.put(
                            "coverage",
                            String.format(
                                    Locale.ROOT,
                                    "%.1f%%",
                                    100 * score.path("coverage").asDouble()));
                    row.put("customers", numbers().format(score.path("customers").asLong()));
                    row.put(
                            "baseline",
                            List.of("popularity", "most-often-bought")
                                    .contains(score.path("model").asText()));
                    rows.add(row);
                }
            } catch (IOException e) {
                // metrics of an older format: the versions table still shows them raw
            }
        }
        return rows;
    }

    private String withoutHoldout(String json) {
        if (json == null || json.isBlank()) {
            return json;
        }
        try {
            JsonNode node = mapper.readTree(json);
            if (node.isObject()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("holdout");
            }
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            return json;
        }
    }

    private List<Map<String, Object>> entries(String json) {
        List<Map<String, Object>> entries = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return entries;
        }
        try {
            flatten("", mapper.readTree(json), entries);
        } catch (IOException e) {
            entries.add(Map.of("name", "(unreadable)", "value", json));
        }
        return entries;
    }

    private static void flatten(String prefix, JsonNode node, List<Map<String, Object>> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(
                        prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(),
                        field.getValue(),
                        out);
            }
        } else {
            String value =
                    node.isNumber() && !node.isIntegralNumber()
                            ? String.format(Locale.ROOT, "%.4f", node.asDouble())
                            : node.isIntegralNumber()
                                    ? numbers().format(node.asLong())
                                    : node.isValueNode() ? node.asText() : node.toString();
            out.add(Map.of("name", prefix, "value", value));
        }
    }

    private static NumberFormat numbers() {
        return NumberFormat.getIntegerInstance(Locale.UK);
    }
}
