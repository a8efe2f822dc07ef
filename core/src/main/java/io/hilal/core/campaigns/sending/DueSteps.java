package io.hilal.core.campaigns.sending;

import io.hilal.core.campaigns.CampaignStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's due sends, in steps of one claim batch, listed a batch at a time by the claiming thread.
 * Without a daily cap it lists the next batch as soon as it has claimed the last step, so the
 * sending threads never wait for a listing; with one, the next batch is listed once every send of
 * the last is recorded, so that the count of today's sends is complete. Another worker listing the
 * same sends is harmless: the claim's lock and state check let exactly one have each. An
 * unthrottled run is listed in this worker's share first ({@link SendPartition}), so the workers of
 * a cluster claim disjoint sends side by side; once the share has nothing due, the whole run.
 */
final class DueSteps {
    private static final Logger LOG = LoggerFactory.getLogger(DueSteps.class);

    private final SendLedger ledger;
    private final Clock clock;
    private final SendLedger.Run run;
    private final ZoneId tenantZone;
    private final long dailyCap;
    private final boolean capIsQuota;
    private final int batchSize;
    private final int claimBatch;
    private final BooleanSupplier expiryDue;
    private final Supplier<SendPartition> share;
    private final Queue<List<String>> steps = new ArrayDeque<>();

    /** The share the steps were listed in. */
    private SendPartition listedShare = SendPartition.WHOLE;

    /**
     * The running pipeline's connection, which lists the next batches between its steps; null
     * between pipelines.
     */
    private SendLedger.Steps pipeline;

    /**
     * @param dailyCap the tenant's daily cap for the run (0: none), see {@link SendPolicy#dailyCap}
     * @param capIsQuota whether that cap is the operator's quota for the tenant
     * @param batchSize the most sends listed at a time
     * @param expiryDue whether the run's late sends are to be marked EXPIRED before a listing
     * @param share this worker's share of the run as of now, listed first (whole for a run with a
     *     daily cap, which one worker at a time sends)
     */
    DueSteps(
            SendLedger ledger,
            Clock clock,
            SendLedger.Run run,
            ZoneId tenantZone,
            long dailyCap,
            boolean capIsQuota,
            int batchSize,
            int claimBatch,
            BooleanSupplier expiryDue,
            Supplier<SendPartition> share) {
        this.ledger = ledger;
        this.clock = clock;
        this.run = run;
        this.tenantZone = tenantZone;
        this.dailyCap = dailyCap;
        this.capIsQuota = capIsQuota;
        this.batchSize = batchSize;
        this.claimBatch = claimBatch;
        this.expiryDue = expiryDue;
        this.share = share;
    }

    /** Lists on {@code ledgerSteps}'s connection from now on; null: on connections of its own. */
    void listOn(SendLedger.Steps ledgerSteps) {
        this.pipeline = ledgerSteps;
    }

    /** The next step, or null when nothing is due (or the campaign paused, or hit its cap). */
    List<String> next() {
        if (dailyCap == 0 && !steps.isEmpty() && !share.get().equals(listedShare)) {
            // The live workers changed since the listing (a peer died or joined): the rest of the
            // old share is dropped, still PLANNED, and the new share listed now, so a dead peer's
            // share is claimed at this worker's next step, not after up to a batch of its own.
            steps.clear();
        }
        if (steps.isEmpty() && dailyCap == 0) {
            list(false);
        }
        return steps.poll();
    }

    /**
     * Lists the next batch of due sends into steps, first expiring what can no longer go out when
     * {@code expire} (only while this process has no claims open: see {@link
     * SendLedger#dueWithoutExpiring}); false when none is due, the campaign is no longer scheduled
     * or the tenant reached its daily cap.
     */
    boolean list(boolean expire) {
        List<String> due;
        if (pipeline != null && !expire && dailyCap == 0) {
            // Between a pipeline's steps (nothing to expire, no cap to read first): the status and
            // the due sends in one round trip.
            SendPartition mine = share.get();
            listedShare = mine;
            SendLedger.Listing listing = pipeline.listDue(batchSize, mine);
            if (!CampaignStatus.SCHEDULED.wireName().equals(listing.campaignStatus())) {
                return false;
            }
            due = listing.due();
            if (due.isEmpty() && !mine.whole()) {
                due = pipeline.listDue(batchSize, SendPartition.WHOLE).due();
            }
        } else {
            // The status alone, looked up before every batch: a pause takes effect there.
            if (!CampaignStatus.SCHEDULED.wireName().equals(ledger.campaignStatus(run))) {
                return false;
            }
            if (expire && expiryDue.getAsBoolean()) {
                // Before the daily cap's check: a capped run's late sends still end EXPIRED today.
                ledger.expire(run);
            }
            int batch = batchSize;
            if (dailyCap > 0) {
                Instant dayStart =
                        LocalDate.ofInstant(clock.instant(), tenantZone)
                                .atStartOfDay(tenantZone)
                                .toInstant();
                long left =
                        SendPolicy.leftToday(dailyCap, ledger.sentSince(run.tenantId(), dayStart));
                if (left == 0) {
                    LOG.info("Tenant {} reached its daily send cap", run.tenantId());
                    if (capIsQuota) {
                        // The marketer sees why in the ledger: waiting for tomorrow's quota.
                        ledger.deferForQuota(
                                run,
                                dayStart.atZone(tenantZone).plusDays(1).toInstant(),
                                "tenant's daily send quota of " + dailyCap + " reached");
                    }
                    return false;
                }
                batch = (int) Math.min(batch, left);
            }
            SendPartition mine = dailyCap > 0 ? SendPartition.WHOLE : share.get();
            listedShare = mine;
            due = ledger.dueWithoutExpiring(run, batch, mine);
            if (due.isEmpty() && !mine.whole()) {
                due = ledger.dueWithoutExpiring(run, batch);
            }
        }
        for (int from = 0; from < due.size(); from += claimBatch) {
            steps.add(due.subList(from, Math.min(due.size(), from + claimBatch)));
        }
        return !due.isEmpty();
    }
}
