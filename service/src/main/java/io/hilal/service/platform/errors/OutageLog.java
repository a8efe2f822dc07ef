package io.hilal.service.platform.errors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides when an outage (the database gone) is worth a log line: the first failure at once, then
 * at most one line per {@link #EVERY}, each saying how many failures it stands for, so a 16 s
 * outage under load writes a handful of lines instead of thousands of stack traces.
 */
final class OutageLog {
    static final Duration EVERY = Duration.ofSeconds(10);

    private final Clock clock;
    private final AtomicReference<Instant> lastLine = new AtomicReference<>(Instant.EPOCH);
    private final AtomicLong unlogged = new AtomicLong();

    OutageLog(Clock clock) {
        this.clock = clock;
    }

    /**
     * Counts one failure; answers how many failures the line to write now stands for (this one and
     * those left unlogged since the last line), or 0 when no line is due.
     */
    long failure() {
        unlogged.incrementAndGet();
        Instant now = clock.instant();
        Instant last = lastLine.get();
        if (now.isBefore(last.plus(EVERY)) || !lastLine.compareAndSet(last, now)) {
            return 0;
        }
        return unlogged.getAndSet(0);
    }
}
