package io.hilal.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * The heap in use after a full collection: the live set, not what garbage happens to fill. The
 * memory benches read it once, or every few milliseconds from a {@link Sampler} while the work they
 * measure runs, and keep the largest reading.
 */
final class LiveHeap {
    private LiveHeap() {}

    /** Forces a full collection and reads the heap in use after it. */
    static long now() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Reads the live heap every {@code sampleMs} until closed, handing each reading on. */
    static Sampler every(long sampleMs, LongConsumer reading) {
        return new Sampler(sampleMs, reading);
    }

    /** A daemon thread reading the live heap; {@link #close} stops it and waits for it. */
    static final class Sampler implements AutoCloseable {
        private final AtomicBoolean sampling = new AtomicBoolean(true);
        private final Thread thread;

        private Sampler(long sampleMs, LongConsumer reading) {
            thread =
                    new Thread(
                            () -> {
                                while (sampling.get()) {
                                    reading.accept(now());
                                    try {
                                        Thread.sleep(sampleMs);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            },
                            "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            sampling.set(false);
            thread.join();
        }
    }
}
