package io.hilal.core.campaigns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.api.Cursors;
import io.hilal.core.api.Page;
import io.hilal.core.audit.OperatorLog;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.campaigns.sending.SendState;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.error.BadRequestException;
import io.hilal.core.error.Checks;
import io.hilal.core.error.ConflictException;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.error.ValidationException;
import io.hilal.core.lift.LiftStatistics;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.Rows;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Campaigns of a tenant: create and edit drafts, preview, launch (which plans the run into the send
 * ledger: every customer of the audience gets exactly one row, held-out ones as HELD_OUT), pause,
 * resume and cancel. Sending is the {@link CampaignSender}'s job; this class never sends.
 */
public final class CampaignService {
    static final String FIRST_RUN = "run_1";

    /** Sends planned by a launch are written this many at a time. */
    static final int LAUNCH_BATCH = 1000;

    /** The answer of a preview: audience figures and one rendered email. */
    public record Preview(
            int audienceSize,
            int holdoutSize,
            int treatedSize,
            double baselineRate,
            Double minimumDetectableLift,
            Double minimumDetectableRelativeLift,
            Instant firstSendAt,
            Email email,
            Lateness late,
            LiftOutlook lift,
            List<String> warnings) {}

    /**
     * Sends whose time had already passed when planned, and what the late policy did with them:
     * moved (to the next day, or now) or skipped.
     */
    public record Lateness(String policy, int passed, int moved, int skipped) {}

    /** A launched campaign and what its launch planned. */
    public record Launched(
            @com.fasterxml.jackson.annotation.JsonUnwrapped Campaign campaign,
            LaunchSummary launch) {}

    /** What a launch planned: sends, the holdout, and the slots that had passed. */
    public record LaunchSummary(int planned, int heldOut, Instant firstSendAt, Lateness late) {}

    /** A rendered email as the preview shows it. */
    public record Email(
            String customerId,
            boolean inAudience,
            boolean heldOut,
            Instant sendAt,
            String to,
            String from,
            String subject,
            String html,
            String text,
            Map<String, String> headers,
            String excludedBecause) {}

    /**
     * A campaign's sends of unknown fate that wait for a decision (resend or close), with the run
     * and the worker that was sending each group when it stopped.
     */
    public record UnknownFate(long sends, List<SendLedger.UnknownSends> groups) {}

    /** What a decision on a campaign's sends of unknown fate did: how many it resent or closed. */
    public record FateDecision(String decision, int sends, Campaign campaign) {}

    /**
     * What the studio shows while a draft is edited, before it is saved: the tenant's customers,
     * those matching the audience rules, those of them reachable (email address, consent, no
     * suppression, a send time; the program holdout's customers, {@code programHeld}, left out),
     * the holdout among them and what it can measure, and the dates the schedule resolves to. A
     * draft that is not saved yet has no holdout salt, so its holdout is the count a salt of its
     * own would give: about the share, not the exact customers.
     */
    public record Estimate(
            long customers,
            int matching,
            int reachable,
            int holdout,
            int treated,
            int programHeld,
            boolean holdoutExact,
            double baselineRate,
            Double minimumDetectableLift,
            Double minimumDetectableRelativeLift,
            LiftOutlook lift,
            LocalDate today,
            ScheduleDates dates,
            Instant firstSendAt,
            Lateness late) {}

    /** The ledger of a campaign: counts by state, overall and per run. */
    public record Ledger(Map<String, Long> counts, List<RunLedger> runs) {}

    /** One run in the ledger view. */
    public record RunLedger(
            String runId,
            String status,
            int audienceSize,
            int holdoutSize,
            Instant plannedAt,
            Instant firstSendAt,
            Instant lastValidAt,
            Instant finishedAt,
            Map<String, Long> counts) {}

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final TenantService tenants;
    private final LaunchPlanner planner;
    private final EmailComposer composer;
    private final SendLedger ledger;
    private final Function<String, RecommendationModel> models;
    private final LiftOutlook.Thresholds liftThresholds;

    public CampaignService(
            Jdbi jdbi,
            ObjectMapper mapper,
            Clock clock,
            TenantService tenants,
            EmailComposer composer,
            SendLedger ledger,
            Function<String, RecommendationModel> models) {
        this(
                jdbi,
                mapper,
                clock,
                tenants,
                composer,
                ledger,
                models,
                LiftOutlook.Thresholds.DEFAULT);
    }

