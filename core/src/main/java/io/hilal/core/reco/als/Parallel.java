package io.hilal.core.reco.als;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded pool for one training run: the calling thread plus {@code threads − 1} daemon workers
 * claim fixed-size blocks of rows from a shared counter. Rows are independent within a half-sweep,
 * so the result is the same whichever thread solves which block.
 */
final class Parallel implements AutoCloseable {
    /** Work on rows {@code [from, to)} with the claiming thread's own scratch vectors. */
    interface BlockTask {
        void run(int from, int to, Kernels.Scratch scratch);
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final int k;
    private final ExecutorService pool;

    Parallel(int threads, int k) {
        this.threads = threads;
        this.k = k;
        if (threads > 1) {
            int id = POOLS.incrementAndGet();
            AtomicInteger count = new AtomicInteger();
            pool =
                    Executors.newFixedThreadPool(
                            threads - 1,
                            runnable -> {
                                Thread thread =
                                        new Thread(
                                                runnable,
                                                "hilal-als-" + id + "-" + count.incrementAndGet());
                                thread.setDaemon(true);
                                return thread;
                            });
        } else {
            pool = null;
        }
    }

    /** Runs {@code task} over {@code [0, count)} in blocks of {@code blockSize}; waits for all. */
    void forEachBlock(int count, int blockSize, BlockTask task) {
        AtomicInteger next = new AtomicInteger();
        Runnable worker =
                () -> {
                    Kernels.Scratch scratch = new Kernels.Scratch(k);
                    int from;
                    while ((from = next.getAndAdd(blockSize)) < count) {
                        task.run(from, Math.min(count, from + blockSize), scratch);
                    }
                };
        if (pool == null || count <= blockSize) {
            worker.run();
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 1; i < threads; i++) {
            futures.add(pool.submit(worker));
        }
        RuntimeException failure = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("ALS training was interrupted", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure =
                            e.getCause() instanceof RuntimeException runtime
                                    ? runtime
                                    : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
