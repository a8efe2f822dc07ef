package io.hilal.core.lift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.error.BadRequestException;
import io.hilal.core.pods.PodScopes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Computes, stores and serves campaigns' lift reports from the send ledger alone: the arms come
 * from {@code campaign_sends} (HELD_OUT is the holdout, every other state is treated:
 * intention-to-treat), the outcomes from {@code order_lines} in each customer's window after their
 * planned send, and the CUPED covariates from the same customer's pre-period. Each computation is
 * stored, so the daily recomputation while a window is open gives the lift over time.
 *
 * <p>Peeking: a report computed while any customer's window is still open is INTERIM and shows
 * always-valid intervals (a confidence sequence at 1% of the 5% error); the report computed after
 * every window closed is FINAL and shows the fixed-horizon interval at the remaining 4% (see {@link
 * Look}). A FINAL report is recomputed when purchases for its window arrive, or the ledger changes,
 * within {@code lateDataDays} after it closed; a report viewed when older than {@code staleAfter}
 * is recomputed first if it can still change, and so is one computed before the first send time
 * once that time has passed (at most {@link #MAX_VIEW_RECOMPUTES} at a time per instance, otherwise
 * the stored one is served with its computation time).
 */
public final class LiftReportService {
    private static final Logger LOG = LoggerFactory.getLogger(LiftReportService.class);

    /** View-time recomputations running at once per instance; beyond, the stored one is served. */
    public static final int MAX_VIEW_RECOMPUTES = 2;

    static final String HELD_OUT = "HELD_OUT";

    /** Settings of the reports (see {@link LiftReportFactory} for the configuration keys). */
    public record Options(
            List<Integer> windows,
            int defaultWindowDays,
            int maxWindowDays,
            int preDays,
            LiftAnalysis.Settings analysis,
            double sampleRatioThreshold,
            int lateDataDays,
            Duration staleAfter) {
        public Options {
            windows = List.copyOf(windows);
        }

        public static Options defaults() {
            return new Options(
                    List.of(30, 60, 90),
                    30,
                    365,
                    180,
                    LiftAnalysis.Settings.defaults(),
                    0.001,
                    7,
                    Duration.ofHours(1));
        }
    }

    /** The holdout share a campaign was planned with, and where that number comes from. */
    public record ExpectedShare(double share, String source) {}

    /**
     * Looks up a campaign's planned holdout share for the sample-ratio check. The ledger does not
     * record it; the campaigns table does ({@link LiftReportFactory#build} looks there first).
     */
    @FunctionalInterface
    public interface HoldoutShares {
        Optional<ExpectedShare> expected(String tenantId, String campaignId);
    }

    /** The latest report of every campaign and window of a tenant, with their history. */
    public record Overview(List<Item> items) {
        /** One campaign and window: its newest report's headline and every earlier one. */
        public record Item(
                String campaignId, int windowDays, LiftSummary latest, List<LiftSummary> history) {}
    }

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Options options;
    private final HoldoutShares holdoutShares;
    private final java.util.concurrent.Semaphore viewRecomputes =
            new java.util.concurrent.Semaphore(MAX_VIEW_RECOMPUTES);

    public LiftReportService(
            Jdbi jdbi,
            ObjectMapper mapper,
            Clock clock,
            Options options,
            HoldoutShares holdoutShares) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
        this.options = options;
        this.holdoutShares = holdoutShares;
    }

    public Options options() {
        return options;
    }

    /**
     * A window length from a request parameter: whole days from 1 to the configured maximum; the
     * default when absent. Anything else is a 400 {@code invalid_parameter}.
     */
    public int windowDays(String text) {
        if (text == null || text.isEmpty()) {
            return options.defaultWindowDays();
        }
        int days;
        try {
            days = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequestException(
                    "invalid_parameter",
                    "window must be a whole number of days, was '" + text + "'");
        }
        if (days < 1 || days > options.maxWindowDays()) {
            throw new BadRequestException(
                    "invalid_parameter",
                    "window must be between 1 and "
                            + options.maxWindowDays()
                            + " days, was "
                            + days);
        }
        return days;
    }

    /**
     * The newest stored report as JSON, computing and storing one if there is none yet, or if the
     * stored one is older than {@code staleAfter} and could have changed since (bounded: when
     * {@link #MAX_VIEW_RECOMPUTES} recomputations already run, the stored one is served; it says
     * when it was computed).
     */
    public String latestOrCompute(String tenantId, String campaignId, int windowDays) {
        LiftReportDao dao = jdbi.onDemand(LiftReportDao.class);
        Optional<String> stored = dao.latestReport(tenantId, campaignId, windowDays);
        if (stored.isEmpty()) {
            return toJson(compute(tenantId, campaignId, windowDays));
        }
        Optional<LiftReportDao.Latest> latest = dao.latest(tenantId, campaignId, windowDays);
        Instant now = clock.instant();
        if (latest.isPresent()
                && (sendsBeganSince(latest.get(), now)
                        || latest.get().computedAt().plus(options.staleAfter()).isBefore(now)
                                && mayHaveChanged(dao, tenantId, campaignId, latest.get(), now))
                && viewRecomputes.tryAcquire()) {
            try {
                return toJson(compute(tenantId, campaignId, windowDays));
            } finally {
                viewRecomputes.release();
            }
        }
        return stored.get();
    }

    /**
     * Whether the stored report was computed before the campaign's first send time, which has
     * passed since: it counts no one yet (a campaign page opened at launch stores such a report),
     * so it is recomputed at its next view, not an hour later.
     */
    private static boolean sendsBeganSince(LiftReportDao.Latest latest, Instant now) {
        return latest.firstSendAt() != null
                && latest.computedAt().isBefore(latest.firstSendAt())
                && !now.isBefore(latest.firstSendAt());
    }

    /**
     * Whether a stored report could differ if computed now: an interim one always can; a final one
     * (or "not enough data" after the window closed) only within {@code lateDataDays} after the
     * window closed, and only if purchases for its window arrived or the ledger changed since.
     */
    private boolean mayHaveChanged(
            LiftReportDao dao,
            String tenantId,
            String campaignId,
            LiftReportDao.Latest latest,
            Instant now) {
        if (latest.computedAt().isBefore(latest.windowClosesAt())) {
            return true;
        }
        if (!now.isBefore(latest.windowClosesAt().plus(Duration.ofDays(options.lateDataDays())))) {
            return false;
        }
        return after(
                        dao.receivedThrough(
                                tenantId,
                                campaignId,
                                latest.firstSendAt() == null
                                        ? Instant.EPOCH
                                        : latest.firstSendAt()
                                                .minus(Duration.ofDays(options.preDays())),
                                latest.windowClosesAt()),
                        latest.dataReceivedThrough())
                || after(
                        dao.sendsUpdatedThrough(tenantId, campaignId),
                        latest.sendsUpdatedThrough());
    }

    private static boolean after(Optional<Instant> current, Instant stored) {
        return current.isPresent() && (stored == null || current.get().isAfter(stored));
    }

    /** The newest stored report, computing one if there is none yet. */
    public LiftReport latestOrComputeReport(String tenantId, String campaignId, int windowDays) {
        return fromJson(latestOrCompute(tenantId, campaignId, windowDays));
    }

    /** Headlines of a tenant's stored reports, grouped by campaign and window. */
    public Overview overview(String tenantId, String campaignId, Integer windowDays) {
        Map<String, List<LiftSummary>> grouped = new LinkedHashMap<>();
        for (LiftSummary summary :
                jdbi.onDemand(LiftReportDao.class).summaries(tenantId, campaignId, windowDays)) {
            grouped.computeIfAbsent(
                            summary.campaignId() + "\n" + summary.windowDays(),
                            key -> new ArrayList<>())
                    .add(summary);
        }
        List<Overview.Item> items = new ArrayList<>();
        for (List<LiftSummary> history : grouped.values()) {
            LiftSummary latest = history.get(history.size() - 1);
            items.add(
                    new Overview.Item(
                            latest.campaignId(),
                            latest.windowDays(),
                            latest,
                            List.copyOf(history)));
        }
        return new Overview(items);
    }

    /**
     * Recomputes every report that can still change: each configured window of each campaign whose
     * first send is due and that has no report yet, whose newest report was computed while its
     * window was open and is a day old (or the ledger changed since: the sends settled), or whose
     * final report may have changed within {@code lateDataDays} after the window closed (late
     * purchases, a changed ledger). Returns how many reports it stored. The worker runs this
     * hourly; a report computed while the window was open is also recomputed right after it closes.
     */
    public int recomputeOpen() {
        return recomputeOpen(PodScopes.single());
    }

    /**
     * {@link #recomputeOpen()} over every pod, each campaign in its tenant's scope; a tenant a move
     * has frozen gets its reports at the next run, in its new pod.
     */
    public int recomputeOpen(PodScopes pods) {
        int computed = 0;
        for (LiftReportDao.LedgerCampaign campaign :
                pods.acrossPods(
                        () -> jdbi.onDemand(LiftReportDao.class).campaigns(),
                        LiftReportDao.LedgerCampaign::tenantId)) {
            if (!pods.frozen(campaign.tenantId())) {
                computed += pods.inTenant(campaign.tenantId(), () -> recomputeOpen(campaign));
            }
        }
        return computed;
    }

    /** The campaign's reports that can still change, recomputed; returns how many. */
    private int recomputeOpen(LiftReportDao.LedgerCampaign campaign) {
        Instant now = clock.instant();
        LiftReportDao dao = jdbi.onDemand(LiftReportDao.class);
        int computed = 0;
        if (campaign.firstSendAt().isAfter(now)) {
            return 0;
        }
        for (int days : options.windows()) {
            Optional<LiftReportDao.Latest> latest =
                    dao.latest(campaign.tenantId(), campaign.campaignId(), days);
            if (latest.isPresent() && !due(dao, campaign, latest.get(), now)) {
                continue;
            }
            MDC.put("tenantId", campaign.tenantId());
            MDC.put("campaignId", campaign.campaignId());
            try {
                compute(campaign.tenantId(), campaign.campaignId(), days);
                computed++;
            } catch (RuntimeException e) {
                if (PodScopes.refusedAsFrozen(e)) {
                    // A move froze the tenant after this run looked: expected, and the next run
                    // computes the report in the tenant's new pod.
                    LOG.info(
                            "Lift report of {} / {} ({} days) left for the next run: the tenant is"
                                    + " frozen while it moves between pods",
                            campaign.tenantId(),
                            campaign.campaignId(),
                            days);
                    return computed;
                }
                LOG.error(
                        "Lift report of {} / {} ({} days) failed",
                        campaign.tenantId(),
                        campaign.campaignId(),
                        days,
                        e);
            } finally {
                MDC.remove("tenantId");
                MDC.remove("campaignId");
            }
        }
        return computed;
    }

    private boolean due(
            LiftReportDao dao,
            LiftReportDao.LedgerCampaign campaign,
            LiftReportDao.Latest latest,
            Instant now) {
        boolean open = latest.computedAt().isBefore(latest.windowClosesAt());
        if (open) {
            return !now.isBefore(latest.windowClosesAt())
                    || !now.isBefore(latest.computedAt().plus(Duration.ofHours(23)))
                    || after(
                            dao.sendsUpdatedThrough(campaign.tenantId(), campaign.campaignId()),
                            latest.sendsUpdatedThrough());
        }
        return mayHaveChanged(dao, campaign.tenantId(), campaign.campaignId(), latest, now);
    }

    /** Computes the report now from the ledger and purchases, stores it and returns it. */
    public LiftReport compute(String tenantId, String campaignId, int windowDays) {
        // Stored as DATETIME(3): the report says the same instant its row does.
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        LiftReportDao dao = jdbi.onDemand(LiftReportDao.class);
        List<LiftReportDao.LedgerRow> rows = dao.ledger(tenantId, campaignId);
        if (rows.isEmpty()) {
            throw new CampaignNotFoundException(campaignId);
        }
        // A customer in several runs counts once: their first planned send, in its arm.
        List<LiftReportDao.LedgerRow> assigned = new ArrayList<>();
        TreeSet<String> runs = new TreeSet<>();
        String previous = null;
        for (LiftReportDao.LedgerRow row : rows) {
            runs.add(row.runId());
            if (!row.customerId().equals(previous)) {
                assigned.add(row);
                previous = row.customerId();
            }
        }
        Duration window = Duration.ofDays(windowDays);
        Duration pre = Duration.ofDays(options.preDays());
        Instant firstSend = Instant.MAX;
        Instant lastSend = Instant.MIN;
        long totalHoldout = 0;
        Map<String, Long> states = new TreeMap<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        List<CustomerTally> tallies = new ArrayList<>();
        List<Boolean> heldOut = new ArrayList<>();
        List<LiftReportDao.LedgerRow> measured = new ArrayList<>();
        for (LiftReportDao.LedgerRow row : assigned) {
            states.merge(row.state(), 1L, Long::sum);
            boolean holdout = HELD_OUT.equals(row.state());
            totalHoldout += holdout ? 1 : 0;
            firstSend = min(firstSend, row.sendAt());
            lastSend = max(lastSend, row.sendAt());
            if (row.sendAt().isAfter(now)) {
                continue; // not sent (or not due) yet: nothing to measure
            }
            index.put(row.customerId(), tallies.size());
            tallies.add(
                    new CustomerTally(
                            row.sendAt().minus(pre),
                            row.sendAt(),
                            min(row.sendAt().plus(window), now)));
            heldOut.add(holdout);
            measured.add(row);
        }
        Instant closesAt = lastSend.plus(window);
        boolean closed = !now.isBefore(closesAt);
        Instant dataCutoff = min(closesAt, now);
        TreeSet<String> currencies = new TreeSet<>();
        // The newest purchase received and ledger change this report saw, taken from the rows it
        // reads anyway rather than by reading them all again (a report reads its data once).
        Instant[] receivedThrough = {null};
        Instant sendsUpdated = null;
        for (LiftReportDao.LedgerRow row : rows) {
            sendsUpdated = newer(sendsUpdated, row.updatedAt());
        }
        if (!tallies.isEmpty()) {
            dao.purchases(
                    tenantId,
                    campaignId,
                    firstSend.minus(pre),
                    dataCutoff,
                    line -> {
                        receivedThrough[0] = newer(receivedThrough[0], line.receivedAt());
                        Integer i = index.get(line.customerId());
                        if (i != null) {
                            CustomerTally tally = tallies.get(i);
                            tally.add(
                                    line.orderId(),
                                    line.quantity(),
                                    line.unitPrice(),
                                    line.occurredAt());
                            currencies.add(line.currency());
                        }
                    });
        } else {
            receivedThrough[0] =
                    dao.receivedThrough(tenantId, campaignId, firstSend.minus(pre), dataCutoff)
                            .orElse(null);
        }
        boolean[] arms = new boolean[heldOut.size()];
        for (int i = 0; i < arms.length; i++) {
            arms[i] = heldOut.get(i);
        }
        LiftAnalysis.Settings settings = options.analysis();
        long elapsedDays = (Duration.between(firstSend, now).toMinutes() + 1439) / 1440;
        int ofDays = (int) Math.max(1, (Duration.between(firstSend, closesAt).toHours() + 23) / 24);
        Look look =
                closed
                        ? settings.finalLook(windowDays)
                        : settings.interim(
                                (int) Math.max(1, Math.min(ofDays, elapsedDays)),
                                ofDays,
                                assigned.size());
        LiftAnalysis.Result result =
                LiftAnalysis.analyze(CustomerTally.outcomes(tallies), arms, settings, look);

        long totalTreated = assigned.size() - totalHoldout;
        LiftReport.SampleRatio sampleRatio =
                sampleRatio(tenantId, campaignId, totalTreated, totalHoldout);
        List<String> warnings = new ArrayList<>();
        if (sampleRatio.mismatch()) {
            warnings.add(
                    String.format(
                            java.util.Locale.ROOT,
                            "Sample ratio mismatch: %d treated and %d held out is unlikely"
                                    + " (p = %.2g) under the planned %.1f%% holdout; the"
                                    + " assignment or the data is broken, do not trust this"
                                    + " report.",
                            totalTreated,
                            totalHoldout,
                            sampleRatio.pValue(),
                            100 * sampleRatio.expectedHoldoutShare()));
        }
        if (currencies.size() > 1) {
            warnings.add(
                    "Revenue mixes currencies "
                            + currencies
                            + "; amounts are summed as they are, without conversion.");
        }
        long notStarted = assigned.size() - tallies.size();
        if (notStarted > 0) {
            warnings.add(
                    notStarted
                            + " assigned customers' planned sends are still to come; they are not"
                            + " measured yet.");
        }

        LiftReport.Status status =
                !result.enoughData()
                        ? LiftReport.Status.NOT_ENOUGH_DATA
                        : closed ? LiftReport.Status.FINAL : LiftReport.Status.INTERIM;
        String detail =
                LiftVerdict.statusDetail(
                        status,
                        result.enoughData()
                                ? null
                                : LiftVerdict.notEnoughData(
                                        result.notEnoughData(),
                                        settings.minCustomersPerArm(),
                                        totalHoldout,
                                        dao.isJourney(tenantId, campaignId)),
                        look,
                        closesAt,
                        dataCutoff,
                        options.lateDataDays());
        LiftReport report =
                new LiftReport(
                        campaignId,
                        windowDays,
                        now,
                        status,
                        detail,
                        new LiftReport.Assignment(
                                "Intention-to-treat: treated means assigned to receive the"
                                        + " campaign (every ledger state but HELD_OUT), whether or"
                                        + " not the email was sent or delivered; holdout means"
                                        + " HELD_OUT. A customer in several runs counts once, in"
                                        + " the arm and from the planned send of their first run.",
                                result.treatedCustomers(),
                                result.holdoutCustomers(),
                                result.treatedBuyers(),
                                result.holdoutBuyers(),
                                notStarted,
                                runs.size(),
                                states),
                        new LiftReport.Window(
                                firstSend,
                                lastSend,
                                closesAt,
                                closed,
                                options.preDays(),
                                "Each customer is measured for "
                                        + windowDays
                                        + " days from their planned send (cut at now while the"
                                        + " window is open); CUPED's covariate is the same metric"
                                        + " in the "
                                        + options.preDays()
                                        + " days before it."),
                        peeking(closed, closesAt, settings),
                        sampleRatio,
                        settings.confidence(),
                        result.enoughData() ? metrics(result, settings) : null,
                        result.enoughData()
                                ? new LiftReport.Incremental(
                                        result.incrementalRevenue().estimate(),
                                        result.incrementalRevenue().low(),
                                        result.incrementalRevenue().high(),
                                        "(treated − holdout) CUPED-adjusted revenue per customer,"
                                                + " capped at buyers' percentiles, × treated"
                                                + " customers; the interval is this look's")
                                : null,
                        List.copyOf(currencies),
                        warnings,
                        new LiftReport.LookInfo(
                                closed ? "FINAL" : "INTERIM",
                                look.day(),
                                look.ofDays(),
                                look.intervalConfidence(),
                                closed
                                        ? "fixed-horizon interval at the error the interim looks"
                                                + " did not spend"
                                        : "always-valid confidence sequence (Waudby-Smith et al."
                                                + " asymptotic confidence sequence)"),
                        dataCutoff,
                        receivedThrough[0],
                        null,
                        variants(tenantId, campaignId, rows, measured, tallies, arms, look));
        report = report.withVerdict(LiftVerdict.of(report));
        store(tenantId, report, firstSend, sendsUpdated);
        return report;
    }

    /**
     * The offer variants' figures, when the ledger has any send with a variant: sends and clickers
     * per variant, each one's lift against the holdout ({@link VariantLift}) over the customers
     * measured, and the sends each variant was chosen for per day.
     */
    private LiftReport.Variants variants(
            String tenantId,
            String campaignId,
            List<LiftReportDao.LedgerRow> rows,
            List<LiftReportDao.LedgerRow> measured,
            List<CustomerTally> tallies,
            boolean[] heldOut,
            Look look) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        Map<String, Long> sends = new TreeMap<>();
        Map<java.time.LocalDate, Map<String, Long>> days = new TreeMap<>();
        for (LiftReportDao.LedgerRow row : rows) {
            if (row.variant() == null) {
                continue;
            }
            names.add(row.variant());
            if ("SENT".equals(row.state())) {
                sends.merge(row.variant(), 1L, Long::sum);
            }
            if (row.variantAt() != null) {
                days.computeIfAbsent(
                                java.time.LocalDate.ofInstant(
                                        row.variantAt(), java.time.ZoneOffset.UTC),
                                day -> new TreeMap<>())
                        .merge(row.variant(), 1L, Long::sum);
            }
        }
        if (names.isEmpty()) {
            return null;
        }
        List<String> variants = List.copyOf(names);
        int n = measured.size();
        boolean[] buyer = new boolean[n];
        int[] variant = new int[n];
        double[] share = new double[n];
        for (int i = 0; i < n; i++) {
            LiftReportDao.LedgerRow row = measured.get(i);
            buyer[i] = tallies.get(i).orders() > 0;
            variant[i] = row.variant() == null ? -1 : variants.indexOf(row.variant());
            share[i] =
                    row.variantShare() == null || !(row.variantShare() > 0)
                            ? 1
                            : row.variantShare();
        }
        Map<String, Long> clickers =
                jdbi.onDemand(LiftReportDao.class).variantClickers(tenantId, campaignId);
        List<LiftReport.VariantFigures> figures = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            long orders = 0;
            for (int i = 0; i < n; i++) {
                if (variant[i] == v && !heldOut[i]) {
                    orders += tallies.get(i).orders();
                }
            }
            VariantLift.Result lift =
                    VariantLift.estimate(
                            buyer, heldOut, variant, share, v, options.analysis(), look);
            Estimate e = lift.estimate();
            String name = variants.get(v);
            figures.add(
                    new LiftReport.VariantFigures(
                            name,
                            sends.getOrDefault(name, 0L),
                            clickers.getOrDefault(name, 0L),
                            lift.sends(),
                            lift.buyers(),
                            orders,
                            e == null ? null : e.treated(),
                            e == null ? null : e.holdout(),
                            e == null ? null : e.difference(),
                            e == null ? null : e.low(),
                            e == null ? null : e.high(),
                            e == null ? null : e.pValue(),
                            e != null && e.significant(),
                            lift.notEnoughData()));
        }
        List<LiftReport.Day> allocation = new ArrayList<>();
        days.forEach((day, counts) -> allocation.add(new LiftReport.Day(day, counts)));
        return new LiftReport.Variants(
                "Each variant's repeat-purchase rate had every treated customer been sent it,"
                        + " minus the holdout's: its customers weighted by 1 / the chance the"
                        + " allocation gave it when it was chosen (inverse probability weighting,"
                        + " unbiased though the allocation adapts), treated customers never sent"
                        + " counted as they are; the interval is this look's, as the campaign's.",
                figures,
                allocation);
    }

    private static LiftReport.Peeking peeking(
            boolean closed, Instant closesAt, LiftAnalysis.Settings settings) {
        return new LiftReport.Peeking(
                closed,
                true,
                LiftVerdict.peeking(
                        closed, closesAt, settings.confidence(), settings.interimAlpha()));
    }

    private LiftReport.SampleRatio sampleRatio(
            String tenantId, String campaignId, long treated, long holdout) {
        double observed = treated + holdout == 0 ? 0 : (double) holdout / (treated + holdout);
        Optional<ExpectedShare> expected = holdoutShares.expected(tenantId, campaignId);
        if (expected.isEmpty()
                || !(expected.get().share() > 0 && expected.get().share() < 1)
                || treated + holdout == 0) {
            return new LiftReport.SampleRatio(
                    null,
                    "unknown: not checked",
                    observed,
                    null,
                    options.sampleRatioThreshold(),
                    false);
        }
        double p = LiftStatistics.sampleRatioPValue(treated, holdout, expected.get().share());
        return new LiftReport.SampleRatio(
                expected.get().share(),
                expected.get().source(),
                observed,
                p,
                options.sampleRatioThreshold(),
                p < options.sampleRatioThreshold());
    }

    private static LiftReport.Metrics metrics(
            LiftAnalysis.Result result, LiftAnalysis.Settings settings) {
        double lower = settings.lowerPercentile();
        double upper = settings.upperPercentile();
        double alpha = 1 - settings.confidence();
        return new LiftReport.Metrics(
                LiftReport.Metric.of(
                        "Primary: share of customers with at least one order in the window",
                        result.repeatRate(),
                        lower,
                        upper,
                        alpha),
                LiftReport.Metric.of(
                        "Secondary: orders per customer in the window, capped at pooled"
                                + " percentiles of the customers who ordered",
                        result.ordersPerCustomer(),
                        lower,
                        upper,
                        alpha),
                LiftReport.Metric.of(
                        "Secondary: net revenue per customer in the window (quantity × unit"
                                + " price, refunds netted), capped at pooled percentiles of the"
                                + " customers who bought (or refunded)",
                        result.revenuePerCustomer(),
                        lower,
                        upper,
                        alpha));
    }

    private void store(
            String tenantId, LiftReport report, Instant firstSendAt, Instant sendsUpdatedThrough) {
        LiftReport.Metrics m = report.metrics();
        LiftReport.Incremental inc = report.incrementalRevenue();
        jdbi.onDemand(LiftReportDao.class)
                .insert(
                        tenantId,
                        new LiftReportDao.Stored(
                                report.campaignId(),
                                report.windowDays(),
                                report.computedAt(),
                                report.status().name(),
                                report.window().closesAt(),
                                report.assignment().treatedCustomers(),
                                report.assignment().holdoutCustomers(),
                                m == null ? null : m.repeatPurchaseRate().difference(),
                                m == null ? null : m.repeatPurchaseRate().low(),
                                m == null ? null : m.repeatPurchaseRate().high(),
                                m == null ? null : m.repeatPurchaseRate().pValue(),
                                m == null ? null : m.ordersPerCustomer().difference(),
                                m == null ? null : m.ordersPerCustomer().low(),
                                m == null ? null : m.ordersPerCustomer().high(),
                                m == null ? null : m.ordersPerCustomer().pValue(),
                                m == null ? null : m.revenuePerCustomer().difference(),
                                m == null ? null : m.revenuePerCustomer().low(),
                                m == null ? null : m.revenuePerCustomer().high(),
                                m == null ? null : m.revenuePerCustomer().pValue(),
                                inc == null ? null : inc.estimate(),
                                inc == null ? null : inc.low(),
                                inc == null ? null : inc.high(),
                                report.sampleRatio().pValue(),
                                report.sampleRatio().mismatch(),
                                firstSendAt,
                                report.dataReceivedThrough(),
                                sendsUpdatedThrough,
                                toJson(report)));
    }

    private String toJson(LiftReport report) {
        try {
            return mapper.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a lift report always serializes", e);
        }
    }

    private LiftReport fromJson(String json) {
        try {
            return mapper.readValue(json, LiftReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored lift report does not parse", e);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The later of the two, a null one being none (as SQL's MAX ignores NULL). */
    private static Instant newer(Instant newest, Instant candidate) {
        if (candidate == null) {
            return newest;
        }
        return newest == null || candidate.isAfter(newest) ? candidate : newest;
    }
}