    /** With the lift report's minimums per group, for the preview's lift outlook. */
    public CampaignService(
            Jdbi jdbi,
            ObjectMapper mapper,
            Clock clock,
            TenantService tenants,
            EmailComposer composer,
            SendLedger ledger,
            Function<String, RecommendationModel> models,
            LiftOutlook.Thresholds liftThresholds) {
        this.liftThresholds = liftThresholds;
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
        this.tenants = tenants;
        this.planner = new LaunchPlanner(jdbi, clock, new AudienceService(jdbi), models);
        this.composer = composer;
        this.ledger = ledger;
        this.models = models;
    }

    public Campaign create(String tenantId, CampaignRequest request) {
        CampaignRequest definition = validated(request);
        Instant now = clock.instant();
        String campaignId = "cmp_" + randomHex(12);
        now = now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        CampaignDao.CampaignRow row =
                new CampaignDao.CampaignRow(
                        tenantId,
                        campaignId,
                        definition.name(),
                        CampaignStatus.DRAFT.wireName(),
                        definition.holdoutShare(),
                        randomHex(16),
                        json(definition),
                        now,
                        now,
                        null);
        jdbi.useExtension(CampaignDao.class, dao -> dao.insert(row));
        return campaign(row);
    }

    public Campaign update(String tenantId, String campaignId, CampaignRequest request) {
        get(tenantId, campaignId);
        CampaignRequest definition = validated(request);
        int updated =
                jdbi.withExtension(
                        CampaignDao.class,
                        dao ->
                                dao.updateDraft(
                                        tenantId,
                                        campaignId,
                                        definition.name(),
                                        definition.holdoutShare(),
                                        json(definition),
                                        clock.instant()));
        if (updated == 0) {
            throw notDraft(campaignId);
        }
        return get(tenantId, campaignId);
    }

    public Campaign get(String tenantId, String campaignId) {
        return campaign(row(tenantId, campaignId));
    }

    /**
     * Answers as for an unknown campaign when {@code id} names one of the tenant's journeys: a
     * journey's row shares the campaigns table (its ledger, sender and lift read it), but the
     * campaigns API answers for campaigns only, and a journey changes through the journeys API.
     */
    public void requireNotJourney(String tenantId, String id) {
        Optional<String> kind =
                jdbi.withExtension(CampaignDao.class, dao -> dao.kind(tenantId, id));
        if (kind.filter("journey"::equals).isPresent()) {
            throw new NotFoundException("campaign", id);
        }
    }

    public Page<Campaign> page(String tenantId, String status, String cursor, int limit) {
        if (status != null && CampaignStatus.fromWireName(status).isEmpty()) {
            throw new BadRequestException(
                    "invalid_parameter",
                    "status must be draft, scheduled, paused, completed or cancelled");
        }
        Instant afterCreated = null;
        String afterId = null;
        if (cursor != null && !cursor.isEmpty()) {
            List<String> parts = Cursors.decode(cursor, 2);
            try {
                afterCreated = Instant.parse(parts.get(0));
            } catch (java.time.format.DateTimeParseException e) {
                throw Cursors.invalid();
            }
            afterId = parts.get(1);
        }
        Instant created = afterCreated;
        String id = afterId;
        List<CampaignDao.CampaignRow> rows =
                jdbi.withExtension(
                        CampaignDao.class,
                        dao -> dao.page(tenantId, status, created, id, limit + 1));
        List<Campaign> items = new ArrayList<>();
        for (CampaignDao.CampaignRow row : rows.subList(0, Math.min(limit, rows.size()))) {
            items.add(campaign(row));
        }
        String next = null;
        if (rows.size() > limit) {
            Campaign last = items.get(items.size() - 1);
            next = Cursors.encode(last.createdAt().toString(), last.id());
        }
        return new Page<>(items, next);
    }

    /**
     * Plans the first run: finds the audience, splits off the holdout, resolves each customer's
     * send time and validity, and writes one ledger row per customer, all in one transaction with
     * the status change, so a launch happens entirely or not at all. The campaign is locked while
     * it plans, so the definition planned is the one launched; the audience is streamed and its
     * sends written as they are planned, {@link #LAUNCH_BATCH} at a time, so the heap a launch
     * needs does not grow with the audience.
     */
    public Campaign launch(String tenantId, String campaignId) {
        return launchPlanned(tenantId, campaignId).campaign();
    }

