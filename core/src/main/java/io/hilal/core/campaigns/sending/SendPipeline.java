package io.hilal.core.campaigns.sending;

import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.pods.DbScope;
import io.hilal.core.pods.PodScopes;
import io.hilal.core.program.ProgramHoldout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The claim/send pipeline of one pass over a run. It sends listed steps until none is left, the
 * relay fails or something stops it. The calling thread claims: in one commit it records how the
 * sends that ended since its last commit ended and claims the next step, as soon as the sends in
 * flight (claimed, not yet recorded as ended) leave room for the step under the concurrency. The
 * {@code threads} sending threads only render and hand claimed sends to the relay, so the relay
 * never waits for a commit, and a crash still leaves at most {@code concurrency} sends of unknown
 * fate. On the way out, whatever happens, the sending threads finish the send in their hands,
 * claimed sends no thread took are deferred (they never reached the relay), and every ended send is
 * recorded.
 */
final class SendPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(SendPipeline.class);

    /** Renders claimed sends and hands them to the relay. */
    interface Handoff {
        /**
         * Told of each chunk just claimed, on the claiming thread, before any of its sends is
         * handed out: reads at once what its emails would otherwise read one by one. A failure here
         * is logged and the chunk is still sent (each email then reads its own).
         */
        void claimed(List<SendLedger.Candidate> chunk);

        /** Renders one claimed send and hands it to the relay; says how it ended. */
        SendLedger.Outcome send(SendLedger.Candidate candidate) throws InterruptedException;
    }

    private final SendLedger ledger;
    private final Clock clock;
    private final ExecutorService executor;
    private final String workerId;
    private final int threads;
    private final RunContext context;
    private final DueSteps steps;
    private final Handoff handoff;
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

    /** {@code task} run with the caller's log context (tenant, campaign, run), as its lines say. */
    private static <T> Callable<T> withLogContext(Callable<T> task) {
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

    SendPipeline(
            SendLedger ledger,
            Clock clock,
            ExecutorService executor,
            String workerId,
            int threads,
            RunContext context,
            DueSteps steps,
            Handoff handoff) {
        this.ledger = ledger;
        this.clock = clock;
        this.executor = executor;
        this.workerId = workerId;
        this.threads = threads;
        this.context = context;
        this.steps = steps;
        this.handoff = handoff;
    }

    void run() throws InterruptedException {
        // No more threads than sends the run may have in flight.
        int senderThreads = Math.min(threads, context.pace().inFlight());
        List<Future<?>> senders = new ArrayList<>(senderThreads);
        try {
            for (int i = 0; i < senderThreads; i++) {
                // In the run's tenant scope too: rendering reads the tenant's pod.
                senders.add(
                        executor.submit(DbScope.carriedCall(withLogContext(this::sendClaimed))));
            }
            try (SendLedger.Steps ledgerSteps = ledger.steps(context.run(), workerId)) {
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
            if (context.frozen().getAsBoolean()) {
                // A move froze the tenant: this connection may still write (it was lent before the
                // freeze), but nothing more is claimed; the sends in flight end and are recorded.
                return;
            }
            List<SendLedger.Outcome> recording = awaitRoomFor(step.size());
            if (recording == null) {
                return;
            }
            if (context.frozen().getAsBoolean()) {
                // Frozen while waiting for room: what ended is recorded on the way out.
                lock.lock();
                try {
                    ended.addAll(recording);
                } finally {
                    lock.unlock();
                }
                return;
            }
            Instant now = clock.instant();
            ProgramHoldout program = context.programHoldout().get();
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
                                                context.limits(),
                                                program));
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
                context.counters().count(outcome.state());
            }
            if (!claim.claimed().isEmpty()) {
                try {
                    handoff.claimed(claim.claimed());
                } catch (RuntimeException e) {
                    // The chunk is claimed: it goes out all the same, each email reading its own.
                    LOG.warn(
                            "Could not read ahead for {} claimed sends", claim.claimed().size(), e);
                }
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
     * recorded, and takes those; null when sending must stop (the relay failed, or a sending thread
     * did).
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
     * Whether a step of {@code size} fits under the concurrency once the ended sends are recorded
     * (under the lock).
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
                    if (context.frozen().getAsBoolean()) {
                        // A move froze the tenant: nothing more reaches the relay; the claimed
                        // sends left are deferred on the way out, and go from its new pod.
                        stop();
                        return null;
                    }
                    candidate = claimed.poll();
                } finally {
                    lock.unlock();
                }
                SendLedger.Outcome outcome = handoff.send(candidate);
                context.counters().count(outcome.state());
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
     * Lets the sending threads finish, defers the claimed sends none of them took and records every
     * ended send.
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
                context.counters().count(outcome.state());
                outcomes.add(outcome);
            }
            claimed.clear();
            ended = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        try {
            ledger.record(context.run(), workerId, outcomes);
        } catch (RuntimeException e) {
            if (!PodScopes.refusedAsFrozen(e)) {
                throw e;
            }
            // Copied by the move as SENDING rows of this live worker: recorded in the tenant's new
            // pod once it is switched, never sent again.
            context.unrecorded().accept(outcomes);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
