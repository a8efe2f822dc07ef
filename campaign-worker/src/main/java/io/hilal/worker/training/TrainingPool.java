package io.hilal.worker.training;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's training threads: a fixed-size pool from Dropwizard's lifecycle and a count of the
 * runs on it, so the polling job claims only as many requests as there are free threads and a
 * claimed request never waits in a queue while its tenant's next run could go elsewhere.
 */
public final class TrainingPool implements Executor {
    private final ExecutorService threads;
    private final int size;
    private final AtomicInteger running = new AtomicInteger();

    public TrainingPool(ExecutorService threads, int size) {
        this.threads = threads;
        this.size = size;
    }

    public int freeSlots() {
        return Math.max(0, size - running.get());
    }

    @Override
    public void execute(Runnable run) {
        running.incrementAndGet();
        try {
            threads.execute(
                    () -> {
                        try {
                            run.run();
                        } finally {
                            running.decrementAndGet();
                        }
                    });
        } catch (RuntimeException rejected) {
            running.decrementAndGet();
            throw rejected;
        }
    }
}