    /** {@link #launch}, saying what it planned: sends, holdout and the slots that had passed. */
    public Launched launchPlanned(String tenantId, String campaignId) {
        requireDraft(get(tenantId, campaignId));
        if (senderIdentity(tenantId) == null) {
            throw new ConflictException(
                    "sender_identity_missing",
                    "Set the tenant's sender identity (PUT /v1/sender-identity) with a postal"
                            + " address before launching");
        }
        SendLedger.Run run = new SendLedger.Run(tenantId, campaignId, FIRST_RUN);
        Instant now = clock.instant();
        // Opened, not borrowed from the thread: the audience is read on a connection of its own
        // (jdbi.useHandle below this one opens it) while this one writes.
        LaunchSummary summary;
        try (Handle writing = jdbi.open()) {
            summary =
                    writing.inTransaction(
                            handle -> {
                                CampaignDao dao = handle.attach(CampaignDao.class);
                                CampaignDao.CampaignRow locked =
                                        dao.lock(tenantId, campaignId)
                                                .orElseThrow(
                                                        () ->
                                                                new NotFoundException(
                                                                        "campaign", campaignId));
                                if (!CampaignStatus.DRAFT.wireName().equals(locked.status())) {
                                    throw notDraft(campaignId);
                                }
                                return planInto(handle, run, campaign(locked), locked.salt(), now);
                            });
        }
        OperatorLog.action("campaign.launched", tenantId, "campaign " + campaignId);
        return new Launched(get(tenantId, campaignId), summary);
    }

    /**
     * In the launch's transaction on {@code handle}: plans the run, writing its sends as they come,
     * then its run row and the status change.
     */
    private LaunchSummary planInto(
            Handle handle, SendLedger.Run run, Campaign campaign, String salt, Instant now) {
        SendLedger.InTransaction ledgerIn = ledger.in(handle);
        List<PlannedSend> batch = new ArrayList<>(LAUNCH_BATCH);
        int[] goingOut = {0};
        LaunchPlanner.Plan plan =
                plan(
                        run.tenantId(),
                        campaign,
                        salt,
                        false,
                        send -> {
                            goingOut[0] +=
                                    !send.heldOut() && send.validUntil().isAfter(now) ? 1 : 0;
                            batch.add(send);
                            if (batch.size() == LAUNCH_BATCH) {
                                ledgerIn.planLaunch(run, batch, now);
                                batch.clear();
                            }
                        });
        ledgerIn.planLaunch(run, batch, now);
        boolean nothing = plan.sends() == 0;
        CampaignDao dao = handle.attach(CampaignDao.class);
        dao.insertRun(
                new CampaignDao.RunRow(
                        run.tenantId(),
                        run.campaignId(),
                        run.runId(),
                        nothing ? "completed" : "active",
                        plan.sends(),
                        plan.holdoutSize(),
                        now,
                        plan.firstSendAt(),
                        plan.lastValidAt(),
                        nothing ? now : null));
        dao.transition(
                run.tenantId(),
                run.campaignId(),
                CampaignStatus.DRAFT.wireName(),
                CampaignStatus.SCHEDULED.wireName(),
                now);
        if (nothing) {
            dao.transition(
                    run.tenantId(),
                    run.campaignId(),
                    CampaignStatus.SCHEDULED.wireName(),
                    CampaignStatus.COMPLETED.wireName(),
                    now);
        }
        return new LaunchSummary(goingOut[0], plan.holdoutSize(), plan.firstSendAt(), plan.late());
    }

    private static void requireDraft(Campaign campaign) {
        if (campaign.status() != CampaignStatus.DRAFT) {
            throw new ConflictException(
                    "campaign_not_draft",
                    "Campaign "
                            + campaign.id()
                            + " is "
                            + campaign.status().wireName()
                            + "; only a draft can be launched");
        }
    }

    public Campaign pause(String tenantId, String campaignId) {
        Campaign paused =
                move(tenantId, campaignId, CampaignStatus.SCHEDULED, CampaignStatus.PAUSED);
        OperatorLog.action("campaign.paused", tenantId, "campaign " + campaignId);
        return paused;
    }

    public Campaign resume(String tenantId, String campaignId) {
        Campaign resumed =
                move(tenantId, campaignId, CampaignStatus.PAUSED, CampaignStatus.SCHEDULED);
        OperatorLog.action("campaign.resumed", tenantId, "campaign " + campaignId);
        return resumed;
    }

    /** Cancels a campaign; sends not yet made expire (sends in flight finish). */
    public Campaign cancel(String tenantId, String campaignId) {
        Campaign campaign = get(tenantId, campaignId);
        if (campaign.status() == CampaignStatus.COMPLETED
                || campaign.status() == CampaignStatus.CANCELLED) {
            throw new ConflictException(
                    "invalid_transition",
                    "Campaign " + campaignId + " is already " + campaign.status().wireName());
        }
        Instant now = clock.instant();
        jdbi.useTransaction(
                handle -> {
                    CampaignDao dao = handle.attach(CampaignDao.class);
                    if (dao.transition(
                                    tenantId,
                                    campaignId,
                                    campaign.status().wireName(),
                                    CampaignStatus.CANCELLED.wireName(),
                                    now)
                            == 0) {
                        throw new ConflictException(
                                "concurrent_change",
                                "Campaign " + campaignId + " changed meanwhile; try again");
                    }
                    ledger.in(handle).expireUnsent(tenantId, campaignId, now);
                    for (CampaignDao.RunRow run : dao.runs(tenantId, campaignId)) {
                        dao.finishRun(tenantId, campaignId, run.runId(), "cancelled", now);
                    }
                });
        OperatorLog.action("campaign.cancelled", tenantId, "campaign " + campaignId);
        return get(tenantId, campaignId);
    }

