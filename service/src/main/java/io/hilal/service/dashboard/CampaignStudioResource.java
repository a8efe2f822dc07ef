package io.hilal.service.dashboard;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.CampaignStatus;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.mail.SendResult;
import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.error.FieldError;
import io.hilal.core.error.HilalException;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.events.OverviewService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.campaigns.MailCapture;
import io.hilal.service.campaigns.TestSends;
import io.hilal.service.dashboard.charts.Format;
import io.hilal.service.recommendations.ItemDetails;
import io.hilal.service.recommendations.RowsResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The campaign studio: create and edit a draft through a form, preview it as a chosen customer sees
 * it (audience counts, the lift outlook, warnings, the email in a sandboxed frame), send a test to
 * a typed address, and launch, pause, resume or cancel after a confirmation page that states what
 * will happen. Server-rendered forms only: no script, every control reachable by keyboard.
 * Everything goes through the same {@link CampaignService} as the API.
 */
@Path("/dashboard/studio")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class CampaignStudioResource {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
                    .withZone(ZoneOffset.UTC);
    private static final String RECOUNT = "recount";
    private static final List<String> ACTIONS = List.of("launch", "pause", "resume", "cancel");

    /** The create and edit form, with the counts of what it holds now. */
    public record FormView(
            boolean creating,
            String campaignId,
            CampaignForm form,
            boolean hasErrors,
            List<FieldError> errors,
            boolean capturing,
            StudioEstimate estimate,
            List<Option> scheduleTypes,
            List<Option> anchorKinds,
            List<Option> holidays,
            List<Option> tenantDates,
            boolean hasTenantDates,
            List<Option> latePolicies,
            List<Option> sendTimes) {}

    /** A choice of a select, as the form holds it. */
    public record Option(String value, String label, boolean selected) {}

    /** The preview page. */
    public record PreviewView(
            String campaignId,
            String name,
            String status,
            boolean draft,
            boolean launched,
            String plannedAt,
            String customers,
            String reachable,
            String heldOut,
            String treated,
            String minimumDetectableLift,
            boolean liftCanAnswer,
            String liftNote,
            List<String> warnings,
            boolean hasWarnings,
            String firstSendAt,
            String customerId,
            boolean hasEmail,
            String to,
            String subject,
            String html,
            String text,
            String excludedBecause,
            boolean testSends,
            boolean capturing,
            String notice,
            String error,
            List<Action> actions,
            boolean hasRows,
            boolean personalized,
            List<RowView> rows,
            boolean hasProductsWithoutUrl,
            List<String> productsWithoutUrl) {}

    /** The audience figures a preview page shows: a draft's planned now, a launch's as it was. */
    private record Figures(int reachable, int heldOut, Instant firstSendAt) {
        static Figures of(CampaignService.Preview preview) {
            return new Figures(
                    preview.audienceSize(), preview.holdoutSize(), preview.firstSendAt());
        }

        static Figures of(CampaignService.RunLedger run) {
            return new Figures(run.audienceSize(), run.holdoutSize(), run.firstSendAt());
        }
    }

    /** One of the customer's rows of products as their email shows it. */
    public record RowView(String title, String evidence, List<ItemView> items) {}

    /** A product of a row, with the reason it is there; {@code noUrl}: the email cannot link it. */
    public record ItemView(
            String productId,
            String title,
            String reason,
            String price,
            String url,
            boolean noUrl) {}

    /** A lifecycle action the campaign allows now. */
    public record Action(String action, String label) {}

    /**
     * Whether a launch would be refused for want of a sender identity: the preview and the launch
     * confirmation say so before the marketer tries, with a link to the sender page. {@code
     * websiteUrl}: where the email links products that have no URL of their own (null: nowhere).
     */
    public record SenderCheck(boolean senderMissing, String websiteUrl) {
        /**
         * For a campaign's preview: a draft can still be stopped by a missing sender; products
         * without a URL of their own link to the sender's website, when it has one.
         */
        static SenderCheck of(CampaignStatus status, SenderIdentity sender) {
            return new SenderCheck(
                    status == CampaignStatus.DRAFT && sender == null,
                    sender == null ? null : sender.websiteUrl());
        }
    }

    /** The confirmation page of an action. */
    public record ConfirmView(
            String campaignId, String name, String action, String label, String consequence) {}

    private final CampaignService campaigns;
    private final OverviewService overview;
    private final TestSends testSends;
    private final MailCapture capture;
    private final Clock clock;
    private final ItemDetails details;
    private final Pages pages = new Pages();

    public CampaignStudioResource(
            CampaignService campaigns,
            OverviewService overview,
            TestSends testSends,
            MailCapture capture,
            Clock clock,
            ItemDetails details) {
        this.details = details;
        this.campaigns = campaigns;
        this.overview = overview;
        this.testSends = testSends;
        this.capture = capture;
        this.clock = clock;
    }

    @GET
    @Path("new")
    public Response newCampaign(@Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        CampaignForm form = CampaignForm.blank(LocalDate.now(clock));
        return form(session, 200, true, null, form, List.of());
    }

    @POST
    @DashboardScope(Scope.CAMPAIGNS)
    @Path("new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(Form posted, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        CampaignForm form = CampaignForm.posted(posted.asMap());
        if (RECOUNT.equals(posted.asMap().getFirst("intent"))) {
            return form(session, 200, true, null, form, List.of());
        }
        try {
            Campaign created = campaigns.create(session.tenantId(), form.request());
            return redirect(created.id());
        } catch (HilalException e) {
            return form(session, e.status(), true, null, form, errors(e));
        }
    }

    /**
     * The form's counts as JSON, for the form's script to show as fields change: the form's fields
     * as query parameters, {@code campaignId} for a saved draft. A form that cannot be counted yet
     * is a 422 problem naming its fields, as the API's.
     */
    @GET
    @Path("estimate")
    @Produces(MediaType.APPLICATION_JSON)
    public StudioEstimate estimateJson(
            @QueryParam("campaignId") String campaignId,
            @Context UriInfo uri,
            @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        CampaignForm form = CampaignForm.posted(uri.getQueryParameters());
        CampaignRequest definition = form.request();
        return StudioEstimate.of(
                campaigns.estimate(session.tenantId(), blankToNull(campaignId), definition),
                definition.schedule());
    }

    /** The form's script: recounts as fields change (the Recount button does it without). */
    @GET
    @Path("studio.js")
    @Produces("text/javascript; charset=utf-8")
    public Response script() {
        try (var in = getClass().getResourceAsStream("studio.js")) {
            return Pages.withHeaders(
                            Response.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8)))
                    .type("text/javascript; charset=utf-8")
                    .build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @GET
    @Path("{campaignId}/edit")
    public Response edit(
            @PathParam("campaignId") String campaignId, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        Campaign campaign;
        try {
            campaign = campaigns.get(session.tenantId(), campaignId);
        } catch (NotFoundException e) {
            return notFound(session, campaignId);
        }
        return form(session, 200, false, campaignId, CampaignForm.of(campaign), List.of());
    }

    @POST
    @DashboardScope(Scope.CAMPAIGNS)
    @Path("{campaignId}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(
            @PathParam("campaignId") String campaignId,
            Form posted,
            @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        CampaignForm form = CampaignForm.posted(posted.asMap());
        try {
            if (RECOUNT.equals(posted.asMap().getFirst("intent"))) {
                campaigns.get(session.tenantId(), campaignId);
                return form(session, 200, false, campaignId, form, List.of());
            }
            campaigns.update(session.tenantId(), campaignId, form.request());
            return redirect(campaignId);
        } catch (NotFoundException e) {
            return notFound(session, campaignId);
        } catch (HilalException e) {
            return form(session, e.status(), false, campaignId, form, errors(e));
        }
    }

    @GET
    @Path("{campaignId}")
    public Response preview(
            @PathParam("campaignId") String campaignId,
            @QueryParam("customer") String customer,
            @QueryParam("sent") String sent,
            @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        String notice =
                sent == null
                        ? null
                        : "A test email went to "
                                + sent
                                + (capture.running()
                                        ? " (into the built-in capture: see the Outbox)."
                                        : ".")
                                + " It is not in the send ledger.";
        return preview(session, campaignId, blankToNull(customer), 200, notice, null);
    }

    @POST
    @DashboardScope(Scope.CAMPAIGNS)
    @Path("{campaignId}/test-send")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response testSend(
            @PathParam("campaignId") String campaignId,
            Form posted,
            @Context ContainerRequestContext request)
            throws InterruptedException {
        DashboardSession session = DashboardFeature.session(request);
        String customer = blankToNull(posted.asMap().getFirst("customer"));
        String address = posted.asMap().getFirst("address");
        try {
            CampaignService.Preview preview =
                    campaigns.previewForTestSend(session.tenantId(), campaignId, customer);
            if (preview.email() == null) {
                return preview(
                        session,
                        campaignId,
                        customer,
                        409,
                        null,
                        "There is no customer to render the test email for.");
            }
            SendResult result = testSends.send(preview.email(), campaignId, address);
            if (result.status() != SendResult.Status.SENT) {
                return preview(
                        session,
                        campaignId,
                        customer,
                        502,
                        null,
                        "The relay did not take the test email: " + result.reason());
            }
        } catch (NotFoundException e) {
            return notFound(session, campaignId);
        } catch (HilalException e) {
            return preview(session, campaignId, customer, e.status(), null, e.detail());
        }
        UriBuilder back = UriBuilder.fromPath("/dashboard/studio/{id}").queryParam("sent", address);
        if (customer != null) {
            back.queryParam("customer", customer);
        }
        return Pages.withHeaders(Response.seeOther(back.build(campaignId))).build();
    }

    @GET
    @Path("{campaignId}/confirm/{action}")
    public Response confirm(
            @PathParam("campaignId") String campaignId,
            @PathParam("action") String action,
            @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        if (!ACTIONS.contains(action)) {
            return notFound(session, campaignId);
        }
        Campaign campaign;
        try {
            campaign = campaigns.get(session.tenantId(), campaignId);
        } catch (NotFoundException e) {
            return notFound(session, campaignId);
        }
        return pages.view(
                200,
                session,
                "studio-confirm",
                "campaigns",
                label(action) + " " + campaign.name(),
                new SenderCheck(
                        action.equals("launch")
                                && campaigns.senderIdentity(session.tenantId()) == null,
                        null),
                new ConfirmView(
                        campaignId,
                        campaign.name(),
                        action,
                        label(action),
                        consequence(session.tenantId(), campaign, action)));
    }

    @POST
    @DashboardScope(Scope.CAMPAIGNS)
    @Path("{campaignId}/{action: launch|pause|resume|cancel}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(
            @PathParam("campaignId") String campaignId,
            @PathParam("action") String action,
            @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        String tenantId = session.tenantId();
        try {
            switch (action) {
                case "launch" -> campaigns.launch(tenantId, campaignId);
                case "pause" -> campaigns.pause(tenantId, campaignId);
                case "resume" -> campaigns.resume(tenantId, campaignId);
                default -> campaigns.cancel(tenantId, campaignId);
            }
        } catch (NotFoundException e) {
            return notFound(session, campaignId);
        } catch (HilalException e) {
            return preview(session, campaignId, null, e.status(), null, e.detail());
        }
        return Pages.withHeaders(
                        Response.seeOther(
                                UriBuilder.fromPath("/dashboard/campaigns/{id}").build(campaignId)))
                .build();
    }

    /** What an action will do, in a sentence with this campaign's numbers. */
    private String consequence(String tenantId, Campaign campaign, String action) {
        NumberFormat numbers = NumberFormat.getIntegerInstance(Locale.ENGLISH);
        Map<String, Long> counts =
                campaign.status() == CampaignStatus.DRAFT
                        ? Map.of()
                        : campaigns.ledger(tenantId, campaign.id()).counts();
        long waiting = counts.getOrDefault("PLANNED", 0L) + counts.getOrDefault("DEFERRED", 0L);
        return switch (action) {
            case "launch" -> {
                CampaignService.Preview preview = campaigns.preview(tenantId, campaign.id(), null);
                CampaignService.Lateness late = preview.late();
                int going = preview.treatedSize() - (late.skipped() > 0 ? late.skipped() : 0);
                String when =
                        campaign.schedule().localTime()
                                + " in "
                                + (campaign.schedule().timeZone() == null
                                        ? "their local time"
                                        : campaign.schedule().timeZone())
                                + (preview.firstSendAt() == null
                                        ? ""
                                        : ", from "
                                                + DAY.format(
                                                        preview.firstSendAt()
                                                                .atZone(ZoneOffset.UTC)
                                                                .toLocalDate()));
                yield "Launching will email about "
                        + numbers.format(Math.max(0, going))
                        + " customers at "
                        + when
                        + " (each send valid for "
                        + campaign.schedule().validFor()
                        + "); "
                        + numbers.format(preview.holdoutSize())
                        + " held out get nothing and are measured."
                        + (late.passed() > 0
                                ? " "
                                        + numbers.format(late.passed())
                                        + " send times have"
                                        + " already passed: late policy "
                                        + late.policy()
                                        + "."
                                : "")
                        + " The campaign can no longer be edited.";
            }
            case "pause" ->
                    "Pausing stops sending: "
                            + numbers.format(waiting)
                            + " waiting sends stay planned until you resume (those whose validity ends"
                            + " meanwhile expire).";
            case "resume" ->
                    "Resuming sends the "
                            + numbers.format(waiting)
                            + " waiting sends at their planned times; those already past go out now if"
                            + " still valid.";
            default ->
                    "Cancelling ends the campaign for good: "
                            + numbers.format(waiting)
                            + " sends not yet made expire and nothing more goes out.";
        };
    }

    private Response preview(
            DashboardSession session,
            String campaignId,
            String customer,
            int status,
            String notice,
            String error) {
        String tenantId = session.tenantId();
        Campaign campaign;
        CampaignService.Preview preview;
        try {
            campaign = campaigns.get(tenantId, campaignId);
            try {
                preview = campaigns.preview(tenantId, campaignId, customer);
            } catch (NotFoundException e) {
                preview = campaigns.preview(tenantId, campaignId, null);
                error = "There is no customer " + customer + "; showing the first of the audience.";
                status = 404;
            }
        } catch (NotFoundException e) {
            return notFound(session, campaignId);
        }
        NumberFormat numbers = NumberFormat.getIntegerInstance(Locale.ENGLISH);
        // A launched campaign's figures are its run's, as planned at launch: planning it again
        // now would count an audience and late sends the campaign no longer has.
        CampaignService.RunLedger run =
                campaign.status() == CampaignStatus.DRAFT
                        ? null
                        : campaigns.ledger(tenantId, campaignId).runs().stream()
                                .findFirst()
                                .orElse(null);
        Figures figures = run == null ? Figures.of(preview) : Figures.of(run);
        CampaignService.Email email = preview.email();
        RowsResponse customerRows =
                email == null ? null : rowsResponse(tenantId, campaign, email.customerId());
        List<RowView> rows = customerRows == null ? List.of() : rows(customerRows);
        List<String> withoutUrl =
                rows.stream()
                        .flatMap(row -> row.items().stream())
                        .filter(ItemView::noUrl)
                        .map(item -> item.title() + " (" + item.productId() + ")")
                        .distinct()
                        .toList();
        // The lift outlook has its own line on the page; the API's warnings repeat it for clients
        // that read only the warnings.
        String liftNote = preview.lift().note();
        List<String> otherWarnings =
                run != null
                        ? List.of()
                        : preview.warnings().stream()
                                .filter(warning -> !warning.equals(liftNote))
                                .toList();
        return pages.view(
                status,
                session,
                "studio-preview",
                "campaigns",
                "Preview " + campaign.name(),
                SenderCheck.of(campaign.status(), campaigns.senderIdentity(tenantId)),
                new PreviewView(
                        campaignId,
                        campaign.name(),
                        campaign.status().wireName(),
                        campaign.status() == CampaignStatus.DRAFT,
                        run != null,
                        run == null ? null : TIME.format(run.plannedAt()),
                        numbers.format(overview.overview(tenantId).customers()),
                        numbers.format(figures.reachable()),
                        numbers.format(figures.heldOut()),
                        numbers.format(figures.reachable() - figures.heldOut()),
                        preview.minimumDetectableLift() == null
                                ? "not measurable (no holdout or no one treated)"
                                : Format.percent(preview.minimumDetectableLift())
                                        + " points of repeat purchase",
                        preview.lift().canAnswer(),
                        preview.lift().note(),
                        otherWarnings,
                        !otherWarnings.isEmpty(),
                        figures.firstSendAt() == null ? "–" : TIME.format(figures.firstSendAt()),
                        email == null ? "" : email.customerId(),
                        email != null,
                        email == null ? "" : email.to(),
                        email == null ? "" : email.subject(),
                        email == null ? "" : email.html(),
                        email == null ? "" : email.text(),
                        email == null ? null : email.excludedBecause(),
                        testSends.enabled(),
                        capture.running(),
                        notice,
                        error,
                        actions(campaign.status()),
                        !rows.isEmpty(),
                        customerRows != null && customerRows.personalized(),
                        rows,
                        !withoutUrl.isEmpty(),
                        withoutUrl));
    }

    private static List<RowView> rows(RowsResponse response) {
        List<RowView> rows = new ArrayList<>();
        for (RowsResponse.Row row : response.rows()) {
            rows.add(
                    new RowView(
                            row.title(),
                            row.evidence(),
                            row.items().stream()
                                    .map(
                                            item ->
                                                    new ItemView(
                                                            item.productId(),
                                                            item.title() == null
                                                                    ? item.productId()
                                                                    : item.title(),
                                                            item.reason(),
                                                            item.formattedPrice(),
                                                            item.url(),
                                                            item.url() == null
                                                                    || item.url().isBlank()))
                                    .toList()));
        }
        return rows;
    }

    /** The customer's rows of products as their email shows them, with titles, prices and URLs. */
    private RowsResponse rowsResponse(String tenantId, Campaign campaign, String customerId) {
        return details.rows(tenantId, campaigns.emailRows(tenantId, campaign.id(), customerId));
    }

    private static List<Action> actions(CampaignStatus status) {
        return switch (status) {
            case DRAFT -> List.of(new Action("launch", "Launch…"));
            case SCHEDULED ->
                    List.of(new Action("pause", "Pause…"), new Action("cancel", "Cancel…"));
            case PAUSED ->
                    List.of(new Action("resume", "Resume…"), new Action("cancel", "Cancel…"));
            default -> List.of();
        };
    }

    private Response form(
            DashboardSession session,
            int status,
            boolean creating,
            String campaignId,
            CampaignForm form,
            List<FieldError> errors) {
        String tenantId = session.tenantId();
        List<Option> dates =
                campaigns.calendarDates(tenantId).stream()
                        .map(
                                date ->
                                        new Option(
                                                date.name(),
                                                date.name() + " (" + date.date() + ")",
                                                date.name().equals(form.tenantDate())))
                        .toList();
        return pages.scriptedView(
                status,
                session,
                "studio-form",
                "campaigns",
                creating ? "New campaign" : "Edit " + form.name(),
                new FormView(
                        creating,
                        campaignId,
                        form,
                        !errors.isEmpty(),
                        errors,
                        capture.running(),
                        estimate(tenantId, campaignId, form),
                        options(
                                form.scheduleType(),
                                CampaignRequest.AT,
                                "On a date",
                                CampaignRequest.ANCHOR,
                                "Relative to a holiday or a date of ours",
                                CampaignRequest.REPEAT_DUE,
                                "When each customer's restock is due"),
                        options(
                                form.anchorKind(),
                                CampaignForm.HOLIDAY,
                                "An Islamic holiday",
                                CampaignForm.TENANT_DATE,
                                "One of our own dates",
                                CampaignForm.ANCHOR_DATE,
                                "A date"),
                        options(
                                form.holiday(),
                                "eid_al_fitr",
                                "Eid al-Fitr",
                                "eid_al_adha",
                                "Eid al-Adha",
                                "ramadan_start",
                                "Start of Ramadan",
                                "islamic_new_year",
                                "Islamic New Year"),
                        dates,
                        !dates.isEmpty(),
                        options(
                                form.latePolicy(),
                                CampaignRequest.LATE_SKIP,
                                "Skip it (default)",
                                CampaignRequest.LATE_NEXT_DAY,
                                "Same local time the next day",
                                CampaignRequest.LATE_SEND_NOW,
                                "Send it at launch"),
                        options(
                                form.sendTime(),
                                CampaignRequest.LOCAL_TIME,
                                "At the local time",
                                CampaignRequest.BEST_TIME,
                                "At each customer's best time")));
    }

    /**
     * Value–label pairs as options, the one equal to {@code chosen} (or else the first) selected.
     */
    private static List<Option> options(String chosen, String... valuesAndLabels) {
        boolean known = false;
        for (int i = 0; i < valuesAndLabels.length; i += 2) {
            known |= valuesAndLabels[i].equals(chosen);
        }
        List<Option> options = new java.util.ArrayList<>();
        for (int i = 0; i < valuesAndLabels.length; i += 2) {
            options.add(
                    new Option(
                            valuesAndLabels[i],
                            valuesAndLabels[i + 1],
                            known ? valuesAndLabels[i].equals(chosen) : i == 0));
        }
        return options;
    }

    /** The form's counts now, or what keeps it from being counted. */
    private StudioEstimate estimate(String tenantId, String campaignId, CampaignForm form) {
        try {
            CampaignRequest request = form.request();
            return StudioEstimate.of(
                    campaigns.estimate(tenantId, campaignId, request), request.schedule());
        } catch (NotFoundException e) {
            throw e;
        } catch (HilalException e) {
            return StudioEstimate.problems(errors(e));
        }
    }

    private static List<FieldError> errors(HilalException e) {
        return e.errors() == null || e.errors().isEmpty()
                ? List.of(new FieldError("campaign", e.detail()))
                : e.errors();
    }

    private static Response redirect(String campaignId) {
        return Pages.withHeaders(
                        Response.seeOther(
                                UriBuilder.fromPath("/dashboard/studio/{id}").build(campaignId)))
                .build();
    }

    private Response notFound(DashboardSession session, String campaignId) {
        return pages.notFound(session, "campaigns", "There is no campaign " + campaignId + ".");
    }

    private static String label(String action) {
        return Character.toUpperCase(action.charAt(0)) + action.substring(1);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
