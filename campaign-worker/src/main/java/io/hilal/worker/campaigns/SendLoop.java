package io.hilal.worker.campaigns;

import io.dropwizard.lifecycle.Managed;
import io.hilal.core.campaigns.sending.CampaignSender;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's own sending, side by side with every other worker's: a pass over the due sends
 * every {@code poll} (recovering dead peers' sends in flight first), and, every heartbeat, the
 * sends in flight of a peer whose heartbeat just timed out marked at once. The cluster's Quartz
 * send job only adds a pass on whichever worker it fires; a worker's passes never overlap ({@link
 * CampaignSender#sendDue()}). So a campaign's sends spread over every worker, and when one dies the
 * others carry on with its share without waiting for a firing.
 */
public final class SendLoop implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SendLoop.class);

    private final CampaignSender sender;
    private final ScheduledExecutorService passes;
    private final ScheduledExecutorService takeover;
    private final Duration poll;
    private final Duration heartbeat;

    public SendLoop(
            CampaignSender sender,
            ScheduledExecutorService passes,
            ScheduledExecutorService takeover,
            Duration poll,
            Duration heartbeat) {
        this.sender = sender;
        this.passes = passes;
        this.takeover = takeover;
        this.poll = poll;
        this.heartbeat = heartbeat;
    }

    @Override
    public void start() {
        passes.scheduleWithFixedDelay(this::pass, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
        takeover.scheduleWithFixedDelay(
                this::takeOver, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass: dead peers' sends in flight recovered, then everything due sent. */
    void pass() {
        try {
            sender.pass();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The next pass tries again (and first marks what this one left in flight).
            LOG.warn("Send pass failed: {}", e.toString());
        }
    }

    private void takeOver() {
        try {
            sender.recoverNewlyDead();
        } catch (RuntimeException e) {
            LOG.warn("Recovering dead workers' sends failed: {}", e.toString());
        }
    }
}