    /** The campaign's sends of unknown fate after a crash that nobody decided on yet. */
    public UnknownFate unknownFate(String tenantId, String campaignId) {
        row(tenantId, campaignId);
        List<SendLedger.UnknownSends> groups = ledger.undecidedUnknown(tenantId, campaignId);
        return new UnknownFate(
                groups.stream().mapToLong(SendLedger.UnknownSends::sends).sum(), groups);
    }

    /**
     * The marketer's decision to send the campaign's sends of unknown fate again: they become
     * PLANNED and due now, their runs active again, and a completed campaign scheduled again until
     * they are sent. A customer whose first copy did reach the relay gets a second one (with the
     * same Message-ID): that is the decision's price. A cancelled campaign sends nothing; its
     * unknown sends can only be closed.
     */
    public FateDecision resendUnknown(String tenantId, String campaignId) {
        Instant now = clock.instant();
        int resent =
                jdbi.inTransaction(
                        handle -> {
                            CampaignDao dao = handle.attach(CampaignDao.class);
                            CampaignDao.CampaignRow locked = locked(dao, tenantId, campaignId);
                            SendLedger.InTransaction sends = ledger.in(handle);
                            List<String> runs =
                                    sends.runsWithUndecidedUnknown(tenantId, campaignId);
                            if (runs.isEmpty()) {
                                return 0;
                            }
                            if (CampaignStatus.CANCELLED.wireName().equals(locked.status())) {
                                throw new ConflictException(
                                        "campaign_cancelled",
                                        "Campaign "
                                                + campaignId
                                                + " is cancelled and sends nothing more; its"
                                                + " sends of unknown fate can only be closed");
                            }
                            int count = sends.resendUnknown(tenantId, campaignId, now);
                            for (String runId : runs) {
                                dao.reopenRun(tenantId, campaignId, runId);
                            }
                            dao.transition(
                                    tenantId,
                                    campaignId,
                                    CampaignStatus.COMPLETED.wireName(),
                                    CampaignStatus.SCHEDULED.wireName(),
                                    now);
                            return count;
                        });
        return new FateDecision("resend", resent, get(tenantId, campaignId));
    }

    /**
     * The marketer's decision to leave the campaign's sends of unknown fate unsent: they stay
     * UNKNOWN_INFLIGHT (they may have gone out), and the campaign stops asking.
     */
    public FateDecision closeUnknown(String tenantId, String campaignId) {
        Instant now = clock.instant();
        int closed =
                jdbi.inTransaction(
                        handle -> {
                            locked(handle.attach(CampaignDao.class), tenantId, campaignId);
                            return ledger.in(handle).closeUnknown(tenantId, campaignId, now);
                        });
        return new FateDecision("close", closed, get(tenantId, campaignId));
    }

    /**
     * Completes {@code run} when none of its sends is left to make, and the campaign with its last
     * run; true when the run completed. Under the campaign's lock, as a decision to resend unknown
     * sends takes it, so a run never completes with sends just given back to it.
     */
    public boolean finishRunIfDone(SendLedger.Run run) {
        Instant now = clock.instant();
        return jdbi.inTransaction(
                handle -> {
                    CampaignDao dao = handle.attach(CampaignDao.class);
                    if (dao.lock(run.tenantId(), run.campaignId()).isEmpty()) {
                        return false;
                    }
                    long left = ledger.in(handle).unfinished(run);
                    if (left > 0) {
                        return false;
                    }
                    dao.finishRun(run.tenantId(), run.campaignId(), run.runId(), "completed", now);
                    boolean allDone =
                            dao.runs(run.tenantId(), run.campaignId()).stream()
                                    .allMatch(r -> !"active".equals(r.status()));
                    if (allDone) {
                        dao.complete(run.tenantId(), run.campaignId(), now);
                    }
                    return true;
                });
    }

    private static CampaignDao.CampaignRow locked(
            CampaignDao dao, String tenantId, String campaignId) {
        return dao.lock(tenantId, campaignId)
                .orElseThrow(() -> new NotFoundException("campaign", campaignId));
    }

