package io.hilal.core.campaigns.sending;

import io.hilal.core.db.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The exactly-once ledger of a campaign run. Before an email goes to the relay its row is moved
 * PLANNED → SENDING in a committed transaction; after the relay answers it moves to SENT or FAILED
 * (in the commit of the same worker's next claim, see {@link #settleAndClaim}). A worker that dies
 * in between leaves SENDING rows, which recovery turns into UNKNOWN_INFLIGHT rather than sending
 * again: at most the sends in flight at the crash (bounded by send concurrency) have an unknown
 * fate, and no customer gets a second copy.
 */
public final class SendLedger {
    /**
     * How far another worker's clock may run ahead of this one's: a send in flight was due by its
     * claimer's clock, so recovery looks for sends in flight among those due by now plus this.
     * (Quartz's clustering needs synchronized clocks anyway.)
     */
    static final Duration CLOCK_ALLOWANCE = Duration.ofHours(1);

    private final Jdbi jdbi;
    private final Clock clock;
    private final String messageIdDomain;

    public SendLedger(Jdbi jdbi, Clock clock, String messageIdDomain) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.messageIdDomain = messageIdDomain;
    }

    /** Identifies one run of one campaign of one tenant. */
    public record Run(String tenantId, String campaignId, String runId) {}

    /** A campaign's sends of unknown fate nobody decided on yet, per run and worker. */
    public record UnknownSends(String runId, String worker, long sends, Instant since) {}

    /** Writes the run's recipients; held-out customers are recorded as HELD_OUT, never sent. */
    public void plan(Run run, List<PlannedSend> sends) {
        Instant now = clock.instant();
        jdbi.useTransaction(handle -> in(handle).plan(run, sends, now));
    }

    /**
     * The ledger's writes that belong to a transaction of the caller's (a launch, a journey's
     * entries, a decision on sends of unknown fate, a run's completion, a cancellation), which
     * changes the campaign's rows in the same commit.
     */
    public InTransaction in(Handle handle) {
        return new InTransaction(handle.attach(SendLedgerDao.class));
    }

    /** The ledger inside a transaction of the caller's; see {@link #in}. */
    public final class InTransaction {
        private static final int PLAN_BATCH = 1000;

        private final SendLedgerDao dao;

        private InTransaction(SendLedgerDao dao) {
            this.dao = dao;
        }

        /**
         * Writes the run's recipients: held-out customers as HELD_OUT, never sent, the others
         * PLANNED. Planning a customer twice leaves the first row as it is.
         */
        public void plan(Run run, List<PlannedSend> sends, Instant now) {
            write(run, sends, now, false);
        }

        /**
         * As {@link #plan}, for a launch: a send whose offer ended by {@code now} is EXPIRED at
         * once rather than planned.
         */
        public void planLaunch(Run run, List<PlannedSend> sends, Instant now) {
            write(run, sends, now, true);
        }

        private void write(Run run, List<PlannedSend> sends, Instant now, boolean expireEnded) {
            List<SendLedgerDao.Row> rows = new ArrayList<>(sends.size());
            for (PlannedSend send : sends) {
                SendState state =
                        send.heldOut()
                                ? SendState.HELD_OUT
                                : !expireEnded || send.validUntil().isAfter(now)
                                        ? SendState.PLANNED
                                        : SendState.EXPIRED;
                rows.add(
                        new SendLedgerDao.Row(
                                send.customerId(),
                                state.name(),
                                messageId(run, send.customerId()),
                                send.sendAt(),
                                send.validUntil(),
                                now));
            }
            for (int from = 0; from < rows.size(); from += PLAN_BATCH) {
                dao.plan(
                        run.tenantId(),
                        run.campaignId(),
                        run.runId(),
                        rows.subList(from, Math.min(rows.size(), from + PLAN_BATCH)));
            }
        }

        /** The run's sends not yet ended (PLANNED, DEFERRED, SENDING). */
        public long unfinished(Run run) {
            return dao.unfinished(run.tenantId(), run.campaignId(), run.runId());
        }

        /** Cancelling: the campaign's sends that have not gone out yet will not go out. */
        public int expireUnsent(String tenantId, String campaignId, Instant now) {
            return dao.expireUnsent(tenantId, campaignId, now);
        }

        /** The runs that {@link #resendUnknown} would give sends back to. */
        public List<String> runsWithUndecidedUnknown(String tenantId, String campaignId) {
            return dao.runsWithUndecidedUnknown(tenantId, campaignId);
        }

        /**
         * The marketer's decision to send a campaign's sends of unknown fate again: PLANNED and due
         * now, so the next sender claims them under every rule a send passes (an offer that ended
         * meanwhile expires them). Their Message-ID stays, so a relay or inbox that got the first
         * copy can recognise the second.
         */
        public int resendUnknown(String tenantId, String campaignId, Instant now) {
            return dao.resendUnknown(tenantId, campaignId, now);
        }

        /**
         * The marketer's decision to leave a campaign's sends of unknown fate as they are: they
         * stay UNKNOWN_INFLIGHT (they may have gone out, and count so against frequency caps),
         * decided.
         */
        public int closeUnknown(String tenantId, String campaignId, Instant now) {
            return dao.closeUnknown(tenantId, campaignId, now);
        }
    }

    /** A customer's order or cart add at {@code at}: the end of journeys triggered before it. */
    public record JourneyExit(String customerId, Instant at) {}

    /**
     * Journeys' exits: each order takes its customer out of the journeys entered before it, and
     * their emails that have not gone out expire; returns how many entries it ended (one per
     * customer and journey run). One batch of each for a page of orders, in one transaction.
     */
    public int exitJourneys(String tenantId, List<JourneyExit> orders, Instant now) {
        return exit(
                tenantId,
                orders,
                now,
                SendLedgerDao::exitJourneys,
                "customer ordered: left the journey");
    }

    /** As {@link #exitJourneys}, for browse abandonment, which a cart add also ends. */
    public int exitBrowseJourneys(String tenantId, List<JourneyExit> cartAdds, Instant now) {
        return exit(
                tenantId,
                cartAdds,
                now,
                SendLedgerDao::exitBrowseJourneys,
                "customer added to cart: left the journey");
    }

    /** Which entries an exit ends: one of the DAO's two batches, answering its affected rows. */
    private interface EntryExits {
        int[] exit(SendLedgerDao dao, String tenantId, List<JourneyExit> exits, Instant now);
    }

    private int exit(
            String tenantId,
            List<JourneyExit> exits,
            Instant now,
            EntryExits entries,
            String reason) {
        if (exits.isEmpty()) {
            return 0;
        }
        return jdbi.inTransaction(
                handle -> {
                    SendLedgerDao dao = handle.attach(SendLedgerDao.class);
                    int exited = sum(entries.exit(dao, tenantId, exits, now));
                    dao.expireExitedSends(tenantId, exits, reason, now);
                    return exited;
                });
    }

    private static int sum(int[] counts) {
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        return total;
    }

    /**
     * Records the offer variant chosen for a claimed send, before the relay sees it: its segment
     * (null: none) and the share of sends the variant had when chosen, for the lift report's
     * weights.
     */
    public void recordVariant(
            Run run, String customerId, String variant, String segment, double share, Instant now) {
        jdbi.useExtension(
                SendLedgerDao.class,
                dao ->
                        dao.recordVariant(
                                run.tenantId(),
                                run.campaignId(),
                                run.runId(),
                                customerId,
                                variant,
                                segment,
                                share,
                                now));
    }

    /** A campaign's sends of unknown fate after a crash that nobody decided on yet. */
    public List<UnknownSends> undecidedUnknown(String tenantId, String campaignId) {
        return jdbi.withExtension(
                SendLedgerDao.class, dao -> dao.undecidedUnknown(tenantId, campaignId));
    }

    /**
     * The campaign's status alone (its wire name; null if gone): a sender looks it up before every
     * batch (a pause takes effect there), so it skips reading and parsing the whole campaign.
     */
    public String campaignStatus(Run run) {
        return jdbi.withHandle(
                handle -> {
                    try (SendStepDao dao = new SendStepDao(handle)) {
                        return dao.campaignStatus(run.tenantId(), run.campaignId());
                    }
                });
    }

    /**
     * The tenant's emails sent since {@code since}, a quarter-hour boundary (as every local
     * midnight is): what a daily cap counts.
     */
    public long sentSince(String tenantId, Instant since) {
        return jdbi.withExtension(SendLedgerDao.class, dao -> dao.sentSince(tenantId, since));
    }

    /** The tenants with send counts of quarter hours before {@code before}. */
    public List<String> tenantsWithSendCountsBefore(Instant before) {
        return jdbi.withExtension(
                SendLedgerDao.class, dao -> dao.tenantsWithSendCountsBefore(before));
    }

    /** Forgets the tenant's send counts of quarter hours before {@code before}. */
    public int forgetSendCounts(String tenantId, Instant before) {
        return jdbi.withExtension(
                SendLedgerDao.class, dao -> dao.forgetSendCounts(tenantId, before));
    }

    /** {@link #expire}, then {@link #dueWithoutExpiring}. */
    public List<String> due(Run run, int limit) {
        expire(run);
        return dueWithoutExpiring(run, limit);
    }

    /**
     * Marks the run's waiting sends that can no longer go out in time EXPIRED; returns how many. It
     * locks every waiting send of the run it scans, so it can deadlock with another worker's claim;
     * it is tried again then.
     */
    public int expire(Run run) {
        Instant now = clock.instant();
        return Transactions.retrying(
                jdbi,
                handle ->
                        handle.attach(SendLedgerDao.class)
                                .expire(run.tenantId(), run.campaignId(), run.runId(), now));
    }

    /**
     * The run's sends due now that the tenant's daily send quota holds back: DEFERRED to {@code
     * until} (the tenant's next day) with {@code reason}, or EXPIRED when their offer ends first,
     * so the ledger says why they wait rather than leaving them planned in silence.
     */
    public void deferForQuota(Run run, Instant until, String reason) {
        Instant now = clock.instant();
        Transactions.retrying(
                jdbi,
                handle -> {
                    SendLedgerDao dao = handle.attach(SendLedgerDao.class);
                    dao.expireForQuota(
                            run.tenantId(),
                            run.campaignId(),
                            run.runId(),
                            now,
                            until,
                            reason + " until after the offer ended");
                    return dao.deferForQuota(
                            run.tenantId(), run.campaignId(), run.runId(), now, until, reason);
                });
    }

    /**
     * Lists what is due now without expiring anything: a plain read, for listing while other
     * threads claim (expiring locks every waiting send of the run it scans, and deadlocks with
     * their claims). What is past its validity is not listed either way.
     */
    public List<String> dueWithoutExpiring(Run run, int limit) {
        return dueWithoutExpiring(run, limit, SendPartition.WHOLE);
    }

    /** As {@link #dueWithoutExpiring(Run, int)}, within one worker's {@code share} of the run. */
    public List<String> dueWithoutExpiring(Run run, int limit, SendPartition share) {
        return jdbi.withHandle(
                handle -> {
                    try (SendStepDao dao = new SendStepDao(handle)) {
                        return dao.due(
                                run.tenantId(),
                                run.campaignId(),
                                run.runId(),
                                clock.instant(),
                                limit,
                                share);
                    }
                });
    }

    /**
     * Claims a planned or deferred send for this worker, in its own committed transaction; false
     * when another worker has it (or it moved on).
     */
    public boolean claim(Run run, String customerId, String worker) {
        return jdbi.onDemand(SendLedgerDao.class)
                        .claim(
                                run.tenantId(),
                                run.campaignId(),
                                run.runId(),
                                customerId,
                                worker,
                                clock.instant())
                == 1;
    }

    /**
     * How a send ended, or why it waits: recorded in a later transaction of the same worker. {@code
     * nextAttempt} only for DEFERRED.
     */
    public record Outcome(String customerId, SendState state, String reason, Instant nextAttempt) {
        public static Outcome sent(String customerId) {
            return new Outcome(customerId, SendState.SENT, null, null);
        }

        public static Outcome failed(String customerId, String reason) {
            return new Outcome(customerId, SendState.FAILED, reason, null);
        }

        public static Outcome suppressed(String customerId, String reason) {
            return new Outcome(customerId, SendState.SUPPRESSED, reason, null);
        }

        public static Outcome deferred(String customerId, Instant until, String reason) {
            return new Outcome(customerId, SendState.DEFERRED, reason, until);
        }

        public static Outcome expired(String customerId, String reason) {
            return new Outcome(customerId, SendState.EXPIRED, reason, null);
        }
    }

    /** A run's campaign's status (its wire name; null if gone) and the sends due now. */
    public record Listing(String campaignStatus, List<String> due) {}

    /** What one {@link #settleAndClaim} did: the sends it claimed and the ones it settled. */
    public record Step(List<Candidate> claimed, List<Outcome> settled) {}

    /**
     * A send that may go out now, as the checks before sending see it, with what its email needs of
     * the customer besides the address (their locale and attributes, JSON text), read by the same
     * locking statement so that composing the email costs no query of its own for them.
     */
    public record Candidate(
            String customerId,
            String messageId,
            Instant validUntil,
            String email,
            String timeZone,
            String emailConsent,
            boolean suppressed,
            List<Instant> recentSends,
            String locale,
            String attributes) {

        /** A candidate whose customer has no locale and no attributes. */
        public Candidate(
                String customerId,
                String messageId,
                Instant validUntil,
                String email,
                String timeZone,
                String emailConsent,
                boolean suppressed,
                List<Instant> recentSends) {
            this(
                    customerId,
                    messageId,
                    validUntil,
                    email,
                    timeZone,
                    emailConsent,
                    suppressed,
                    recentSends,
                    null,
                    null);
        }
    }

    /**
     * One worker's step through a run, in one transaction: records the outcomes of the sends it
     * claimed before ({@code done}), then locks the customers of {@code customerIds} and their
     * still claimable sends, reads what the checks need (consent, suppression, the campaign emails
     * each got since {@code capSince}, when there is a cap), lets {@code check} settle the ones
     * that may not go out now (its answer; null to send), and claims the rest.
     *
     * <p>Folding the previous outcomes into the next claim makes a send cost one commit, not two,
     * and no statement of its own: the step marks all its SENT sends in one UPDATE. A crash loses
     * nothing that was sent: until that commit, the sends stay SENDING, which recovery turns into
     * UNKNOWN_INFLIGHT, so a worker's unknown sends after a crash are at most what it has claimed
     * and not yet recorded: the sender keeps that under its concurrency. Locking the customer
     * before counting makes the frequency cap hold across workers and campaigns.
     */
    public Step settleAndClaim(
            Run run,
            String worker,
            List<Outcome> done,
            List<String> customerIds,
            Instant capSince,
            Function<Candidate, Outcome> check) {
        try (Steps steps = steps(run, worker)) {
            return steps.settleAndClaim(done, customerIds, capSince, check);
        }
    }

    /**
     * Opens a worker's way through a run's steps: one connection, held until {@link Steps#close},
     * whose step statements are prepared once. A pipeline of steps runs through one, and each step
     * is still its own transaction.
     */
    public Steps steps(Run run, String worker) {
        return new Steps(run, worker);
    }

    /** {@link #settleAndClaim} over one held connection; see {@link #steps}. */
    public final class Steps implements AutoCloseable {
        private final Run run;
        private final String worker;
        private final Handle handle;
        private final SendStepDao dao;

        private Steps(Run run, String worker) {
            this.run = run;
            this.worker = worker;
            this.handle = Transactions.openManualCommit(jdbi);
            try {
                SendStepDao.requireMultiQueries(handle);
            } catch (RuntimeException e) {
                Transactions.closeManualCommit(handle);
                throw e;
            }
            this.dao = new SendStepDao(handle);
        }

        /** As {@link SendLedger#settleAndClaim}, in a transaction of this connection. */
        public Step settleAndClaim(
                List<Outcome> done,
                List<String> customerIds,
                Instant capSince,
                Function<Candidate, Outcome> check) {
            List<String> sent = new ArrayList<>(done.size());
            List<Outcome> ended = new ArrayList<>();
            for (Outcome outcome : done) {
                if (outcome.state() == SendState.SENT) {
                    sent.add(outcome.customerId());
                } else {
                    ended.add(outcome);
                }
            }
            return Transactions.retryingCommittedBy(
                    handle, () -> step(sent, ended, customerIds, capSince, check));
        }

        /** One step's statements, ending with its COMMIT. */
        private Step step(
                List<String> sent,
                List<Outcome> ended,
                List<String> customerIds,
                Instant capSince,
                Function<Candidate, Outcome> check) {
            Instant now = clock.instant();
            if (!ended.isEmpty()) {
                dao.settle(run.tenantId(), run.campaignId(), run.runId(), ended, true, worker, now);
            }
            List<Candidate> claimed = new ArrayList<>(customerIds.size());
            List<Outcome> settled = new ArrayList<>();
            if (!customerIds.isEmpty()) {
                SendStepDao.Locked locked =
                        dao.lockAndRead(
                                run.tenantId(),
                                run.campaignId(),
                                run.runId(),
                                customerIds,
                                capSince);
                check(locked, check, claimed, settled);
            }
            if (!settled.isEmpty()) {
                dao.settle(
                        run.tenantId(), run.campaignId(), run.runId(), settled, false, worker, now);
            }
            dao.sentClaimedAndCommit(
                    run.tenantId(),
                    run.campaignId(),
                    run.runId(),
                    sent,
                    claimed.stream().map(Candidate::customerId).toList(),
                    worker,
                    now,
                    quarterOf(now));
            return new Step(claimed, settled);
        }

        /**
         * The run's campaign's status (its wire name; null if gone) and, as {@link
         * SendLedger#dueWithoutExpiring}, what is due in {@code share}, read together on this
         * connection: a pipeline lists its next sends between steps in one round trip, without
         * taking another connection from the pool.
         */
        public Listing listDue(int limit, SendPartition share) {
            return Transactions.retryingCommittedBy(
                    handle,
                    () ->
                            dao.statusAndDueAndCommit(
                                    run.tenantId(),
                                    run.campaignId(),
                                    run.runId(),
                                    clock.instant(),
                                    limit,
                                    share));
        }

        /** Ends any transaction left open, closes the statements and returns the connection. */
        @Override
        public void close() {
            try {
                dao.close();
            } finally {
                Transactions.closeManualCommit(handle);
            }
        }
    }

    /**
     * Sorts the {@code locked} sends into {@code claimed} (to send) and {@code settled} (the
     * check's answer), with what the step read of their customers.
     */
    private static void check(
            SendStepDao.Locked locked,
            Function<Candidate, Outcome> check,
            List<Candidate> claimed,
            List<Outcome> settled) {
        Set<String> suppressed = locked.suppressed();
        Map<String, List<Instant>> recent = new HashMap<>();
        for (SendStepDao.RecentSend send : locked.recent()) {
            recent.computeIfAbsent(send.customerId(), id -> new ArrayList<>()).add(send.at());
        }
        for (SendStepDao.Candidate row : locked.candidates()) {
            List<Instant> sends = recent.getOrDefault(row.customerId(), List.of());
            if (sends.size() > 1) {
                sends.sort(null);
            }
            Candidate candidate =
                    new Candidate(
                            row.customerId(),
                            row.messageId(),
                            row.validUntil(),
                            row.email(),
                            row.timeZone(),
                            row.emailConsent(),
                            row.email() != null && suppressed.contains(row.email()),
                            sends,
                            row.locale(),
                            row.attributes());
            Outcome outcome = check.apply(candidate);
            if (outcome == null) {
                claimed.add(candidate);
            } else {
                settled.add(outcome);
            }
        }
    }

    /** Records the outcomes of sends this worker claimed, in their own transaction. */
    public void record(Run run, String worker, List<Outcome> done) {
        if (!done.isEmpty()) {
            settleAndClaim(run, worker, done, List.of(), null, candidate -> null);
        }
    }

    /**
     * Records one send this worker claimed as SENT, and counts it for the tenant's daily cap: a
     * step of its own (see {@link #record}), where a pipeline's steps record many at a time.
     */
    public void sent(Run run, String customerId, String worker) {
        record(run, worker, List.of(Outcome.sent(customerId)));
    }

    /**
     * The quarter hour {@code instant} falls in, as the tenant's sent emails are counted: every
     * time zone's midnight is at a quarter-hour boundary, so a day's count is a sum of quarters.
     */
    static Instant quarterOf(Instant instant) {
        long seconds = instant.getEpochSecond();
        return Instant.ofEpochSecond(seconds - Math.floorMod(seconds, 900));
    }

    /**
     * Recovery after crashes: SENDING rows of workers whose heartbeat is older than {@code cutoff}
     * become UNKNOWN_INFLIGHT (or PLANNED again when {@code resend}: at-least-once, off by
     * default).
     */
    public int recoverDead(Run run, Instant cutoff, boolean resend) {
        return recoverDeadByWorker(run, cutoff, resend).values().stream()
                .mapToInt(Integer::intValue)
                .sum();
    }

    /** {@link #recoverDead}, saying how many sends of which dead worker it marked. */
    public Map<String, Integer> recoverDeadByWorker(Run run, Instant cutoff, boolean resend) {
        Instant now = clock.instant();
        Instant dueBy = now.plus(CLOCK_ALLOWANCE);
        return Transactions.retrying(
                jdbi,
                handle -> {
                    SendLedgerDao dao = handle.attach(SendLedgerDao.class);
                    Map<String, Integer> byWorker = new TreeMap<>();
                    for (String worker :
                            dao.deadWorkersSends(
                                    run.tenantId(), run.campaignId(), run.runId(), cutoff, dueBy)) {
                        byWorker.merge(worker == null ? "(none)" : worker, 1, Integer::sum);
                    }
                    if (byWorker.isEmpty()) {
                        return byWorker;
                    }
                    dao.recoverDead(
                            run.tenantId(),
                            run.campaignId(),
                            run.runId(),
                            resend ? SendState.PLANNED.name() : SendState.UNKNOWN_INFLIGHT.name(),
                            cutoff,
                            dueBy,
                            now);
                    return byWorker;
                });
    }

    /** Recovery after a crash of {@code worker} (or of any worker, when null). */
    public int recoverInflight(Run run, String worker) {
        return jdbi.onDemand(SendLedgerDao.class)
                .markInflightUnknown(
                        run.tenantId(), run.campaignId(), run.runId(), worker, clock.instant());
    }

    public Map<String, Long> counts(Run run) {
        return jdbi.onDemand(SendLedgerDao.class)
                .countByState(run.tenantId(), run.campaignId(), run.runId());
    }

    /**
     * A deterministic RFC 5322 Message-ID: the same recipient of the same run always gets the same
     * one, so a relay or inbox that sees a copy can recognise it.
     */
    public String messageId(Run run, String customerId) {
        String key =
                run.tenantId() + "\n" + run.campaignId() + "\n" + run.runId() + "\n" + customerId;
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(key.getBytes(StandardCharsets.UTF_8));
            return "<"
                    + HexFormat.of().formatHex(digest, 0, 16)
                    + "."
                    + run.campaignId().toLowerCase(Locale.ROOT)
                    + "@"
                    + messageIdDomain
                    + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
