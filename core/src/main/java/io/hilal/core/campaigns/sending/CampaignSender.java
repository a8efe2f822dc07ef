package io.hilal.core.campaigns.sending;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignDao;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.CampaignStatus;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.OfferRenderer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.feedback.MailEventService;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.mail.Mailer;
import io.hilal.core.campaigns.mail.SendResult;
import io.hilal.core.campaigns.variants.VariantAllocator;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
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

    /** How long a dead worker's heartbeat row is kept (and reported as a stale peer). */
    public static final Duration DEAD_WORKER_RETENTION = Duration.ofHours(1);

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
        static Summary of(Counters c, boolean relayDown) {
            return new Summary(
                    c.sent.get(),
                    c.deferred.get(),
                    c.suppressed.get(),
                    c.failed.get(),
                    c.expired.get(),
                    relayDown);
        }

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

    private static final class Counters {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger deferred = new AtomicInteger();
        final AtomicInteger suppressed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger expired = new AtomicInteger();
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
    private final MailEventService mailEvents;

    /** When this sender last marked each unfinished run's late sends EXPIRED. */
    private final Map<SendLedger.Run, Instant> lastExpired = new ConcurrentHashMap<>();

    /** When this sender last forgot old send counts; null: not yet. */
    private volatile Instant countsForgotten;

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
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Workers other than this one whose heartbeat stopped longer than the heartbeat timeout ago
     * (their rows stay, reported, for {@link #DEAD_WORKER_RETENTION}).
     */
    public List<String> stalePeers() {
        Instant cutoff = clock.instant().minus(settings.heartbeatTimeout());
        return jdbi.withExtension(SendLedgerDao.class, dao -> dao.staleWorkers(cutoff)).stream()
                .filter(id -> !id.equals(settings.workerId()))
                .toList();
    }

    /** Writes this process's heartbeat: its SENDING rows are its own while it beats. */
    public void heartbeat() {
        jdbi.useExtension(
                SendLedgerDao.class, dao -> dao.heartbeat(settings.workerId(), clock.instant()));
    }

    /**
     * Removes this process's heartbeat row, for a sender whose work is over and that holds no
     * SENDING row (the demo's replay, whose replayed clock would leave a heartbeat years old on the
     * dashboard's workers table).
     */
    public void retire() {
        jdbi.useExtension(SendLedgerDao.class, dao -> dao.forgetWorker(settings.workerId()));
    }

    /**
     * Turns the SENDING rows of processes whose heartbeat stopped into UNKNOWN_INFLIGHT (or back to
     * PLANNED when configured to resend); returns how many.
     */
    public int recover() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(settings.heartbeatTimeout());
        int recovered = 0;
        for (CampaignDao.RunRow run :
                jdbi.withExtension(CampaignDao.class, CampaignDao::unfinishedRuns)) {
            SendLedger.Run key = new SendLedger.Run(run.tenantId(), run.campaignId(), run.runId());
            Map<String, Integer> byWorker =
                    ledger.recoverDeadByWorker(key, cutoff, settings.resendUnknown());
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
        jdbi.useExtension(
                SendLedgerDao.class,
                dao -> {
                    // A dead worker's row is only a report by now (its sends were recovered
                    // above, a missing row counts as dead): named once in the log, then gone.
                    Instant forgetBefore = now.minus(DEAD_WORKER_RETENTION);
                    List<String> dead = dao.staleWorkers(forgetBefore);
                    if (!dead.isEmpty() && dao.forgetWorkers(forgetBefore) > 0) {
                        LOG.warn(
                                "Forgot {} worker(s) silent for over {}: {}",
                                dead.size(),
                                DEAD_WORKER_RETENTION,
                                String.join(", ", dead));
                    }
                    Instant forgotten = countsForgotten;
                    if (forgotten == null
                            || !now.isBefore(forgotten.plus(FORGET_COUNTS_INTERVAL))
                            || now.isBefore(forgotten)) {
                        // A tenant's day started at most 14 hours before UTC's (UTC+14).
                        dao.forgetSendCounts(now.minus(Duration.ofDays(2)));
                        countsForgotten = now;
                    }
                });
        return recovered;
    }

    /** {@code task} run with the caller's log context (tenant, campaign, run), as its lines say. */
    private static <T> java.util.concurrent.Callable<T> withLogContext(
            java.util.concurrent.Callable<T> task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                return task.call();
            } finally {
                if (previous != null) {
                    MDC.setContextMap(previous);
                } else {
                    MDC.clear();
                }
            }
        };
    }

    /** Sends everything due now, run by run, and finishes runs with nothing left. */
    public Summary sendDue() throws InterruptedException {
        Summary total = new Summary(0, 0, 0, 0, 0, false);
        for (CampaignDao.RunRow run :
                jdbi.withExtension(CampaignDao.class, dao -> dao.activeRuns(clock.instant()))) {
            Summary summary;
            try (var tenant = MDC.putCloseable("tenantId", run.tenantId());
                    var campaign = MDC.putCloseable("campaignId", run.campaignId());
                    var job = MDC.putCloseable("jobId", "send-" + run.runId())) {
                summary =
                        sendDue(new SendLedger.Run(run.tenantId(), run.campaignId(), run.runId()));
            }
            total = total.plus(summary);
            if (summary.relayDown()) {
                break;
            }
        }
        return total;
    }

    /** Sends what is due in one run until nothing is, the campaign pauses or the relay fails. */
    public Summary sendDue(SendLedger.Run run) throws InterruptedException {
        Counters counters = new Counters();
        AtomicBoolean relayDown = new AtomicBoolean();
        Campaign campaign = campaigns.get(run.tenantId(), run.campaignId());
        if (campaign.status() != CampaignStatus.SCHEDULED) {
            return Summary.of(counters, false);
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
                        VariantAllocator.of(jdbi, clock, run.tenantId(), run.runId(), campaign));
        DueSteps due =
                new DueSteps(
                        run,
                        tenantZone,
                        SendPolicy.dailyCap(settings.tenantDailyCap(), limits.dailyCap()),
                        pace.claimBatch());
        while (!relayDown.get() && due.list(true)) {
            new Pipeline(context, due).run();
        }
        finishIfDone(run);
        return Summary.of(counters, relayDown.get());
    }

    /**
     * A run's due sends, in steps of one claim batch, listed a batch at a time by the claiming
     * thread. Without a daily cap it lists the next batch as soon as it has claimed the last step,
     * so the sending threads never wait for a listing; with one, the next batch is listed once
     * every send of the last is recorded, so that the count of today's sends is complete. Another
     * worker listing the same sends is harmless: the claim's lock and state check let exactly one
     * have each.
     */
    private final class DueSteps {
        private final SendLedger.Run run;
        private final ZoneId tenantZone;
        private final long dailyCap;
        private final int claimBatch;
        private final Queue<List<String>> steps = new ArrayDeque<>();

        /**
         * The running pipeline's connection, which lists the next batches between its steps; null
         * between pipelines.
         */
        private SendLedger.Steps pipeline;

        DueSteps(SendLedger.Run run, ZoneId tenantZone, long dailyCap, int claimBatch) {
            this.run = run;
            this.tenantZone = tenantZone;
            this.dailyCap = dailyCap;
            this.claimBatch = claimBatch;
        }

        /**
         * Lists on {@code ledgerSteps}'s connection from now on; null: on connections of its own.
         */
        void listOn(SendLedger.Steps ledgerSteps) {
            this.pipeline = ledgerSteps;
        }

        /**
         * The campaign's status alone: looked up before every batch (a pause takes effect there),
         * so it skips reading and parsing the whole campaign.
         */
        private String status() {
            return jdbi.withHandle(
                    handle -> {
                        try (SendStepDao dao = new SendStepDao(handle)) {
                            return dao.campaignStatus(run.tenantId(), run.campaignId());
                        }
                    });
        }

        /** The next step, or null when nothing is due (or the campaign paused, or hit its cap). */
        List<String> next() {
            if (steps.isEmpty() && dailyCap == 0) {
                list(false);
            }
            return steps.poll();
        }

        /**
         * Lists the next batch of due sends into steps, first expiring what can no longer go out
         * when {@code expire} (only while this process has no claims open: see {@link
         * SendLedger#dueWithoutExpiring}); false when none is due, the campaign is no longer
         * scheduled or the tenant reached its daily cap.
         */
        boolean list(boolean expire) {
            List<String> due;
            if (pipeline != null && !expire && dailyCap == 0) {
                // Between a pipeline's steps (nothing to expire, no cap to read first): the status
                // and the due sends in one round trip.
                SendLedger.Listing listing = pipeline.listDue(settings.batchSize());
                if (!CampaignStatus.SCHEDULED.wireName().equals(listing.campaignStatus())) {
                    return false;
                }
                due = listing.due();
            } else {
                if (!CampaignStatus.SCHEDULED.wireName().equals(status())) {
                    return false;
                }
                if (expire && expiryDue(run)) {
                    // Before the daily cap's check: a capped run's late sends still end EXPIRED
                    // today.
                    ledger.expire(run);
                }
                int batch = settings.batchSize();
                if (dailyCap > 0) {
                    Instant dayStart =
                            LocalDate.ofInstant(clock.instant(), tenantZone)
                                    .atStartOfDay(tenantZone)
                                    .toInstant();
                    long left =
                            dailyCap
                                    - jdbi.withExtension(
                                            SendLedgerDao.class,
                                            dao -> dao.sentSince(run.tenantId(), dayStart));
                    if (left <= 0) {
                        LOG.info("Tenant {} reached its daily send cap", run.tenantId());
                        return false;
                    }
                    batch = (int) Math.min(batch, left);
                }
                due = ledger.dueWithoutExpiring(run, batch);
            }
            for (int from = 0; from < due.size(); from += claimBatch) {
                steps.add(due.subList(from, Math.min(due.size(), from + claimBatch)));
            }
            return !due.isEmpty();
        }
    }

    /** What every send of one run shares. */
    private record RunContext(
            SendLedger.Run run,
            Campaign campaign,
            OfferRenderer.Templates templates,
            RecommendationModel model,
            SenderIdentity sender,
            CampaignRequest.Limits limits,
            ZoneId tenantZone,
            Map<String, OfferRenderer.ProductCard> cards,
            SendPace pace,
            Pacer pacer,
            Counters counters,
            AtomicBoolean relayDown,
            VariantAllocator variants) {}

    /**
     * Sends listed steps until none is left, the relay fails or something stops it. The calling
     * thread claims: in one commit it records how the sends that ended since its last commit ended
     * and claims the next step, as soon as the sends in flight (claimed, not yet recorded as ended)
     * leave room for the step under the concurrency. The {@link Settings#threads()} sending threads
     * only render and hand claimed sends to the relay, so the relay never waits for a commit, and a
     * crash still leaves at most {@code concurrency} sends of unknown fate. On the way out,
     * whatever happens, the sending threads finish the send in their hands, claimed sends no thread
     * took are deferred (they never reached the relay), and every ended send is recorded.
     */
    private final class Pipeline {
        private final RunContext context;
        private final DueSteps steps;
        private final ReentrantLock lock = new ReentrantLock();

        /** Signalled when claims are added, or sending ends: the sending threads wait on it. */
        private final Condition claimsAdded = lock.newCondition();

        /** Signalled when the claiming thread's next step fits, or sending must stop. */
        private final Condition roomMade = lock.newCondition();

        private final Queue<SendLedger.Candidate> claimed = new ArrayDeque<>();
        private List<SendLedger.Outcome> ended = new ArrayList<>();
        private int inFlight;
        private int wanted;
        private boolean noMoreClaims;
        private boolean stopped;

        Pipeline(RunContext context, DueSteps steps) {
            this.context = context;
            this.steps = steps;
        }

        void run() throws InterruptedException {
            // No more threads than sends the run may have in flight.
            int threads = Math.min(settings.threads(), context.pace().inFlight());
            List<Future<?>> senders = new ArrayList<>(threads);
            try {
                for (int i = 0; i < threads; i++) {
                    senders.add(executor.submit(withLogContext(this::sendClaimed)));
                }
                try (SendLedger.Steps ledgerSteps =
                        ledger.steps(context.run(), settings.workerId())) {
                    steps.listOn(ledgerSteps);
                    try {
                        claimSteps(ledgerSteps);
                    } finally {
                        steps.listOn(null);
                    }
                }
            } finally {
                finish(senders);
            }
        }

        /** The claiming loop, on the calling thread, over one connection. */
        private void claimSteps(SendLedger.Steps ledgerSteps) throws InterruptedException {
            CampaignRequest.FrequencyCap cap = context.limits().frequencyCap();
            List<String> step;
            while ((step = steps.next()) != null) {
                List<SendLedger.Outcome> recording = awaitRoomFor(step.size());
                if (recording == null) {
                    return;
                }
                Instant now = clock.instant();
                SendLedger.Step claim;
                try {
                    claim =
                            ledgerSteps.settleAndClaim(
                                    recording,
                                    step,
                                    cap == null ? null : now.minus(Duration.ofDays(cap.days())),
                                    candidate ->
                                            SendPolicy.check(
                                                    candidate,
                                                    now,
                                                    context.tenantZone(),
                                                    context.limits()));
                } catch (RuntimeException e) {
                    // Rolled back: those sends are still to be recorded, on the way out.
                    lock.lock();
                    try {
                        ended.addAll(recording);
                    } finally {
                        lock.unlock();
                    }
                    throw e;
                }
                for (SendLedger.Outcome outcome : claim.settled()) {
                    count(context.counters(), outcome.state());
                }
                lock.lock();
                try {
                    inFlight += claim.claimed().size() - recording.size();
                    claimed.addAll(claim.claimed());
                    claimsAdded.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }

        /**
         * Waits until a step of {@code size} fits under the concurrency once the ended sends are
         * recorded, and takes those; null when sending must stop (the relay failed, or a sending
         * thread did).
         */
        private List<SendLedger.Outcome> awaitRoomFor(int size) throws InterruptedException {
            lock.lock();
            try {
                wanted = size;
                while (!stopped && !context.relayDown().get() && !roomFor(size)) {
                    roomMade.await();
                }
                if (stopped || context.relayDown().get()) {
                    return null;
                }
                List<SendLedger.Outcome> taken = ended;
                ended = new ArrayList<>();
                return taken;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Whether a step of {@code size} fits under the concurrency once the ended sends are
         * recorded (under the lock).
         */
        private boolean roomFor(int size) {
            return inFlight - ended.size() + size <= context.pace().inFlight();
        }

        /** One sending thread: sends claimed sends until there are no more, or it must stop. */
        private Void sendClaimed() throws InterruptedException {
            try {
                while (true) {
                    SendLedger.Candidate candidate;
                    lock.lock();
                    try {
                        while (claimed.isEmpty() && !noMoreClaims && !stopped) {
                            claimsAdded.await();
                        }
                        if (stopped || claimed.isEmpty()) {
                            return null;
                        }
                        candidate = claimed.poll();
                    } finally {
                        lock.unlock();
                    }
                    SendLedger.Outcome outcome = send(context, candidate);
                    count(context.counters(), outcome.state());
                    lock.lock();
                    try {
                        ended.add(outcome);
                        if (context.relayDown().get() || roomFor(wanted)) {
                            roomMade.signal();
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            } catch (InterruptedException | RuntimeException e) {
                // The send in hand stays SENDING: whether the relay got it is unknown.
                stop();
                throw e;
            }
        }

        private void stop() {
            lock.lock();
            try {
                stopped = true;
                claimsAdded.signalAll();
                roomMade.signal();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Lets the sending threads finish, defers the claimed sends none of them took and records
         * every ended send.
         */
        private void finish(List<Future<?>> senders) {
            lock.lock();
            try {
                noMoreClaims = true;
                if (Thread.currentThread().isInterrupted()) {
                    stopped = true;
                }
                claimsAdded.signalAll();
            } finally {
                lock.unlock();
            }
            boolean interrupted = false;
            for (Future<?> sender : senders) {
                while (true) {
                    try {
                        sender.get();
                        break;
                    } catch (InterruptedException e) {
                        // The outcomes must be recorded after the last send: keep waiting.
                        interrupted = true;
                        stop();
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof InterruptedException)) {
                            LOG.error("A sending thread failed", e.getCause());
                        }
                        break;
                    }
                }
            }
            List<SendLedger.Outcome> outcomes;
            lock.lock();
            try {
                outcomes = ended;
                Instant now = clock.instant();
                for (SendLedger.Candidate candidate : claimed) {
                    SendLedger.Outcome outcome =
                            SendLedger.Outcome.deferred(
                                    candidate.customerId(), now, "not sent: sending stopped");
                    count(context.counters(), outcome.state());
                    outcomes.add(outcome);
                }
                claimed.clear();
                ended = new ArrayList<>();
            } finally {
                lock.unlock();
            }
            try {
                ledger.record(context.run(), settings.workerId(), outcomes);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Renders and hands one claimed send to the relay; says how it ended. */
    private SendLedger.Outcome send(RunContext context, SendLedger.Candidate candidate)
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
                            context.cards());
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

    private static void count(Counters counters, SendState state) {
        switch (state) {
            case SENT -> counters.sent.incrementAndGet();
            case FAILED -> counters.failed.incrementAndGet();
            case SUPPRESSED -> counters.suppressed.incrementAndGet();
            case DEFERRED -> counters.deferred.incrementAndGet();
            case EXPIRED -> counters.expired.incrementAndGet();
            default -> {
                // nothing else ends a step
            }
        }
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

    /** Spaces sends evenly at a rate per second (none when the rate is 0). */
    private static final class Pacer {
        private final long intervalNanos;
        private long next = System.nanoTime();

        Pacer(double perSecond) {
            this.intervalNanos = perSecond > 0 ? (long) (1_000_000_000L / perSecond) : 0;
        }

        void await() throws InterruptedException {
            if (intervalNanos == 0) {
                return;
            }
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                next = Math.max(next, now) + intervalNanos;
                wait = next - intervalNanos - now;
            }
            if (wait > 0) {
                // A throttle is a wait by definition.
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }
}
