package io.hilal.core.campaigns.sending;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignDao;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.CampaignStatus;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.OfferRenderer;
import io.hilal.core.campaigns.feedback.MailEventService;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.mail.Mailer;
import io.hilal.core.campaigns.mail.SendResult;
import io.hilal.core.campaigns.variants.VariantAllocator;
import io.hilal.core.db.NamedLock;
import io.hilal.core.pods.Pod;
import io.hilal.core.pods.PodScopes;
import io.hilal.core.program.ProgramHoldout;
import io.hilal.core.program.ProgramHoldoutService;
import io.hilal.core.reco.CustomerSignals;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantQuotaDao;
import io.hilal.core.tenant.TenantQuotas;
import io.hilal.core.tenant.TenantService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Sends what is due in the ledger. The calling thread takes a step of recipients and, in one
 * committed transaction, records how the sends that ended since its last commit ended, locks the
 * new recipients' customer rows, checks them — consent, suppression (an unsubscribe takes effect
 * before the next send), quiet hours in the customer's local time, the frequency cap across
 * campaigns and workers — and claims the ones that may go out (PLANNED or DEFERRED → SENDING)
 * before the relay sees anything. Sending threads render them and hand them to the relay over
 * pooled connections meanwhile, and the next claim's commit records them SENT or FAILED. A send
 * that may not go out now is DEFERRED inside its validity window (never dropped), or EXPIRED when
 * the window closes first. At most {@code concurrency} sends are SENDING at any moment, and a paced
 * run claims only a few seconds of its pace ahead ({@link SendPace}), so a crash leaves at most
 * that many of unknown fate; {@link #recover()} marks them UNKNOWN_INFLIGHT, not to be sent again
 * unless the campaign's marketer decides so ({@link CampaignService#resendUnknown}).
 *
 * <p>Every worker of a cluster runs its passes side by side. An unthrottled run is split among the
 * live workers by customer ({@link SendPartition}, from the heartbeat), so each claims its own
 * share first, then whatever is left of the run; a run with a daily cap or a per-second pace is
 * sent by one worker at a time, holding the tenant's named lock ({@link NamedLock}). A worker's
 * passes never overlap one another: a pass asked for while one runs returns at once.
 */
public final class CampaignSender {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignSender.class);

    /**
     * How often one sender marks a run's sends that can no longer go out in time EXPIRED. Marking
     * reads and locks every waiting send of the run, and a run sending per customer "when their
     * restock is due" keeps most of its sends waiting for weeks, while the sender looks for due
     * sends every few seconds. Listing never returns a send past its validity, so marking late
     * sends none; it only delays the run's completion by up to this interval.
     */
    static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(1);

    /**
     * How often one sender forgets the tenants' send counts of quarter hours no daily cap reads any
     * more: the delete scans every tenant's counts, and recovery runs at every job firing.
     */
    static final Duration FORGET_COUNTS_INTERVAL = Duration.ofHours(1);

    /** How long a sender trusts the tenant's program holdout it read before reading it again. */
    static final Duration PROGRAM_HOLDOUT_REFRESH = Duration.ofSeconds(5);

    /**
     * How a sending process behaves. {@code concurrency} is the most sends it has in flight
     * (claimed and not yet recorded) at any moment, so the most a crash can leave of unknown fate.
     * It claims {@code claimBatch} sends per commit, as soon as they fit under the concurrency, and
     * the same commit records how the sends that ended meanwhile ended; {@code concurrency /
     * claimBatch} threads send them.
     */
    public record Settings(
            String workerId,
            int concurrency,
            int batchSize,
            Duration relayRetryDelay,
            Duration heartbeatTimeout,
            boolean resendUnknown,
            long tenantDailyCap,
            double tenantPerSecond,
            int claimBatch) {

        public Settings {
            if (concurrency < 1 || batchSize < 1 || claimBatch < 1) {
                throw new IllegalArgumentException(
                        "concurrency, batch size and claim batch must be positive");
            }
            if (claimBatch > concurrency) {
                throw new IllegalArgumentException(
                        "a claim batch larger than the concurrency would leave more sends in"
                                + " flight than the concurrency allows");
            }
        }

        /** One send claimed per commit, sent by {@code concurrency} threads. */
        public Settings(
                String workerId,
                int concurrency,
                int batchSize,
                Duration relayRetryDelay,
                Duration heartbeatTimeout,
                boolean resendUnknown,
                long tenantDailyCap,
                double tenantPerSecond) {
            this(
                    workerId,
                    concurrency,
                    batchSize,
                    relayRetryDelay,
                    heartbeatTimeout,
                    resendUnknown,
                    tenantDailyCap,
                    tenantPerSecond,
                    1);
        }

        /** Sending threads: as many as there are claim batches in {@code concurrency}. */
        public int threads() {
            return concurrency / claimBatch;
        }
    }

    /** What one pass did. */
    public record Summary(
            int sent, int deferred, int suppressed, int failed, int expired, boolean relayDown) {
        Summary plus(Summary other) {
            return new Summary(
                    sent + other.sent,
                    deferred + other.deferred,
                    suppressed + other.suppressed,
                    failed + other.failed,
                    expired + other.expired,
                    relayDown || other.relayDown);
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final SendLedger ledger;
    private final CampaignService campaigns;
    private final EmailComposer composer;
    private final TenantService tenants;
    private final Mailer mailer;
    private final Function<String, RecommendationModel> models;
    private final ExecutorService executor;
    private final Settings settings;

    /** Whether the last pass failed, leaving sends this worker had claimed unrecorded. */
    private volatile boolean passFailed;

    private final MailEventService mailEvents;
    private final WorkerLiveness liveness;

    /** How the runs of every pod are listed and each is sent in its tenant's scope. */
    private final PodScopes pods;

    /** The home database: tenant-less rows (quotas). */
    private final Jdbi home;

    /**
     * Outcomes of sends a move's freeze kept this worker from recording, by run: their rows were
     * copied to the tenant's new pod as this live worker's SENDING rows, and are recorded there at
     * the first pass after the switch.
     */
    private final Map<SendLedger.Run, List<SendLedger.Outcome>> unrecorded =
            new ConcurrentHashMap<>();

    /** When this sender last marked each unfinished run's late sends EXPIRED. */
    private final Map<SendLedger.Run, Instant> lastExpired = new ConcurrentHashMap<>();

    /** When this sender last forgot old send counts; null: not yet. */
    private volatile Instant countsForgotten;

    /** Held by the pass running now: passes never overlap (see {@link #sendDue()}). */
    private final ReentrantLock pass = new ReentrantLock();

    /** This worker's share of an unthrottled run, as of its last heartbeat. */
    private volatile SendPartition share = SendPartition.WHOLE;

    /** The dead peers whose sends this worker recovered, so it recovers a new one at once. */
    private final Set<String> recoveredPeers = ConcurrentHashMap.newKeySet();

    public CampaignSender(
            Jdbi jdbi,
            Clock clock,
            SendLedger ledger,
            CampaignService campaigns,
            EmailComposer composer,
            TenantService tenants,
            Mailer mailer,
            Function<String, RecommendationModel> models,
            ExecutorService executor,
            Settings settings) {
        this(
                jdbi,
                clock,
                ledger,
                campaigns,
                composer,
                tenants,
                mailer,
                models,
                executor,
                settings,
                PodScopes.single(),
                jdbi);
    }

    /**
     * A sender over several pods: {@code jdbi} is routed by tenant ({@link
     * io.hilal.core.pods.PodRouter}), {@code pods} lists every pod's runs, {@code home} is the home
     * database's (quotas).
     */
    public CampaignSender(
            Jdbi jdbi,
            Clock clock,
            SendLedger ledger,
            CampaignService campaigns,
            EmailComposer composer,
            TenantService tenants,
            Mailer mailer,
            Function<String, RecommendationModel> models,
            ExecutorService executor,
            Settings settings,
            PodScopes pods,
            Jdbi home) {
        this.pods = pods;
        this.home = home;
        this.jdbi = jdbi;
        this.clock = clock;
        this.ledger = ledger;
        this.campaigns = campaigns;
        this.composer = composer;
        this.tenants = tenants;
        this.mailer = mailer;
        this.models = models;
        this.executor = executor;
        this.settings = settings;
        this.mailEvents = new MailEventService(jdbi, clock);
        this.liveness =
                new WorkerLiveness(jdbi, clock, settings.workerId(), settings.heartbeatTimeout());
    }

    public Settings settings() {
        return settings;
    }

    /** See {@link WorkerLiveness#stalePeers}. */
    public List<String> stalePeers() {
        return pods.home(liveness::stalePeers);
    }

    /**
     * See {@link WorkerLiveness#heartbeat}; also learns this worker's share of unthrottled runs
     * among the workers alive now.
     */
    public void heartbeat() {
        share = pods.home(liveness::heartbeatAndShare);
        // Each pod's recovery reads the heartbeats beside its SENDING rows: beat there too.
        pods.eachPod(
                podId -> {
                    if (!Pod.HOME_ID.equals(podId)) {
                        liveness.heartbeat();
                    }
                });
    }

    /** This worker's share of an unthrottled run, as of its last heartbeat. */
    public SendPartition share() {
        return share;
    }

    /**
     * Recovers the sends of peers whose heartbeat stopped since this worker last looked, at once:
     * called every heartbeat while passes run, so a dead worker's sends in flight are marked within
     * a heartbeat of its timeout, not at the next pass; returns how many.
     */
    public int recoverNewlyDead() {
        List<String> stale = stalePeers();
        recoveredPeers.retainAll(stale);
        if (recoveredPeers.containsAll(stale)) {
            return 0;
        }
        Recovery recovery = recoverDead();
        if (recovery.complete()) {
            // Else a pod was not read: its sends of those peers are looked for at the next beat.
            recoveredPeers.addAll(stale);
        }
        return recovery.recovered();
    }

    /** What a recovery marked, and whether it read every pod. */
    private record Recovery(int recovered, boolean complete) {}

    /** See {@link WorkerLiveness#retire}. */
    public void retire() {
        pods.eachPod(podId -> liveness.retire());
    }

    /**
     * Leaves the cluster on a graceful stop, once nothing asks for passes any more: forgets this
     * worker's heartbeat, so that peers and the dashboard see it gone at once instead of as a stale
     * peer for {@link WorkerLiveness#DEAD_WORKER_RETENTION}. No pass of this sender runs after it
     * left. While a pass still runs (one the stop did not wait for), its sends in flight are its
     * own and the heartbeat stays: peers recover them when it times out, as after a crash. Returns
     * whether it left.
     */
    public boolean leave() {
        if (!pass.tryLock()) {
            LOG.warn(
                    "Worker {} stops while a send pass runs: its heartbeat stays, and peers recover"
                            + " its sends in flight once it times out",
                    settings.workerId());
            return false;
        }
        // Never unlocked: a pass asked for from now on returns at once. Between passes none of
        // this worker's sends is in flight, so what SENDING rows it still holds (after a failed
        // pass) are of unknown fate, and peers mark them so as soon as the heartbeat is gone.
        recordUnrecorded();
        try {
            retire();
        } catch (RuntimeException e) {
            LOG.warn(
                    "Worker {} could not forget its heartbeat ({}): peers see it stale until it"
                            + " is forgotten",
                    settings.workerId(),
                    e.toString());
            return false;
        }
        LOG.info("Worker {} left: its heartbeat is forgotten", settings.workerId());
        return true;
    }

    /**
     * Turns the SENDING rows of processes whose heartbeat stopped into UNKNOWN_INFLIGHT (or back to
     * PLANNED when configured to resend); returns how many.
     */
    public int recover() {
        return recoverDead().recovered();
    }

    private Recovery recoverDead() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(settings.heartbeatTimeout());
        int recovered = 0;
        PodScopes.Listing<CampaignDao.RunRow> runs = unfinishedRunsListing();
        for (CampaignDao.RunRow run : runs.items()) {
            if (pods.frozen(run.tenantId())) {
                continue; // after the move's switch, in the tenant's new pod
            }
            SendLedger.Run key = new SendLedger.Run(run.tenantId(), run.campaignId(), run.runId());
            Map<String, Integer> byWorker =
                    pods.inTenant(
                            run.tenantId(),
                            () ->
                                    ledger.recoverDeadByWorker(
                                            key, cutoff, settings.resendUnknown()));
            for (Map.Entry<String, Integer> dead : byWorker.entrySet()) {
                // The operator's first clue after a crash: whose sends, and which worker's.
                LOG.warn(
                        "Worker {} stopped while sending: {} sends of tenant {}, campaign {} ({})"
                                + " were in flight; marked {}",
                        dead.getKey(),
                        dead.getValue(),
                        run.tenantId(),
                        run.campaignId(),
                        run.runId(),
                        settings.resendUnknown()
                                ? "PLANNED (resend is configured)"
                                : "UNKNOWN_INFLIGHT: the campaign's page asks to resend or close"
                                        + " them");
                recovered += dead.getValue();
            }
        }
        pods.eachPod(podId -> liveness.forgetDead(now));
        Instant forgotten = countsForgotten;
        if (forgotten == null
                || !now.isBefore(forgotten.plus(FORGET_COUNTS_INTERVAL))
                || now.isBefore(forgotten)) {
            // A tenant's day started at most 14 hours before UTC's (UTC+14).
            forgetSendCounts(now.minus(Duration.ofDays(2)));
            countsForgotten = now;
        }
        return new Recovery(recovered, runs.complete());
    }

    /**
     * Forgets old send counts tenant by tenant, each in its tenant's scope, like any write of the
     * tenant's: a tenant a move has (copying or frozen) keeps them until the move is over, so the
     * move's verify counts as many rows in the source as it copied.
     */
    private void forgetSendCounts(Instant before) {
        for (String tenantId :
                pods.acrossPods(() -> ledger.tenantsWithSendCountsBefore(before), id -> id)) {
            if (pods.moving(tenantId)) {
                continue; // the next time, in the pod the move leaves it in
            }
            try {
                pods.inTenant(tenantId, () -> ledger.forgetSendCounts(tenantId, before));
            } catch (RuntimeException e) {
                if (!PodScopes.refusedAsFrozen(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Sends everything due now, run by run, and finishes runs with nothing left. After a pass that
     * failed (the database went away mid-step, say), the sends this worker had claimed and could
     * not record are of unknown fate, and no later pass of this live worker would look at them
     * again (recovery only looks at dead workers): the next pass marks them UNKNOWN_INFLIGHT first,
     * for the marketer to resend or close, never resending by itself. Passes never overlap (one
     * asked for while another runs in this process returns at once, sending nothing), so none of
     * this worker's sends is in flight then.
     */
    public Summary sendDue() throws InterruptedException {
        return alone(false);
    }

    /**
     * A worker's pass: {@link #recover()}, then {@link #sendDue()}; nothing at all while another
     * pass of this process runs. Recovery reads (and locks, briefly) every open send due by now of
     * each unfinished run, so a worker does it between its passes, not alongside its own claims
     * every time a scheduler asks for a pass.
     */
    public Summary pass() throws InterruptedException {
        return alone(true);
    }

    /** Runs a pass unless one of this process runs now (then sends nothing). */
    private Summary alone(boolean recoverFirst) throws InterruptedException {
        if (!pass.tryLock()) {
            return new Summary(0, 0, 0, 0, 0, false);
        }
        try {
            if (recoverFirst) {
                recover();
            }
            return sendDueAlone();
        } finally {
            pass.unlock();
        }
    }

    /** The runs with work left, paused or not, of every pod, and the pods that were not read. */
    private PodScopes.Listing<CampaignDao.RunRow> unfinishedRunsListing() {
        return pods.listAcrossPods(
                () -> jdbi.withExtension(CampaignDao.class, CampaignDao::unfinishedRuns),
                CampaignDao.RunRow::tenantId);
    }

    /**
     * Records, in each tenant's pod now, the outcomes a move's freeze kept this worker from
     * recording, once the tenant is no longer frozen.
     */
    private void recordUnrecorded() {
        for (Map.Entry<SendLedger.Run, List<SendLedger.Outcome>> entry : unrecorded.entrySet()) {
            SendLedger.Run run = entry.getKey();
            if (pods.frozen(run.tenantId())) {
                continue;
            }
            try {
                pods.inTenant(
                        run.tenantId(),
                        () -> ledger.record(run, settings.workerId(), entry.getValue()));
                unrecorded.remove(run, entry.getValue());
                LOG.info(
                        "Recorded {} sends of {} that a move's freeze held back",
                        entry.getValue().size(),
                        run);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Could not record the sends of {} held back by a move: {}",
                        run,
                        e.toString());
            }
        }
    }

    private void keepUnrecorded(SendLedger.Run run, List<SendLedger.Outcome> outcomes) {
        if (!outcomes.isEmpty()) {
            unrecorded.merge(
                    run,
                    List.copyOf(outcomes),
                    (before, more) ->
                            java.util.stream.Stream.concat(before.stream(), more.stream())
                                    .toList());
        }
    }

    private Summary sendDueAlone() throws InterruptedException {
        recordUnrecorded();
        if (passFailed) {
            int unknown = recoverOwnInflight();
            if (unknown > 0) {
                LOG.warn(
                        "{} sends this worker had in flight when a pass failed are of unknown"
                                + " fate; marked UNKNOWN_INFLIGHT",
                        unknown);
            }
        }
        try {
            return sendDueRuns();
        } catch (RuntimeException e) {
            passFailed = true;
            throw e;
        }
    }

    /**
     * Marks this worker's SENDING rows UNKNOWN_INFLIGHT after a failed pass; those of a frozen
     * tenant, or whose outcomes wait for a move's switch, at a later pass (the pass stays failed
     * until then).
     */
    private int recoverOwnInflight() {
        int recovered = 0;
        PodScopes.Listing<CampaignDao.RunRow> runs = unfinishedRunsListing();
        // A pod that could not be read may hold this worker's sends in flight: no later pass would
        // look for them (recovery looks at dead workers only), so the pass stays failed, and its
        // recovery is tried again at each pass until every pod has been read.
        boolean complete = runs.complete();
        if (!complete) {
            LOG.warn(
                    "Pods {} could not be read: this worker's sends in flight there when a pass"
                            + " failed are marked UNKNOWN_INFLIGHT once they can be",
                    runs.unreadPods());
        }
        for (CampaignDao.RunRow run : runs.items()) {
            SendLedger.Run key = new SendLedger.Run(run.tenantId(), run.campaignId(), run.runId());
            if (pods.frozen(run.tenantId()) || unrecorded.containsKey(key)) {
                complete = false;
                continue;
            }
            recovered +=
                    pods.inTenant(
                            run.tenantId(), () -> ledger.recoverInflight(key, settings.workerId()));
        }
        passFailed = !complete;
        return recovered;
    }

    private Summary sendDueRuns() throws InterruptedException {
        Summary total = new Summary(0, 0, 0, 0, 0, false);
        List<CampaignDao.RunRow> runs =
                pods.acrossPods(
                        () ->
                                jdbi.withExtension(
                                        CampaignDao.class, dao -> dao.activeRuns(clock.instant())),
                        CampaignDao.RunRow::tenantId);
        for (CampaignDao.RunRow run : runs) {
            if (pods.frozen(run.tenantId())) {
                // A move is switching the tenant's pod: its sends resume from the new one.
                continue;
            }
            Summary summary;
            // The run's id stands for the job's firing while the run is sent, then the firing's
            // again for what the job logs after.
            String firing = MDC.get("jobId");
            MDC.put("tenantId", run.tenantId());
            MDC.put("campaignId", run.campaignId());
            MDC.put("jobId", "send-" + run.runId());
            try {
                summary =
                        sendDueInTenant(
                                new SendLedger.Run(run.tenantId(), run.campaignId(), run.runId()));
            } finally {
                MDC.remove("tenantId");
                MDC.remove("campaignId");
                if (firing != null) {
                    MDC.put("jobId", firing);
                } else {
                    MDC.remove("jobId");
                }
            }
            total = total.plus(summary);
            if (summary.relayDown()) {
                break;
            }
        }
        return total;
    }

    /**
     * {@link #sendDue(SendLedger.Run)} in the tenant's scope; a write refused because a move froze
     * the tenant meanwhile ends the run's pass (what this worker had in flight is recorded after
     * the switch), not the worker's.
     */
    private Summary sendDueInTenant(SendLedger.Run run) throws InterruptedException {
        try {
            return pods.inTenant(
                    run.tenantId(),
                    () -> {
                        try {
                            return sendDue(run);
                        } catch (InterruptedException e) {
                            throw new Interrupted(e);
                        }
                    });
        } catch (Interrupted e) {
            throw e.interruption;
        } catch (RuntimeException e) {
            if (!PodScopes.refusedAsFrozen(e)) {
                throw e;
            }
            LOG.info("Tenant {} was frozen for a move: its sends resume after the switch", run);
            return new Summary(0, 0, 0, 0, 0, false);
        }
    }

    /** Carries an interruption out of a scoped block. */
    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient InterruptedException interruption;

        Interrupted(InterruptedException interruption) {
            super(interruption);
            this.interruption = interruption;
        }
    }

    /** Sends what is due in one run until nothing is, the campaign pauses or the relay fails. */
    public Summary sendDue(SendLedger.Run run) throws InterruptedException {
        SendCounters counters = new SendCounters();
        AtomicBoolean relayDown = new AtomicBoolean();
        Campaign campaign = campaigns.get(run.tenantId(), run.campaignId());
        if (campaign.status() != CampaignStatus.SCHEDULED) {
            return counters.summary(false);
        }
        Tenant tenant = tenants.findTenant(run.tenantId()).orElseThrow();
        ZoneId tenantZone = ZoneId.of(tenant.timeZone());
        CampaignRequest.Limits limits = campaign.limits();
        SendPace pace =
                SendPace.of(
                        settings.concurrency(),
                        settings.claimBatch(),
                        settings.tenantPerSecond(),
                        limits.perSecond());
        RunContext context =
                new RunContext(
                        run,
                        campaign,
                        OfferRenderer.compile(campaign.offer()),
                        models.apply(run.tenantId()),
                        campaigns.senderIdentity(run.tenantId()),
                        limits,
                        tenantZone,
                        new ConcurrentHashMap<>(),
                        pace,
                        new Pacer(pace.perSecond()),
                        counters,
                        relayDown,
                        VariantAllocator.of(
                                jdbi, clock, ledger, run.tenantId(), run.runId(), campaign),
                        programHoldout(run.tenantId()),
                        () -> pods.frozen(run.tenantId()),
                        outcomes -> keepUnrecorded(run, outcomes));
        // Quotas are the home database's, whichever pod holds the tenant.
        Long quota =
                home.withExtension(TenantQuotaDao.class, dao -> dao.find(run.tenantId()))
                        .map(TenantQuotas::sendsPerDay)
                        .orElse(null);
        long dailyCap = SendPolicy.dailyCap(settings.tenantDailyCap(), limits.dailyCap(), quota);
        if (dailyCap > 0 || pace.perSecond() > 0) {
            // Throttled: one worker at a time sends the tenant's throttled runs; another has them.
            // A daily cap reads the tenant's count of today's sends before listing, and a pace is
            // kept by one process's clock: both hold only while one worker sends them. A worker
            // that dies frees the lock at once; another takes the runs at its next pass.
            Optional<NamedLock> lock = NamedLock.acquire(jdbi, "hilal.sends." + run.tenantId(), 0);
            if (lock.isEmpty()) {
                return counters.summary(false);
            }
            // Held while the run is sent, released after.
            NamedLock held = lock.get();
            try (held) {
                return send(run, context, dailyCap, quota, () -> SendPartition.WHOLE);
            }
        }
        return send(run, context, dailyCap, quota, () -> share);
    }

    /** Sends {@code run}'s due sends, listed in {@code share} first, as {@link #sendDue(Run)}. */
    private Summary send(
            SendLedger.Run run,
            RunContext context,
            long dailyCap,
            Long quota,
            Supplier<SendPartition> share)
            throws InterruptedException {
        AtomicBoolean relayDown = context.relayDown();
        DueSteps due =
                new DueSteps(
                        ledger,
                        clock,
                        run,
                        context.tenantZone(),
                        dailyCap,
                        quota != null && quota == dailyCap,
                        settings.batchSize(),
                        context.pace().claimBatch(),
                        () -> expiryDue(run),
                        share);
        while (!relayDown.get() && !context.frozen().getAsBoolean() && due.list(true)) {
            new SendPipeline(
                            ledger,
                            clock,
                            executor,
                            settings.workerId(),
                            settings.threads(),
                            context,
                            due,
                            new ChunkHandoff(context))
                    .run();
        }
        if (!context.frozen().getAsBoolean()) {
            finishIfDone(run);
        }
        return context.counters().summary(relayDown.get());
    }

    /**
     * The tenant's program holdout as the checks before sending see it: read again at most every
     * {@link #PROGRAM_HOLDOUT_REFRESH}, so a share raised after planning holds back the sends
     * planned before it within seconds, without a query per step.
     */
    private Supplier<ProgramHoldout> programHoldout(String tenantId) {
        ProgramHoldoutService holdouts = new ProgramHoldoutService(jdbi, clock);
        LoadingCache<String, ProgramHoldout> cache =
                Caffeine.newBuilder()
                        .expireAfterWrite(PROGRAM_HOLDOUT_REFRESH)
                        .build(holdouts::get);
        return () -> cache.get(tenantId);
    }

    /**
     * Hands one pass's claimed sends to the relay. When its emails may show products, the
     * recipients' signals are read per claimed chunk, in one query per kind of signal, rather than
     * by each email: the rows built from them are the same.
     */
    private final class ChunkHandoff implements SendPipeline.Handoff {
        private final RunContext context;
        private final boolean readsSignals;

        /** Signals read for claimed sends not sent yet; each taken by its send. */
        private final Map<String, CustomerSignals> signals = new ConcurrentHashMap<>();

        ChunkHandoff(RunContext context) {
            this.context = context;
            // A variant may show products where the campaign's own templates do not.
            this.readsSignals =
                    context.model() != null
                            && (context.templates().showsProducts() || context.variants() != null);
        }

        @Override
        public void claimed(List<SendLedger.Candidate> chunk) {
            if (readsSignals) {
                signals.putAll(
                        composer.signals(
                                context.run().tenantId(),
                                context.model(),
                                chunk.stream().map(SendLedger.Candidate::customerId).toList()));
            }
        }

        @Override
        public SendLedger.Outcome send(SendLedger.Candidate candidate) throws InterruptedException {
            return CampaignSender.this.send(
                    context, candidate, signals.remove(candidate.customerId()));
        }
    }

    /**
     * Renders and hands one claimed send to the relay; says how it ended. {@code signals} are the
     * customer's as read with their chunk, or null to read them here if the email needs them.
     */
    private SendLedger.Outcome send(
            RunContext context, SendLedger.Candidate candidate, CustomerSignals signals)
            throws InterruptedException {
        String customerId = candidate.customerId();
        Instant retryAt = clock.instant().plus(settings.relayRetryDelay());
        if (context.relayDown().get()) {
            // Claimed before the relay refused a send for now: wait with it.
            return SendLedger.Outcome.deferred(customerId, retryAt, "relay unavailable");
        }
        SendLedger.Run run = context.run();
        OfferRenderer.RenderedEmail email;
        try {
            Campaign campaign = context.campaign();
            OfferRenderer.Templates templates = context.templates();
            if (context.variants() != null) {
                // Chosen and recorded on the ledger row before the relay sees anything.
                VariantAllocator.Choice choice = context.variants().choose(customerId);
                campaign = choice.campaign();
                templates = choice.templates();
            }
            email =
                    composer.compose(
                            campaign,
                            templates,
                            context.model(),
                            new MailLinks.Recipient(
                                    run.tenantId(), run.campaignId(), run.runId(), customerId),
                            candidate.email(),
                            context.sender(),
                            candidate.messageId(),
                            context.cards(),
                            // Read with the claim: no query of its own per email.
                            EmailComposer.personal(candidate.locale(), candidate.attributes()),
                            signals);
        } catch (RuntimeException e) {
            // Not the recipient's fault and maybe not lasting: try again later, until it expires.
            LOG.error("Could not render the email to {} of {}", customerId, run, e);
            return SendLedger.Outcome.deferred(
                    customerId, retryAt, truncate("could not render: " + e.getMessage()));
        }
        context.pacer().await();
        SendResult result = mailer.send(email);
        return switch (result.status()) {
            case SENT -> SendLedger.Outcome.sent(customerId);
            case PERMANENT_FAILURE -> {
                if (result.recipientRefused()) {
                    mailEvents.recipientRefused(
                            run,
                            customerId,
                            candidate.email(),
                            candidate.messageId(),
                            result.reason());
                }
                yield SendLedger.Outcome.failed(customerId, truncate(result.reason()));
            }
            case TEMPORARY_FAILURE -> {
                context.relayDown().set(true);
                yield SendLedger.Outcome.deferred(
                        customerId,
                        clock.instant().plus(settings.relayRetryDelay()),
                        truncate("relay unavailable: " + result.reason()));
            }
        };
    }

    /**
     * Whether {@code run}'s late sends are to be marked EXPIRED now; see {@link #EXPIRY_INTERVAL}.
     */
    private boolean expiryDue(SendLedger.Run run) {
        Instant now = clock.instant();
        Instant last = lastExpired.get(run);
        if (last != null && now.isBefore(last.plus(EXPIRY_INTERVAL)) && !now.isBefore(last)) {
            return false;
        }
        lastExpired.put(run, now);
        return true;
    }

    /** Lets the campaign service complete the run when nothing is left to send. */
    private void finishIfDone(SendLedger.Run run) {
        if (campaigns.finishRunIfDone(run)) {
            lastExpired.remove(run);
        }
    }

    private static String truncate(String reason) {
        if (reason == null) {
            return null;
        }
        return reason.length() <= 500 ? reason : reason.substring(0, 497) + "...";
    }
}
