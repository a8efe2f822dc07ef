package io.hilal.core.campaigns.sending;

import java.util.concurrent.atomic.AtomicInteger;

/** How the sends of one pass over a run ended, counted from every thread that ends one. */
final class SendCounters {
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger deferred = new AtomicInteger();
    private final AtomicInteger suppressed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger expired = new AtomicInteger();

    void count(SendState state) {
        switch (state) {
            case SENT -> sent.incrementAndGet();
            case FAILED -> failed.incrementAndGet();
            case SUPPRESSED -> suppressed.incrementAndGet();
            case DEFERRED -> deferred.incrementAndGet();
            case EXPIRED -> expired.incrementAndGet();
            default -> {
                // nothing else ends a step
            }
        }
    }

    CampaignSender.Summary summary(boolean relayDown) {
        return new CampaignSender.Summary(
                sent.get(),
                deferred.get(),
                suppressed.get(),
                failed.get(),
                expired.get(),
                relayDown);
    }
}
