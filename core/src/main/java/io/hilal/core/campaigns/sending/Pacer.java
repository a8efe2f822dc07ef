package io.hilal.core.campaigns.sending;

/** Spaces sends evenly at a rate per second (none when the rate is 0). */
final class Pacer {
    private final long intervalNanos;
    private long next = System.nanoTime();

    Pacer(double perSecond) {
        this.intervalNanos = perSecond > 0 ? (long) (1_000_000_000L / perSecond) : 0;
    }

    void await() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            next = Math.max(next, now) + intervalNanos;
            wait = next - intervalNanos - now;
        }
        if (wait > 0) {
            // A throttle is a wait by definition.
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
