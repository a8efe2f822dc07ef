package io.hilal.core.campaigns;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The exactly-once ledger of a campaign run. Before an email goes to the relay its row is moved
 * PLANNED → SENDING in its own committed transaction; after the relay answers it moves to SENT or
 * FAILED. A worker that dies in between leaves SENDING rows, which recovery turns into
 * UNKNOWN_INFLIGHT rather than sending again: at most the sends in flight at the crash (bounded by
 * send concurrency) have an unknown fate, and no customer gets a second copy.
 */
public final class SendLedger {
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

    /** Writes the run's recipients; held-out customers are recorded as HELD_OUT, never sent. */
    public void plan(Run run, List<PlannedSend> sends) {
        Instant now = clock.instant();
        List<SendLedgerDao.Row> rows = new ArrayList<>(sends.size());
        for (PlannedSend send : sends) {
            rows.add(
                    new SendLedgerDao.Row(
                            send.customerId(),
                            (send.heldOut() ? SendState.HELD_OUT : SendState.PLANNED).name(),
                            messageId(run, send.customerId()),
                            send.sendAt(),
                            send.validUntil(),
                            now));
        }
        jdbi.useTransaction(
                handle ->
                        handle.attach(SendLedgerDao.class)
                                .plan(run.tenantId(), run.campaignId(), run.runId(), rows));
    }

    /** Expires what can no longer go out in time, then lists what is due now. */
    public List<String> due(Run run, int limit) {
        Instant now = clock.instant();
        SendLedgerDao dao = jdbi.onDemand(SendLedgerDao.class);
        dao.expire(run.tenantId(), run.campaignId(), run.runId(), now);
        return dao.due(run.tenantId(), run.campaignId(), run.runId(), now, limit);
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

    /** Holds a claimed send back until {@code nextAttempt} (cap, quiet hours, relay down). */
    public boolean defer(
            Run run, String customerId, String worker, Instant nextAttempt, String reason) {
        return jdbi.onDemand(SendLedgerDao.class)
                        .defer(
                                run.tenantId(),
                                run.campaignId(),
                                run.runId(),
                                customerId,
                                worker,
                                nextAttempt,
                                reason,
                                clock.instant())
                == 1;
    }

    /** A claimed send that could only go out after its offer ended. */
    public void expired(Run run, String customerId, String worker, String reason) {
        move(run, customerId, SendState.SENDING, SendState.EXPIRED, reason, worker);
    }

    public void sent(Run run, String customerId, String worker) {
        move(run, customerId, SendState.SENDING, SendState.SENT, null, worker);
    }

    public void failed(Run run, String customerId, String worker, String reason) {
        move(run, customerId, SendState.SENDING, SendState.FAILED, reason, worker);
    }

    /** Puts a claimed send back (relay down, cap reached): it will be due again. */
    public void release(Run run, String customerId, String worker, String reason) {
        move(run, customerId, SendState.SENDING, SendState.PLANNED, reason, worker);
    }

    /** A claimed send to someone who may not be emailed (any more). */
    public void suppressed(Run run, String customerId, String worker, String reason) {
        move(run, customerId, SendState.SENDING, SendState.SUPPRESSED, reason, worker);
    }

    /**
     * Recovery after crashes: SENDING rows of workers whose heartbeat is older than {@code cutoff}
     * become UNKNOWN_INFLIGHT (or PLANNED again when {@code resend}: at-least-once, off by
     * default).
     */
    public int recoverDead(Run run, Instant cutoff, boolean resend) {
        return jdbi.onDemand(SendLedgerDao.class)
                .recoverDead(
                        run.tenantId(),
                        run.campaignId(),
                        run.runId(),
                        resend ? SendState.PLANNED.name() : SendState.UNKNOWN_INFLIGHT.name(),
                        cutoff,
                        clock.instant());
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

    private boolean move(
            Run run,
            String customerId,
            SendState from,
            SendState to,
            String reason,
            String worker) {
        return jdbi.onDemand(SendLedgerDao.class)
                        .transition(
                                run.tenantId(),
                                run.campaignId(),
                                run.runId(),
                                customerId,
                                from.name(),
                                to.name(),
                                reason,
                                worker,
                                clock.instant())
                == 1;
    }
}
