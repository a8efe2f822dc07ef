package io.hilal.sdk.internal;

import io.hilal.sdk.DeliveryStats;
import java.util.concurrent.atomic.LongAdder;

/** The pipeline's counts of final outcomes, written by the flusher, read by any thread. */
final class DeliveryCounters {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder spooled = new LongAdder();

    void accepted() {
        accepted.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void rejected() {
        rejected.increment();
    }

    void failed(int events) {
        failed.add(events);
    }

    void spooled(int events) {
        spooled.add(events);
    }

    long failedSoFar() {
        return failed.sum();
    }

    DeliveryStats snapshot(int spoolBatches) {
        return new DeliveryStats(
                accepted.sum(),
                duplicates.sum(),
                rejected.sum(),
                failed.sum(),
                spooled.sum(),
                spoolBatches);
    }
}
