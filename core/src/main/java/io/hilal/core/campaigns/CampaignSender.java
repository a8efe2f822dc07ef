package io.hilal.core.campaigns;

import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.mail.Mailer;
import io.hilal.core.campaigns.mail.SendResult;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what is due in the ledger. Each recipient is claimed (PLANNED or DEFERRED → SENDING) in its
 * own committed transaction before the relay sees anything, then checked again — consent,
 * suppression (an unsubscribe takes effect before the next send), quiet hours in the customer's
 * local time, the frequency cap across campaigns — rendered, handed to the relay over pooled
 * connections, and recorded SENT or FAILED. A send that may not go out now is DEFERRED inside its
 * validity window (never dropped), or EXPIRED when the window closes first. Each of {@code
 * concurrency} threads holds at most one claim, so a crash leaves at most that many sends of
 * unknown fate; {@link #recover()} marks them UNKNOWN_INFLIGHT and they are not sent again.
 */
public final class CampaignSender {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignSender.class);

    /** How a sending process behaves. */
    public record Settings(
            String workerId,
            int concurrency,
            int batchSize,
            Duration relayRetryDelay,
            Duration heartbeatTimeout,
            boolean resendUnknown,
            long tenantDailyCap,
            double tenantPerSecond) {

        public Settings {
            if (concurrency < 1 || batchSize < 1) {
                throw new IllegalArgumentException("concurrency and batch size must be positive");
            }
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
    }

    public Settings settings() {
        return settings;
    }

    /** Writes this process's heartbeat: its SENDING rows are its own while it beats. */
    public void heartbeat() {
        jdbi.useExtension(
                SendLedgerDao.class, dao -> dao.heartbeat(settings.workerId(), clock.instant()));
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
            recovered +=
                    ledger.recoverDead(
                            new SendLedger.Run(run.tenantId(), run.campaignId(), run.runId()),
                            cutoff,
                            settings.resendUnknown());
        }
        if (recovered > 0) {
            LOG.warn(
                    "{} sends were in flight when their worker stopped: marked {}",
                    recovered,
                    settings.resendUnknown() ? "PLANNED (resend)" : "UNKNOWN_INFLIGHT");
        }
        jdbi.useExtension(
                SendLedgerDao.class, dao -> dao.forgetWorkers(now.minus(Duration.ofDays(7))));
        return recovered;
    }

    /** Sends everything due now, run by run, and finishes runs with nothing left. */
    public Summary sendDue() throws InterruptedException {
        Summary total = new Summary(0, 0, 0, 0, 0, false);
        for (CampaignDao.RunRow run :
                jdbi.withExtension(CampaignDao.class, dao -> dao.activeRuns(clock.instant()))) {
            Summary summary =
                    sendDue(new SendLedger.Run(run.tenantId(), run.campaignId(), run.runId()));
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
        SenderIdentity sender = campaigns.senderIdentity(run.tenantId());
        OfferRenderer.Templates templates = OfferRenderer.compile(campaign.offer());
        RecommendationModel model = models.apply(run.tenantId());
        Map<String, OfferRenderer.ProductCard> cards = new ConcurrentHashMap<>();
        CampaignRequest.Limits limits = campaign.limits();
        Pacer pacer = new Pacer(perSecond(limits));
        long dailyCap = dailyCap(limits);

        while (!relayDown.get()) {
            if (campaigns.get(run.tenantId(), run.campaignId()).status()
                    != CampaignStatus.SCHEDULED) {
                break;
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
                    break;
                }
                batch = (int) Math.min(batch, left);
            }
            List<String> due = ledger.due(run, batch);
            if (due.isEmpty()) {
                break;
            }
            List<Callable<Void>> tasks = new ArrayList<>(due.size());
            for (String customerId : due) {
                tasks.add(
                        () -> {
                            if (!relayDown.get()) {
                                pacer.await();
                                sendOne(
                                        run,
                                        campaign,
                                        templates,
                                        model,
                                        sender,
                                        limits,
                                        tenantZone,
                                        cards,
                                        customerId,
                                        counters,
                                        relayDown);
                            }
                            return null;
                        });
            }
            runAll(tasks);
        }
        finishIfDone(run);
        return Summary.of(counters, relayDown.get());
    }

    private void runAll(List<Callable<Void>> tasks) throws InterruptedException {
        // At most `concurrency` tasks at a time, so at most that many claims are open at once.
        List<Future<Void>> running = new ArrayList<>();
        java.util.concurrent.Semaphore slots =
                new java.util.concurrent.Semaphore(settings.concurrency());
        for (Callable<Void> task : tasks) {
            slots.acquire();
            running.add(
                    executor.submit(
                            () -> {
                                try {
                                    return task.call();
                                } finally {
                                    slots.release();
                                }
                            }));
        }
        for (Future<Void> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                LOG.error("A send task failed", e.getCause());
            }
        }
    }

    private void sendOne(
            SendLedger.Run run,
            Campaign campaign,
            OfferRenderer.Templates templates,
            RecommendationModel model,
            SenderIdentity sender,
            CampaignRequest.Limits limits,
            ZoneId tenantZone,
            Map<String, OfferRenderer.ProductCard> cards,
            String customerId,
            Counters counters,
            AtomicBoolean relayDown)
            throws InterruptedException {
        String worker = settings.workerId();
        if (!ledger.claim(run, customerId, worker)) {
            return;
        }
        CampaignRequest.FrequencyCap cap = limits.frequencyCap();
        Instant capSince = clock.instant().minus(Duration.ofDays(cap == null ? 0 : cap.days()));
        SendLedgerDao.Recipient customer =
                jdbi.withExtension(
                        SendLedgerDao.class,
                        dao ->
                                dao.recipient(
                                        run.tenantId(),
                                        run.campaignId(),
                                        run.runId(),
                                        customerId,
                                        capSince));
        if (customer.email() == null) {
            ledger.suppressed(run, customerId, worker, "no email address");
            counters.suppressed.incrementAndGet();
            return;
        }
        if (!"granted".equals(customer.emailConsent())) {
            ledger.suppressed(run, customerId, worker, "no email consent");
            counters.suppressed.incrementAndGet();
            return;
        }
        if (customer.suppressed()) {
            ledger.suppressed(run, customerId, worker, "address on the suppression list");
            counters.suppressed.incrementAndGet();
            return;
        }
        Instant now = clock.instant();
        Instant validUntil = customer.validUntil();
        ZoneId zone = AudienceService.zone(customer.timeZone(), tenantZone);
        Instant quietEnd = quietHoursEnd(limits.quietHours(), now, zone);
        if (quietEnd != null) {
            holdBack(run, customerId, quietEnd, validUntil, "quiet hours", counters);
            return;
        }
        Instant capEnd =
                cap == null || customer.recentSends() < cap.count()
                        ? null
                        : frequencyCapEnd(run, customerId, cap, now);
        if (capEnd != null) {
            holdBack(run, customerId, capEnd, validUntil, "frequency cap", counters);
            return;
        }
        OfferRenderer.RenderedEmail email =
                composer.compose(
                        campaign,
                        templates,
                        model,
                        new MailLinks.Recipient(
                                run.tenantId(), run.campaignId(), run.runId(), customerId),
                        customer.email(),
                        sender,
                        ledger.messageId(run, customerId),
                        cards);
        SendResult result = mailer.send(email);
        switch (result.status()) {
            case SENT -> {
                ledger.sent(run, customerId, worker);
                counters.sent.incrementAndGet();
            }
            case PERMANENT_FAILURE -> {
                ledger.failed(run, customerId, worker, truncate(result.reason()));
                counters.failed.incrementAndGet();
            }
            case TEMPORARY_FAILURE -> {
                relayDown.set(true);
                ledger.defer(
                        run,
                        customerId,
                        worker,
                        clock.instant().plus(settings.relayRetryDelay()),
                        truncate("relay unavailable: " + result.reason()));
                counters.deferred.incrementAndGet();
            }
        }
    }

    private void holdBack(
            SendLedger.Run run,
            String customerId,
            Instant until,
            Instant validUntil,
            String why,
            Counters counters) {
        if (!until.isBefore(validUntil)) {
            ledger.expired(
                    run, customerId, settings.workerId(), why + " until after the offer ended");
            counters.expired.incrementAndGet();
        } else {
            ledger.defer(run, customerId, settings.workerId(), until, why);
            counters.deferred.incrementAndGet();
        }
    }

    /** The end of the quiet hours {@code now} falls in, in the customer's zone; else null. */
    static Instant quietHoursEnd(CampaignRequest.QuietHours quiet, Instant now, ZoneId zone) {
        if (quiet == null) {
            return null;
        }
        LocalDateTime local = LocalDateTime.ofInstant(now, zone);
        LocalTime time = local.toLocalTime();
        LocalTime start = quiet.start();
        LocalTime end = quiet.end();
        boolean quietNow =
                start.isBefore(end)
                        ? !time.isBefore(start) && time.isBefore(end)
                        : !time.isBefore(start) || time.isBefore(end);
        if (!quietNow) {
            return null;
        }
        LocalDate endDate =
                time.isBefore(end) ? local.toLocalDate() : local.toLocalDate().plusDays(1);
        return endDate.atTime(end).atZone(zone).toInstant();
    }

    /** When the customer is under the cap again, or null if they are under it now. */
    private Instant frequencyCapEnd(
            SendLedger.Run run, String customerId, CampaignRequest.FrequencyCap cap, Instant now) {
        if (cap == null) {
            return null;
        }
        Duration window = Duration.ofDays(cap.days());
        List<Instant> recent =
                jdbi.withExtension(
                        SendLedgerDao.class,
                        dao ->
                                dao.recentSends(
                                        run.tenantId(),
                                        customerId,
                                        run.campaignId(),
                                        run.runId(),
                                        now.minus(window)));
        if (recent.size() < cap.count()) {
            return null;
        }
        // The oldest send that must age out for one more to fit.
        return recent.get(recent.size() - cap.count()).plus(window);
    }

    private void finishIfDone(SendLedger.Run run) {
        long left =
                jdbi.withExtension(
                        SendLedgerDao.class,
                        dao -> dao.unfinished(run.tenantId(), run.campaignId(), run.runId()));
        if (left > 0) {
            return;
        }
        Instant now = clock.instant();
        jdbi.useTransaction(
                handle -> {
                    CampaignDao dao = handle.attach(CampaignDao.class);
                    dao.finishRun(run.tenantId(), run.campaignId(), run.runId(), "completed", now);
                    boolean allDone =
                            dao.runs(run.tenantId(), run.campaignId()).stream()
                                    .allMatch(r -> !"active".equals(r.status()));
                    if (allDone) {
                        dao.transition(
                                run.tenantId(),
                                run.campaignId(),
                                CampaignStatus.SCHEDULED.wireName(),
                                CampaignStatus.COMPLETED.wireName(),
                                now);
                    }
                });
    }

    private long dailyCap(CampaignRequest.Limits limits) {
        long cap = settings.tenantDailyCap();
        if (limits.dailyCap() != null) {
            cap = cap > 0 ? Math.min(cap, limits.dailyCap()) : limits.dailyCap();
        }
        return cap;
    }

    private double perSecond(CampaignRequest.Limits limits) {
        double rate = settings.tenantPerSecond();
        if (limits.perSecond() != null) {
            rate = rate > 0 ? Math.min(rate, limits.perSecond()) : limits.perSecond();
        }
        return rate;
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