    private Campaign move(
            String tenantId, String campaignId, CampaignStatus from, CampaignStatus to) {
        Campaign campaign = get(tenantId, campaignId);
        int moved =
                jdbi.withExtension(
                        CampaignDao.class,
                        dao ->
                                dao.transition(
                                        tenantId,
                                        campaignId,
                                        from.wireName(),
                                        to.wireName(),
                                        clock.instant()));
        if (moved == 0) {
            throw new ConflictException(
                    "invalid_transition",
                    "Campaign "
                            + campaignId
                            + " is "
                            + campaign.status().wireName()
                            + "; it must be "
                            + from.wireName()
                            + " to become "
                            + to.wireName());
        }
        return get(tenantId, campaignId);
    }

    /**
     * Audience and holdout sizes, the minimum detectable lift at that size, and the email one
     * customer would get (the first of the audience when none is named), with the Message-ID the
     * first run will give it. Its links are a test send's: they answer, but unsubscribe, turn down
     * and count nothing, so a preview opened, forwarded or scanned never acts on the customer it
     * shows nor counts in the campaign's results.
     */
    public Preview preview(String tenantId, String campaignId, String customerId) {
        return preview(tenantId, campaignId, customerId, FIRST_RUN);
    }

    /**
     * The rows of products the campaign's email shows the customer, as the preview and the sends
     * compose it (not the rows API's: an email is composed without the personal model).
     */
    public Rows emailRows(String tenantId, String campaignId, String customerId) {
        return composer.rows(
                get(tenantId, campaignId), models.apply(tenantId), tenantId, customerId);
    }

    /** As {@link #preview}, for a test send: its Message-ID is a test send's too. */
    public Preview previewForTestSend(String tenantId, String campaignId, String customerId) {
        return preview(tenantId, campaignId, customerId, MailLinks.TEST_SEND_RUN);
    }

    /** {@code messageRun}: the run whose Message-ID the email carries. */
    private Preview preview(
            String tenantId, String campaignId, String customerId, String messageRun) {
        CampaignDao.CampaignRow row = row(tenantId, campaignId);
        Campaign campaign = campaign(row);
        Counted counted = new Counted(recentBuyers(tenantId), customerId);
        LaunchPlanner.Plan plan = plan(tenantId, campaign, row.salt(), false, counted);
        int audience = plan.sends();
        int holdout = plan.holdoutSize();
        int treated = audience - holdout;
        double baseline = counted.baselineRate();
        Double mde = minimumDetectableLift(baseline, treated, holdout);
        Double relative = mde == null ? null : mde / clampedRate(baseline);
        Email email = null;
        if (counted.shown() != null) {
            email =
                    previewEmail(
                            tenantId,
                            campaign,
                            row.salt(),
                            counted.shown(),
                            counted.shownSend(),
                            plan.late(),
                            messageRun);
        }
        LiftOutlook lift = LiftOutlook.of(audience, holdout, baseline, liftThresholds);
        List<String> warnings = new ArrayList<>();
        Lateness late = plan.late();
        if (late.passed() > 0) {
            warnings.add(lateWarning(late, audience, plan.earliestSlot()));
        }
        if (!lift.canAnswer()) {
            warnings.add(lift.note());
        }
        return new Preview(
                audience,
                holdout,
                treated,
                baseline,
                mde,
                relative,
                plan.firstSendAt(),
                email,
                late,
                lift,
                warnings);
    }

    /**
     * The studio's counts for a definition as the form holds it, saved or not; the name and offer
     * are not needed. {@code campaignId} names the draft being edited (its holdout salt makes the
     * holdout exact), or is null for a new one.
     */
    public Estimate estimate(String tenantId, String campaignId, CampaignRequest request) {
        if (request == null) {
            throw new ValidationException("", "a campaign object is required");
        }
        CampaignRequest counted =
                validated(
                        new CampaignRequest(
                                "estimate",
                                request.audience(),
                                request.holdoutShare(),
                                new CampaignRequest.Offer(
                                        "estimate", "estimate", "estimate", null, null),
                                request.schedule(),
                                request.limits()));
        String salt = campaignId == null ? "estimate" : row(tenantId, campaignId).salt();
        Campaign campaign =
                new Campaign(
                        campaignId == null ? "estimate" : campaignId,
                        counted.name(),
                        CampaignStatus.DRAFT,
                        counted.holdoutShare(),
                        counted.audience(),
                        counted.offer(),
                        counted.schedule(),
                        counted.limits(),
                        null,
                        null,
                        null);
        LocalDate today = today(tenantId);
        Counted sends = new Counted(recentBuyers(tenantId), null);
        LaunchPlanner.Plan plan = plan(tenantId, campaign, salt, true, sends);
        int reachable = plan.sends();
        // A draft's salt picks its holdout's customers; a campaign not saved yet has none, so its
        // holdout is the share's count, not the customers a stand-in salt would pick (3 of 10% of
        // 3 could come out as 2).
        int holdout =
                campaignId == null
                        ? (int) Math.round(reachable * counted.holdoutShare())
                        : plan.holdoutSize();
        double baseline = sends.baselineRate();
        Double mde = minimumDetectableLift(baseline, reachable - holdout, holdout);
        long customers =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT COUNT(*) FROM customers WHERE tenant_id ="
                                                        + " :tenantId")
                                        .bind("tenantId", tenantId)
                                        .mapTo(Long.class)
                                        .one());
        return new Estimate(
                customers,
                plan.matching(),
                reachable,
                holdout,
                reachable - holdout,
                plan.programHeld(),
                campaignId != null,
                baseline,
                mde,
                mde == null ? null : mde / clampedRate(baseline),
                LiftOutlook.of(reachable, holdout, baseline, liftThresholds),
                today,
                ScheduleDates.of(counted.schedule(), today, tenantDates(tenantId)),
                plan.firstSendAt(),
                plan.late());
    }

    /** The smallest lift in repeat-purchase rate the groups can detect, or null (too small). */
    private static Double minimumDetectableLift(double baseline, int treated, int holdout) {
        if (treated < 2 || holdout < 2) { // fewer: no variance to speak of
            return null;
        }
        return LiftStatistics.minimumDetectableEffect(
                clampedRate(baseline), treated, holdout, 0.05, 0.8);
    }

    private static double clampedRate(double baseline) {
        return Math.min(0.99, Math.max(0.01, baseline));
    }

    private LocalDate today(String tenantId) {
        return LocalDate.ofInstant(clock.instant(), tenantZone(tenantId));
    }

    private ZoneId tenantZone(String tenantId) {
        Tenant tenant =
                tenants.findTenant(tenantId)
                        .orElseThrow(() -> new NotFoundException("tenant", tenantId));
        return ZoneId.of(tenant.timeZone());
    }

    private Map<String, LocalDate> tenantDates(String tenantId) {
        Map<String, LocalDate> dates = new HashMap<>();
        for (CampaignDao.CalendarDate date : calendarDates(tenantId)) {
            dates.put(date.name(), date.date());
        }
        return dates;
    }

    /** "The first send time has passed" in a sentence: how many, since when, and what happens. */
    static String lateWarning(Lateness late, int audience, Instant earliest) {
        String what =
                switch (late.policy()) {
                    case CampaignRequest.LATE_SEND_NOW -> late.moved() + " would go out at launch";
                    case CampaignRequest.LATE_NEXT_DAY ->
                            late.moved() + " would go out at the same local time the next day";
                    default -> "those customers would get nothing";
                };
        String dropped =
                late.moved() > 0 && late.skipped() > 0
                        ? ", " + late.skipped() + " not at all (their offer would have ended)"
                        : "";
        return late.passed()
                + " of "
                + audience
                + " send times have already passed (the first was "
                + earliest
                + "; late policy "
                + late.policy()
                + "): "
                + what
                + dropped
                + ".";
    }

    private Email previewEmail(
            String tenantId,
            Campaign campaign,
            String salt,
            String customerId,
            PlannedSend planned,
            Lateness late,
            String messageRun) {
        CustomerDao.CustomerRow customer =
                jdbi.withExtension(CustomerDao.class, dao -> dao.find(tenantId, customerId))
                        .orElseThrow(() -> new NotFoundException("customer", customerId));
        SenderIdentity sender = senderIdentity(tenantId);
        if (sender == null) {
            sender =
                    new SenderIdentity(
                            "offers@example.invalid",
                            "(sender identity not set)",
                            null,
                            "(postal address not set)",
                            null,
                            null);
        }
        SendLedger.Run run = new SendLedger.Run(tenantId, campaign.id(), messageRun);
        OfferRenderer.RenderedEmail rendered =
                composer.compose(
                        campaign,
                        OfferRenderer.compile(campaign.offer()),
                        models.apply(tenantId),
                        // A preview's links never act: see preview().
                        new MailLinks.Recipient(
                                tenantId, campaign.id(), MailLinks.TEST_SEND_RUN, customerId),
                        customer.email() == null ? "" : customer.email(),
                        sender,
                        ledger.messageId(run, customerId),
                        new HashMap<>());
        return new Email(
                customerId,
                planned != null,
                new Holdout(salt, campaign.holdoutShare()).heldOut(customerId),
                planned == null ? null : planned.sendAt(),
                rendered.to(),
                rendered.from(),
                rendered.subject(),
                rendered.html(),
                rendered.text(),
                rendered.headers(),
                planned != null ? null : exclusion(tenantId, customer, late));
    }

    /** Why a customer is not in a campaign's audience, in a sentence. */
    private String exclusion(String tenantId, CustomerDao.CustomerRow customer, Lateness late) {
        if (customer.email() == null || customer.email().isBlank()) {
            return "no email address";
        }
        if (!"granted".equals(customer.emailConsent())) {
            return "email consent is "
                    + (customer.emailConsent() == null ? "unknown" : customer.emailConsent());
        }
        Optional<SuppressionDao.Suppression> suppressed =
                jdbi.withExtension(
                        SuppressionDao.class, dao -> dao.find(tenantId, customer.email()));
        if (suppressed.isPresent()) {
            return "the address is on the suppression list ("
                    + suppressed.get().reason()
                    + " since "
                    + suppressed.get().createdAt()
                    + ")";
        }
        return "does not match the audience rules"
                + (late.skipped() > 0
                        ? ", or their send time had passed (late policy " + late.policy() + ")"
                        : "");
    }

    /** Share of the audience that ordered in the 30 days before now: the lift's baseline. */
    /**
     * A plan's sends as a preview or the studio's estimate sees them, counted as they are planned,
     * none kept: how many of them bought in the last 30 days (the repeat-purchase baseline), the
     * first one not held out and the first of all (whom a preview shows when no one is named), and
     * a named customer's send.
     */
    private static final class Counted implements Consumer<PlannedSend> {
        private final Set<String> recentBuyers;
        private final String named;
        private long sends;
        private long recent;
        private PlannedSend first;
        private PlannedSend firstTreated;
        private PlannedSend namedSend;

        Counted(Set<String> recentBuyers, String named) {
            this.recentBuyers = recentBuyers;
            this.named = named;
        }

        @Override
        public void accept(PlannedSend send) {
            sends++;
            recent += recentBuyers.contains(send.customerId()) ? 1 : 0;
            first = first == null ? send : first;
            firstTreated = firstTreated == null && !send.heldOut() ? send : firstTreated;
            namedSend = send.customerId().equals(named) ? send : namedSend;
        }

        /** The share of the sends whose customer bought in the last 30 days. */
        double baselineRate() {
            return sends == 0 ? 0 : (double) recent / sends;
        }

        /** The customer a preview shows: the named one, else the first not held out, else any. */
        String shown() {
            if (named != null) {
                return named;
            }
            PlannedSend shown = firstTreated != null ? firstTreated : first;
            return shown == null ? null : shown.customerId();
        }

        /** The shown customer's send, or null when they are not in the audience. */
        PlannedSend shownSend() {
            return named != null ? namedSend : firstTreated != null ? firstTreated : first;
        }
    }

    /** The tenant's customers who bought in the last 30 days (the baseline's numerator). */
    private Set<String> recentBuyers(String tenantId) {
        Instant now = clock.instant();
        return new HashSet<>(
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT DISTINCT customer_id FROM order_lines"
                                                        + " WHERE tenant_id = :tenantId"
                                                        + " AND occurred_at > :from"
                                                        + " AND occurred_at <= :to"
                                                        + " AND quantity > 0")
                                        .bind("tenantId", tenantId)
                                        .bind("from", now.minus(Duration.ofDays(30)))
                                        .bind("to", now)
                                        .mapTo(String.class)
                                        .list()));
    }

    /**
     * Plans the campaign's first run, handing each send to {@code sends} (see {@link
     * LaunchPlanner}).
     */
    private LaunchPlanner.Plan plan(
            String tenantId,
            Campaign campaign,
            String salt,
            boolean countUnreachable,
            Consumer<PlannedSend> sends) {
        return planner.plan(
                tenantId,
                tenantZone(tenantId),
                tenantDates(tenantId),
                campaign,
                salt,
                countUnreachable,
                sends);
    }

    public Ledger ledger(String tenantId, String campaignId) {
        row(tenantId, campaignId);
        Map<String, Long> total = new TreeMap<>();
        List<RunLedger> runs = new ArrayList<>();
        for (CampaignDao.RunRow run :
                jdbi.withExtension(CampaignDao.class, dao -> dao.runs(tenantId, campaignId))) {
            Map<String, Long> counts =
                    new TreeMap<>(
                            ledger.counts(new SendLedger.Run(tenantId, campaignId, run.runId())));
            counts.forEach((state, count) -> total.merge(state, count, Long::sum));
            runs.add(
                    new RunLedger(
                            run.runId(),
                            run.status(),
                            run.audienceSize(),
                            run.holdoutSize(),
                            run.plannedAt(),
                            run.firstSendAt(),
                            run.lastValidAt(),
                            run.finishedAt(),
                            counts));
        }
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (SendState state : SendState.values()) {
            ordered.put(state.name(), total.getOrDefault(state.name(), 0L));
        }
        return new Ledger(ordered, runs);
    }

    public Page<CampaignDao.SendRow> sends(
            String tenantId, String campaignId, String state, String cursor, int limit) {
        row(tenantId, campaignId);
        if (state != null) {
            try {
                SendState.valueOf(state);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(
                        "invalid_parameter", "state must be one of " + List.of(SendState.values()));
            }
        }
        String afterRun = null;
        String afterCustomer = null;
        if (cursor != null && !cursor.isEmpty()) {
            List<String> parts = Cursors.decode(cursor, 2);
            afterRun = parts.get(0);
            afterCustomer = parts.get(1);
        }
        String run = afterRun;
        String customer = afterCustomer;
        List<CampaignDao.SendRow> rows =
                jdbi.withExtension(
                        CampaignDao.class,
                        dao -> dao.sends(tenantId, campaignId, state, run, customer, limit + 1));
        List<CampaignDao.SendRow> items = rows.subList(0, Math.min(limit, rows.size()));
        String next = null;
        if (rows.size() > limit) {
            CampaignDao.SendRow last = items.get(items.size() - 1);
            next = Cursors.encode(last.runId(), last.customerId());
        }
        return new Page<>(List.copyOf(items), next);
    }

    public SenderIdentity senderIdentity(String tenantId) {
        return jdbi.withExtension(CampaignDao.class, dao -> dao.senderIdentity(tenantId))
                .orElse(null);
    }

    public SenderIdentity putSenderIdentity(String tenantId, SenderIdentity identity) {
        if (identity == null) {
            throw new ValidationException("", "a sender identity object is required");
        }
        identity.validate().throwIfAny();
        SenderIdentity stored =
                new SenderIdentity(
                        identity.fromAddress(),
                        identity.fromName(),
                        identity.replyTo(),
                        identity.postalAddress(),
                        identity.websiteUrl(),
                        clock.instant());
        jdbi.useExtension(CampaignDao.class, dao -> dao.putSenderIdentity(tenantId, stored));
        return senderIdentity(tenantId);
    }

    public List<CampaignDao.CalendarDate> calendarDates(String tenantId) {
        return jdbi.withExtension(CampaignDao.class, dao -> dao.calendarDates(tenantId));
    }

    public CampaignDao.CalendarDate putCalendarDate(String tenantId, String name, LocalDate date) {
        Checks checks = new Checks().required("date", date);
        if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            checks.fail("name", "must be 1 to 64 of a-z, 0-9, '-' and '_'");
        }
        checks.throwIfAny();
        jdbi.useExtension(
                CampaignDao.class,
                dao -> dao.putCalendarDate(tenantId, name, date, clock.instant()));
        return new CampaignDao.CalendarDate(name, date);
    }

    public void deleteCalendarDate(String tenantId, String name) {
        if (jdbi.withExtension(CampaignDao.class, dao -> dao.deleteCalendarDate(tenantId, name))
                == 0) {
            throw new NotFoundException("calendar date", name);
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return java.util.HexFormat.of().formatHex(random);
    }

    private CampaignRequest validated(CampaignRequest request) {
        if (request == null) {
            throw new ValidationException("", "a campaign object is required");
        }
        request.validate().throwIfAny();
        return request.withDefaults();
    }

    private CampaignDao.CampaignRow row(String tenantId, String campaignId) {
        return jdbi.withExtension(CampaignDao.class, dao -> dao.find(tenantId, campaignId))
                .orElseThrow(() -> new NotFoundException("campaign", campaignId));
    }

    private static ConflictException notDraft(String campaignId) {
        return new ConflictException(
                "campaign_not_draft", "Campaign " + campaignId + " is no longer a draft");
    }

    private String json(CampaignRequest definition) {
        try {
            return mapper.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a campaign definition is always writable", e);
        }
    }

    Campaign campaign(CampaignDao.CampaignRow row) {
        CampaignRequest definition;
        try {
            definition = mapper.readValue(row.definition(), CampaignRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "stored campaign " + row.campaignId() + " unreadable", e);
        }
        return new Campaign(
                row.campaignId(),
                row.name(),
                CampaignStatus.fromWireName(row.status()).orElseThrow(),
                row.holdoutShare(),
                definition.audience(),
                definition.offer(),
                definition.schedule(),
                definition.limits(),
                row.createdAt(),
                row.updatedAt(),
                row.launchedAt());
    }

    /** Used by the sender: the stored campaign and its holdout salt. */
    Campaign find(Handle handle, String tenantId, String campaignId) {
        return handle.attach(CampaignDao.class)
                .find(tenantId, campaignId)
                .map(this::campaign)
                .orElse(null);
    }
}
